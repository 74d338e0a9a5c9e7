import { z } from 'zod';

/**
 * The pipeline graph language: React Flow's own node/edge shape, so the canvas
 * state and the stored document are the same thing. Defined once; the editor,
 * the routes, the workers and the OpenAPI document all use these schemas.
 */

export const GRAPH_SCHEMA_VERSION = 1;

export const IdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'ids are 1-64 letters, digits, _ or -');

const Label = z.string().trim().min(1, 'a label is required').max(80);

/** A secret given inline (stored encrypted) or as the name of an environment variable. */
export const SecretSchema = z.union([z.string().min(1), z.object({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/) })]);

// ---- producer sources -------------------------------------------------------
export const HttpSourceSchema = z.object({ kind: z.literal('http') });
export const ScheduleSourceSchema = z.object({
  kind: z.literal('schedule'),
  cron: z.string().min(1).max(120).optional(),
  everyMs: z.number().int().min(100).max(31 * 24 * 3600 * 1000).optional(),
  payload: z.unknown().optional(),
});
export const GeneratorSourceSchema = z.object({
  kind: z.literal('generator'),
  ratePerSec: z.number().positive().max(100_000),
  count: z.number().int().min(1).max(10_000_000),
  payload: z.unknown().optional(),
});
export const AmqpSourceSchema = z.object({
  kind: z.literal('amqp'),
  url: SecretSchema,
  queue: z.string().min(1),
  prefetch: z.number().int().min(1).max(10_000).optional(),
});
export const NatsSourceSchema = z.object({
  kind: z.literal('nats'),
  url: SecretSchema,
  subject: z.string().min(1),
  stream: z.string().min(1).optional(),
  durable: z.string().min(1).optional(),
});
export const MqttSourceSchema = z.object({
  kind: z.literal('mqtt'),
  url: SecretSchema,
  topic: z.string().min(1),
  qos: z.union([z.literal(0), z.literal(1)]).optional(),
});
export const ZeromqSourceSchema = z.object({
  kind: z.literal('zeromq'),
  socket: z.enum(['pull', 'sub']),
  address: z.string().min(1),
  bind: z.boolean().optional(),
  topic: z.string().optional(),
});

export const SourceSchema = z.discriminatedUnion('kind', [
  HttpSourceSchema,
  ScheduleSourceSchema,
  GeneratorSourceSchema,
  AmqpSourceSchema,
  NatsSourceSchema,
  MqttSourceSchema,
  ZeromqSourceSchema,
]);
export type Source = z.infer<typeof SourceSchema>;

// ---- consumer tasks ---------------------------------------------------------
export const NoopTaskSchema = z.object({ kind: z.literal('noop') });
export const DelayTaskSchema = z.object({
  kind: z.literal('delay'),
  ms: z.number().min(0).max(600_000),
  jitterMs: z.number().min(0).max(600_000).optional(),
  distribution: z.enum(['fixed', 'uniform', 'exponential']).optional(),
});
export const TransformTaskSchema = z.object({
  kind: z.literal('transform'),
  code: z.string().max(100_000),
  // The sandbox runs on the worker's event loop: a call blocks every consumer
  // of the process until it returns, so the cap stays well under BullMQ's
  // 30 s job lock (a longer block would let jobs be taken as stalled).
  timeoutMs: z.number().int().min(1).max(10_000).optional(),
  memoryMb: z.number().int().min(1).max(512).optional(),
});
export const HttpTaskSchema = z.object({
  kind: z.literal('http'),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  url: z.string().url(),
  headers: z.record(z.string(), z.string()).optional(),
  timeoutMs: z.number().int().min(1).max(120_000).optional(),
});
export const FailTaskSchema = z.object({ kind: z.literal('fail'), rate: z.number().min(0).max(1) });
export const RouteTaskSchema = z.object({
  kind: z.literal('route'),
  rules: z.array(z.object({ when: z.string().min(1).max(2000), edgeId: IdSchema })).max(100),
});
export const AmqpSinkSchema = z.object({
  kind: z.literal('amqp'),
  url: SecretSchema,
  exchange: z.string(),
  routingKey: z.string(),
});
export const NatsSinkSchema = z.object({
  kind: z.literal('nats'),
  url: SecretSchema,
  subject: z.string().min(1),
  stream: z.string().min(1).optional(),
});
export const MqttSinkSchema = z.object({
  kind: z.literal('mqtt'),
  url: SecretSchema,
  topic: z.string().min(1),
  qos: z.union([z.literal(0), z.literal(1)]).optional(),
});
export const ZeromqSinkSchema = z.object({
  kind: z.literal('zeromq'),
  socket: z.enum(['push', 'pub']),
  address: z.string().min(1),
  bind: z.boolean().optional(),
  topic: z.string().optional(),
});

export const TaskSchema = z.discriminatedUnion('kind', [
  NoopTaskSchema,
  DelayTaskSchema,
  TransformTaskSchema,
  HttpTaskSchema,
  FailTaskSchema,
  RouteTaskSchema,
  AmqpSinkSchema,
  NatsSinkSchema,
  MqttSinkSchema,
  ZeromqSinkSchema,
]);
export type Task = z.infer<typeof TaskSchema>;

