import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { CredentialsBody, LoginBody } from '../auth/schemas';
import { GraphSchema } from '../pipeline/schema';
import { CreatePipelineBody, PipelineSchema, UpdatePipelineBody } from '../pipelines/schemas';
import { TriggerBatchBody, TriggerBody, TriggerQuery } from '../pipelines/trigger-schemas';
import { PipelineVersionListSchema, PipelineVersionSchema } from '../pipelines/pipeline-versions';
import { RunListQuery, RunListSchema } from '../runs/schemas';
import { JobPageSchema, ListJobsQuery, QueueJobSchema } from '../runtime/queue-ops';
import { ReplayBody, ReplayResultSchema } from '../runtime/replay-dead-letters';
import { GeneratorStatusSchema, ProducerStatusSchema, StartGeneratorFields } from '../runtime/producers/schemas';

/**
 * The OpenAPI document, generated from the same zod schemas the routes
 * validate with. Response shapes that no route parses are described here.
 */
const ErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.array(z.unknown()).optional() }),
});
const GraphIssueSchema = z.object({ nodeId: z.string().optional(), edgeId: z.string().optional(), message: z.string() });
const Percentiles = z.object({ p50: z.number(), p95: z.number(), p99: z.number() });
const NodeStatsSchema = z.object({
  in: z.number(),
  out: z.number(),
  completed: z.number(),
  failed: z.number(),
  retried: z.number(),
  ratePerSec: z.number(),
  serviceMs: Percentiles,
  waitMs: Percentiles,
  waiting: z.number().optional(),
  active: z.number().optional(),
  delayed: z.number().optional(),
  paused: z.boolean().optional(),
  byWorker: z.record(z.string(), z.object({ completed: z.number(), failed: z.number() })),
  generator: GeneratorStatusSchema.omit({ kind: true }).optional().describe('generator producers: progress of the current or last start'),
});
const WorkerSchema = z.object({ id: z.string(), host: z.string(), pid: z.number(), startedAt: z.string(), lastSeenAt: z.string() });
const StatsSchema = z.object({ at: z.string(), nodes: z.record(z.string(), NodeStatsSchema), workers: z.array(WorkerSchema) });
const RunSchema = z.object({
  id: z.string(),
  pipelineId: z.string(),
  version: z.number(),
  status: z.enum(['queued', 'running', 'completed', 'failed']),
  steps: z.array(
    z.object({
      nodeId: z.string(),
      status: z.string(),
      attempts: z.number(),
      startedAt: z.string().nullable().optional(),
      finishedAt: z.string().nullable().optional(),
      error: z.string().optional(),
    }),
  ),
  output: z.unknown().optional(),
  createdAt: z.string(),
  finishedAt: z.string().optional(),
});

