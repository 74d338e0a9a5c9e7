import { z } from 'zod';
import { GeneratorSourceSchema, IdSchema } from '../../pipeline/schema';

/**
 * Request and response shapes of the producer routes
 * (/api/v1/pipelines/:id/producers/:nodeId[/start|/stop]), defined once for
 * the routes and the OpenAPI document.
 */
export const ProducerParams = z.object({ id: z.string().min(1), nodeId: IdSchema });

/** POST .../start: optional overrides of the node's settings for this start only. Unknown keys are refused (a typo must not run a load test at the wrong rate). */
export const StartGeneratorFields = z
  .object({
    ratePerSec: GeneratorSourceSchema.shape.ratePerSec.optional(),
    count: GeneratorSourceSchema.shape.count.optional(),
  })
  .strict();
/** The body may be left out altogether. */
export const StartGeneratorBody = StartGeneratorFields.optional();
export type StartGeneratorInput = NonNullable<z.infer<typeof StartGeneratorBody>>;

export const GeneratorStatusSchema = z.object({
  kind: z.literal('generator'),
  state: z.enum(['idle', 'running', 'stopped', 'done']),
  sent: z.number().int(),
  count: z.number().int(),
  ratePerSec: z.number(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  worker: z.string().optional().describe('worker process driving it, while one does'),
  reason: z.string().optional().describe('why a stopped generator stopped'),
});

export const ScheduleStatusSchema = z.object({
  kind: z.literal('schedule'),
  state: z.enum(['scheduled', 'pending']).describe('pending: deployed, but no worker has created its scheduler yet'),
  cron: z.string().optional(),
  everyMs: z.number().optional(),
  nextFireAt: z.string().optional(),
  fired: z.number().int().optional().describe('ticks the scheduler has produced since it was created'),
});

export const OtherProducerStatusSchema = z.object({ kind: z.enum(['http', 'amqp', 'nats', 'mqtt', 'zeromq']) });

export const ProducerStatusSchema = z.discriminatedUnion('kind', [GeneratorStatusSchema, ScheduleStatusSchema, OtherProducerStatusSchema]);
export type ProducerStatus = z.infer<typeof ProducerStatusSchema>;