// ---- nodes ------------------------------------------------------------------
const Position = z.object({ x: z.number().finite(), y: z.number().finite() });

export const ProducerDataSchema = z.object({ label: Label, source: SourceSchema });
/**
 * A queue node's settings; how the runtime honours each is written down where
 * it is enforced (lib/runtime/job-options.ts, back-pressure.ts, dead-letter.ts):
 *
 * - attempts (default 1): tries per message before it fails for good (and
 *   goes to the dead-letter queue, if the queue has a dead-letter edge).
 * - backoff: wait before each retry; fixed = delayMs, exponential =
 *   delayMs * 2^(n-1); jitter (0..1) draws each wait from [wait * (1 - jitter), wait].
 * - rateLimit: at most `max` jobs started per `durationMs`, for the queue as a
 *   whole, across every consumer and worker process.
 * - maxWaiting: back-pressure cap on jobs waiting to start (delayed ones not
 *   counted). At or over it, REST triggers get 429 back_pressure with
 *   Retry-After and enqueue nothing; upstream consumers hold their message
 *   until there is room (nothing is dropped, no attempt is used). Soft: jobs
 *   passing the check at the same moment can overshoot it by that many.
 * - priority (0 = none; lower first, after unprioritized jobs) and delayMs:
 *   defaults for every job entering the queue.
 * - dedupe: drop a message whose payload (canonical JSON, keys sorted) equals
 *   one already in this queue: while that one is waiting or in progress
 *   (`{}`), or for ttlMs after it was added (`{ ttlMs }`). The dropped copy's
 *   branch of the run ends at once, its step saying which job it duplicated.
 *   Dead letters and replays are never deduplicated.
 * - retention: completed / failed jobs kept per queue (default 1000 / 5000; 0 keeps none).
 */
export const QueueDataSchema = z.object({
  label: Label,
  attempts: z.number().int().min(1).max(100).optional(),
  backoff: z
    .object({
      type: z.enum(['fixed', 'exponential']),
      delayMs: z.number().int().min(0).max(24 * 3600 * 1000),
      jitter: z.number().min(0).max(1).optional(),
    })
    .optional(),
  rateLimit: z
    .object({ max: z.number().int().min(1), durationMs: z.number().int().min(1).max(3600_000) })
    .optional(),
  maxWaiting: z.number().int().min(1).optional(),
  priority: z.number().int().min(0).max(2_097_152).optional(),
  delayMs: z.number().int().min(0).optional(),
  dedupe: z.object({ ttlMs: z.number().int().min(1).optional() }).optional(),
  retention: z
    .object({
      completed: z.number().int().min(0).max(1_000_000).optional(),
      failed: z.number().int().min(0).max(1_000_000).optional(),
    })
    .optional(),
});
export const ConsumerDataSchema = z.object({
  label: Label,
  concurrency: z.number().int().min(1).max(1000).optional(),
  task: TaskSchema,
});

export const ProducerNodeSchema = z.object({
  id: IdSchema,
  type: z.literal('producer'),
  position: Position,
  data: ProducerDataSchema,
});
export const QueueNodeSchema = z.object({
  id: IdSchema,
  type: z.literal('queue'),
  position: Position,
  data: QueueDataSchema,
});
export const ConsumerNodeSchema = z.object({
  id: IdSchema,
  type: z.literal('consumer'),
  position: Position,
  data: ConsumerDataSchema,
});

export const NodeSchema = z.discriminatedUnion('type', [ProducerNodeSchema, QueueNodeSchema, ConsumerNodeSchema]);
export type PipelineNode = z.infer<typeof NodeSchema>;
export type ProducerNode = z.infer<typeof ProducerNodeSchema>;
export type QueueNode = z.infer<typeof QueueNodeSchema>;
export type ConsumerNode = z.infer<typeof ConsumerNodeSchema>;
export type NodeType = PipelineNode['type'];
export type ProducerData = z.infer<typeof ProducerDataSchema>;
export type QueueData = z.infer<typeof QueueDataSchema>;
export type ConsumerData = z.infer<typeof ConsumerDataSchema>;

export const EdgeSchema = z.object({
  id: IdSchema,
  source: IdSchema,
  target: IdSchema,
  data: z.object({ kind: z.enum(['dead-letter']).optional() }).optional(),
});
export type PipelineEdge = z.infer<typeof EdgeSchema>;

/**
 * The stored document. Unknown keys React Flow adds at run time (selected,
 * measured, dragging, ...) are stripped by zod's default object parsing, so
 * session state never reaches the database.
 */
export const GraphSchema = z.object({
  schemaVersion: z.number().int().min(1).max(GRAPH_SCHEMA_VERSION).optional(),
  nodes: z.array(NodeSchema).max(500),
  edges: z.array(EdgeSchema).max(2000),
});
export type Graph = z.infer<typeof GraphSchema>;

export const emptyGraph = (): Graph => ({ schemaVersion: GRAPH_SCHEMA_VERSION, nodes: [], edges: [] });