export function buildOpenApiDocument(serverUrl?: string) {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key (cvk_...) from `npm run apikey -- create`, or the UI session cookie.',
  });
  // Named components come from zod 4's own JSON Schema output (2020-12, which
  // OpenAPI 3.1 uses); paths below inline the same schemas.
  for (const [name, schema] of Object.entries({ Graph: GraphSchema, Pipeline: PipelineSchema, Error: ErrorSchema, Run: RunSchema, Stats: StatsSchema })) {
    registry.registerComponent('schemas', name, z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as never);
  }

  const jsonBody = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
  const ok = (description: string, schema?: z.ZodType) =>
    schema ? { description, content: { 'application/json': { schema } } } : { description };
  const errors = {
    400: ok('Malformed or invalid request', ErrorSchema),
    401: ok('No or bad credentials', ErrorSchema),
    403: ok('Not allowed', ErrorSchema),
    404: ok('Unknown id', ErrorSchema),
    413: ok('Body over 1 MiB', ErrorSchema),
  };
  const id = z.object({ id: z.string() });
  const security = [{ [bearer.name]: [] }];

  const path = (
    method: 'get' | 'post' | 'put' | 'delete',
    p: string,
    summary: string,
    extra: { params?: z.ZodObject; query?: z.ZodObject; body?: z.ZodType; responses: Record<number, unknown>; auth?: boolean },
  ) =>
    registry.registerPath({
      method,
      path: p,
      summary,
      ...(extra.auth === false ? {} : { security }),
      request: {
        ...(extra.params ? { params: extra.params } : {}),
        ...(extra.query ? { query: extra.query } : {}),
        ...(extra.body ? { body: jsonBody(extra.body) } : {}),
      },
      responses: { ...(extra.auth === false ? {} : errors), ...extra.responses } as never,
    });

  path('get', '/api/health', 'Liveness of the app, Redis, the database and the worker count', {
    auth: false,
    responses: {
      200: ok('Healthy', z.object({ status: z.literal('ok'), redis: z.string(), db: z.string(), workers: z.number() })),
      503: ok('A part is failing; it is named'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/metrics',
    summary: 'Prometheus metrics (admin key, or open when METRICS_PUBLIC=1): per-node counters, queue depths, rates and latency quantiles of every deployed pipeline',
    security,
    responses: { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } }, 401: ok('No or bad credentials', ErrorSchema) },
  });
  path('get', '/api/v1/pipelines', 'List pipelines', { responses: { 200: ok('Pipelines', z.object({ items: z.array(PipelineSchema) })) } });
  path('post', '/api/v1/pipelines', 'Create a pipeline', { body: CreatePipelineBody, responses: { 201: ok('Created', PipelineSchema) } });
  path('get', '/api/v1/pipelines/{id}', 'Get a pipeline', { params: id, responses: { 200: ok('The pipeline', PipelineSchema) } });
  path('put', '/api/v1/pipelines/{id}', 'Edit the draft', { params: id, body: UpdatePipelineBody, responses: { 200: ok('Updated', PipelineSchema) } });
  path('delete', '/api/v1/pipelines/{id}', 'Undeploy and delete', { params: id, responses: { 204: ok('Deleted') } });
  const invalid = ok('The graph is invalid; details name nodes and edges', ErrorSchema.extend({ error: ErrorSchema.shape.error.extend({ details: z.array(GraphIssueSchema) }) }));
  path('post', '/api/v1/pipelines/{id}/validate', 'Validate the draft', { params: id, responses: { 200: ok('Valid', z.object({ valid: z.literal(true) })), 422: invalid } });
  path('post', '/api/v1/pipelines/{id}/deploy', 'Deploy the draft as a new version', { params: id, responses: { 200: ok('Deployed', z.object({ version: z.number() })), 422: invalid } });
  path('post', '/api/v1/pipelines/{id}/undeploy', 'Stop the pipeline', { params: id, responses: { 200: ok('Undeployed') } });
  const idem = z.object({ 'Idempotency-Key': z.string().optional() });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/pipelines/{id}/runs',
    summary: 'Trigger one run; ?wait=ms waits for it to finish',
    security,
    request: { params: id, query: TriggerQuery, headers: idem, body: jsonBody(TriggerBody) },
    responses: {
      ...errors,
      200: ok('Finished within the wait', RunSchema),
      202: ok('Accepted', z.object({ runId: z.string() })),
      409: ok('Not deployed', ErrorSchema),
      429: ok('Back-pressure: retry after the Retry-After header', ErrorSchema),
    } as never,
  });
  path('post', '/api/v1/pipelines/{id}/runs/batch', 'Trigger up to 1000 runs', {
    params: id,
    body: TriggerBatchBody,
    responses: { 202: ok('Accepted', z.object({ runIds: z.array(z.string()) })), 409: ok('Not deployed', ErrorSchema) },
  });
  path('get', '/api/v1/runs/{runId}', 'A run and its steps', { params: z.object({ runId: z.string() }), responses: { 200: ok('The run', RunSchema) } });
  path('get', '/api/v1/pipelines/{id}/stats', 'Live statistics', { params: id, responses: { 200: ok('Stats', StatsSchema) } });
  path('get', '/api/v1/pipelines/{id}/stats/stream', 'Live statistics as Server-Sent Events (event `stats`, one a second)', {
    params: id,
    responses: { 200: { description: 'text/event-stream' } },
  });
  const producer = z.object({ id: z.string(), nodeId: z.string() });
  const producerErrors = {
    404: ok('Unknown pipeline, or the deployed version has no such producer', ErrorSchema),
    409: ok('not_deployed: the pipeline is not deployed; conflict: the generator is already running (start)', ErrorSchema),
  };
  path('get', '/api/v1/pipelines/{id}/producers/{nodeId}', 'Status of a producer of the deployed version: generator progress, next schedule tick', {
    params: producer,
    responses: { 200: ok('The status; its fields depend on `kind`', ProducerStatusSchema), ...producerErrors },
  });
  path('post', '/api/v1/pipelines/{id}/producers/{nodeId}/start', 'Start a generator; the body (optional) overrides its rate and count for this start', {
    params: producer,
    body: StartGeneratorFields,
    responses: { 200: ok('Started: a worker takes it within a tick', GeneratorStatusSchema), 400: ok('Not a generator, or an invalid body', ErrorSchema), ...producerErrors },
  });
  path('post', '/api/v1/pipelines/{id}/producers/{nodeId}/stop', 'Stop a generator (a no-op when it is not running)', {
    params: producer,
    responses: { 200: ok('Its status', GeneratorStatusSchema), 400: ok('Not a generator', ErrorSchema), ...producerErrors },
  });
  path('get', '/api/v1/pipelines/{id}/runs', 'Run history, newest first (finished runs, from the database)', { params: id, query: RunListQuery, responses: { 200: ok('A page of runs', RunListSchema) } });
  path('get', '/api/v1/pipelines/{id}/versions', 'Deployed versions, newest first', { params: id, responses: { 200: ok('Versions', PipelineVersionListSchema) } });
  path('get', '/api/v1/pipelines/{id}/versions/{version}', 'One deployed version and its graph', { params: z.object({ id: z.string(), version: z.string() }), responses: { 200: ok('The version', PipelineVersionSchema) } });
  const queue = z.object({ id: z.string(), nodeId: z.string() });
  const job = queue.extend({ jobId: z.string() });
  const conflict = ok('Not possible in the job\'s current state', ErrorSchema);
  path('get', '/api/v1/pipelines/{id}/queues/{nodeId}/jobs', 'Jobs of a queue node by state, paged', { params: queue, query: ListJobsQuery, responses: { 200: ok('A page of jobs', JobPageSchema) } });
  path('post', '/api/v1/pipelines/{id}/queues/{nodeId}/jobs/{jobId}/retry', 'Retry one failed job on the deployed version', { params: job, responses: { 200: ok('Retried', QueueJobSchema), 409: conflict } });
  path('delete', '/api/v1/pipelines/{id}/queues/{nodeId}/jobs/{jobId}', 'Delete a job that is not active (its run fails)', { params: job, responses: { 204: ok('Deleted'), 409: conflict } });
  path('post', '/api/v1/pipelines/{id}/queues/{nodeId}/retry-failed', 'Retry every failed job of the queue', { params: queue, responses: { 200: ok('Retried', z.object({ retried: z.number() })) } });
  path('post', '/api/v1/pipelines/{id}/queues/{nodeId}/pause', 'Pause the queue for every worker (nothing is lost)', { params: queue, responses: { 200: ok('Paused', z.object({ paused: z.boolean() })) } });
  path('post', '/api/v1/pipelines/{id}/queues/{nodeId}/resume', 'Resume the queue', { params: queue, responses: { 200: ok('Resumed', z.object({ paused: z.boolean() })) } });
  path('post', '/api/v1/pipelines/{id}/queues/{nodeId}/replay', 'Move dead letters back into the queues they failed in (all, or the given ids)', { params: queue, body: ReplayBody, responses: { 200: ok('Replayed', ReplayResultSchema) } });
  path('get', '/api/auth/status', 'Whether setup is needed, and who is signed in', { auth: false, responses: { 200: ok('Status') } });
  path('post', '/api/auth/setup', 'Create the first (admin) user', { auth: false, body: CredentialsBody, responses: { 201: ok('Created and signed in'), 409: ok('Setup already done', ErrorSchema) } });
  path('post', '/api/auth/login', 'Sign in (sets the session cookie)', { auth: false, body: LoginBody, responses: { 200: ok('Signed in'), 401: ok('Wrong email or password', ErrorSchema) } });
  path('post', '/api/auth/logout', 'Sign out', { auth: false, responses: { 204: ok('Signed out') } });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Conveyor API',
      version: '1',
      description: 'Design, run and operate message pipelines. Errors are always { error: { code, message, details? } }.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
  });
}
