import type { z } from 'zod';
import type { Db } from '../db';
import { AppError } from '../errors';
import type { RuntimeContext } from '../runtime/context';
import {
  deleteJob,
  JobParamsSchema,
  listJobs,
  type ListJobsQuery,
  QueueParamsSchema,
  resolveQueueNode,
  retryAllFailed,
  retryJob,
  setPaused,
  type QueueTarget,
} from '../runtime/queue-ops';
import { replayDeadLetters, type ReplayBody } from '../runtime/replay-dead-letters';
import { getPipelineRow } from './crud-pipelines';

/**
 * The queue-operation routes (API.md "Queue operations", plus replay):
 * the pipeline must exist (404), and its queue node is looked up in the
 * deployed spec, or in its last deployed version when it is undeployed
 * (its queues may still hold jobs). The work is in lib/runtime/queue-ops.ts
 * and lib/runtime/replay-dead-letters.ts.
 */
type Deps = { db: Db; runtime: RuntimeContext };
type Params = Record<string, string>;

function parseParams<T extends z.ZodType>(schema: T, params: Params): z.infer<T> {
  const parsed = schema.safeParse(params);
  // An id that cannot exist names nothing: 404, like an unknown one.
  if (!parsed.success) throw new AppError('not_found', 'No such pipeline, queue node or job.');
  return parsed.data;
}

async function target(params: { id: string; nodeId: string }, { db, runtime }: Deps): Promise<QueueTarget> {
  await getPipelineRow(params.id, { db });
  const latest = await db.pipelineVersion.findFirst({
    where: { pipelineId: params.id },
    orderBy: { version: 'desc' },
    select: { version: true },
  });
  return resolveQueueNode(runtime, params.id, params.nodeId, latest?.version ?? null);
}

export async function listQueueJobs(params: Params, query: z.infer<typeof ListJobsQuery>, deps: Deps) {
  return listJobs(deps.runtime, await target(parseParams(QueueParamsSchema, params), deps), query);
}

export async function retryQueueJob(params: Params, deps: Deps) {
  const p = parseParams(JobParamsSchema, params);
  return retryJob(deps.runtime, await target(p, deps), p.jobId);
}

export async function deleteQueueJob(params: Params, deps: Deps): Promise<void> {
  const p = parseParams(JobParamsSchema, params);
  await deleteJob(deps.runtime, await target(p, deps), p.jobId);
}

export async function retryFailedJobs(params: Params, deps: Deps) {
  return retryAllFailed(deps.runtime, await target(parseParams(QueueParamsSchema, params), deps));
}

export async function pauseQueue(params: Params, paused: boolean, deps: Deps) {
  return setPaused(deps.runtime, await target(parseParams(QueueParamsSchema, params), deps), paused);
}

export async function replayQueue(params: Params, body: z.infer<typeof ReplayBody>, deps: Deps) {
  return replayDeadLetters(deps.runtime, await target(parseParams(QueueParamsSchema, params), deps), body.jobIds);
}
