import type { Job, Queue } from 'bullmq';
import { z } from 'zod';
import { AppError } from '../errors';
import type { CompiledQueue, CompiledSpec } from '../pipeline/compile';
import { IdSchema } from '../pipeline/schema';
import type { RuntimeContext } from './context';
import { deadLetterJobId } from './dead-letter';
import { getDeployedSpec, getSpec } from './deploy';
import { parseJobData } from './job-data';
import { reopenRun } from './reopen-run';
import { markJobFinished } from './runs';

/**
 * Operations on one queue node's BullMQ queue, for operators (API.md
 * "Queue operations"). Route handlers validate with the schemas here and
 * call these functions; the DB part (does the pipeline exist, its latest
 * version) is in lib/pipelines/queue-operations.ts.
 *
 * Runs stay truthful: retrying a failed job reopens its run, and deleting a
 * job that had not finished ends its branch of the run as failed.
 */

// ---- schemas ------------------------------------------------------------------

export const JobStateSchema = z.enum(['waiting', 'active', 'delayed', 'completed', 'failed']);
export type JobState = z.infer<typeof JobStateSchema>;

export const QueueParamsSchema = z.object({ id: z.string().min(1).max(200), nodeId: IdSchema });
export const JobParamsSchema = QueueParamsSchema.extend({ jobId: z.string().min(1).max(400) });

export const MAX_PAGE = 500;
export const ListJobsQuery = z.object({
  state: JobStateSchema.default('waiting'),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50),
  /** Opaque: the nextCursor of the previous page. */
  cursor: z
    .string()
    .regex(/^\d{1,9}$/, 'cursor must come from a previous page')
    .optional(),
});

/**
 * A job as operators see it. `payload` is the message (for a dead letter:
 * `{ payload, deadLetter }`, see lib/runtime/dead-letter.ts).
 */
export const QueueJobSchema = z.object({
  id: z.string(),
  /** null for a job whose data is not Conveyor's (added by hand). */
  runId: z.string().nullable(),
  state: JobStateSchema,
  /** Node (producer, consumer, or the failed queue for a dead letter) that sent it. */
  from: z.string().nullable(),
  /** Spec version that enqueued it. */
  version: z.number().nullable(),
  payload: z.unknown().optional(),
  attemptsMade: z.number().int(),
  maxAttempts: z.number().int(),
  priority: z.number().int(),
  failedReason: z.string().optional(),
  /** Stack trace of each failed attempt (BullMQ keeps them), trimmed. */
  stacktrace: z.array(z.string()).optional(),
  createdAt: z.string(),
  /** When an attempt last started. */
  processedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** Delayed jobs: when they become ready. */
  delayedUntil: z.string().optional(),
});
export type QueueJob = z.infer<typeof QueueJobSchema>;
export const JobPageSchema = z.object({ items: z.array(QueueJobSchema), nextCursor: z.string().optional() });
export type JobPage = z.infer<typeof JobPageSchema>;

// ---- resolving the queue node --------------------------------------------------

export interface QueueTarget {
  spec: CompiledSpec;
  queue: CompiledQueue;
}

/**
 * The queue node `nodeId` in the deployed spec, or when the pipeline is not
 * deployed, in `fallbackVersion` (its last deployed version: its queues may
 * still hold jobs). 404 for an unknown node or one that is not a queue.
 */
export async function resolveQueueNode(
  ctx: RuntimeContext,
  pipelineId: string,
  nodeId: string,
  fallbackVersion: number | null = null,
): Promise<QueueTarget> {
  const spec = (await getDeployedSpec(ctx, pipelineId)) ?? (fallbackVersion ? await getSpec(ctx, pipelineId, fallbackVersion) : null);
  if (!spec) throw new AppError('not_deployed', 'This pipeline has never been deployed, so it has no queues yet.');
  const queue = spec.queues[nodeId];
  if (queue) return { spec, queue };
  const kind = spec.producers[nodeId] ? 'a producer' : spec.consumers[nodeId] ? 'a consumer' : null;
  throw new AppError(
    'not_found',
    kind ? `Node ${nodeId} is ${kind}, not a queue.` : `Version ${spec.version} of this pipeline has no node ${nodeId}.`,
  );
}

const bull = (ctx: RuntimeContext, t: QueueTarget) => ctx.queues.get(t.queue.queueName);

/**
 * A job by an id from a request. BullMQ reads `<queue key>:<jobId>` as the
 * job's hash, so an id naming one of the queue's own keys (`meta`, `id`,
 * `events`, `de:...`, a scheduler's `repeat:...` hash) would read, retry or
 * remove that key as if it were a job: such ids are no job (undefined).
 */
export async function getQueueJob(queue: Queue, jobId: string): Promise<Job | undefined> {
  if (Object.prototype.hasOwnProperty.call(queue.keys, jobId)) return undefined;
  let job: Job | undefined;
  try {
    job = await queue.getJob(jobId);
  } catch (e) {
    if (/WRONGTYPE/.test((e as Error).message)) return undefined;
    throw e;
  }
  // Every job hash has its creation time; other hashes (meta, schedulers) do not.
  return job && Number.isFinite(job.timestamp) ? job : undefined;
}

async function getJobOr404(ctx: RuntimeContext, t: QueueTarget, jobId: string): Promise<Job> {
  const job = await getQueueJob(bull(ctx, t), jobId);
  if (!job) throw new AppError('not_found', `Queue ${t.queue.id} has no job ${jobId} (it may have been trimmed by retention).`);
  return job;
}

// ---- listing ---------------------------------------------------------------------

type BullType = 'waiting' | 'prioritized' | 'active' | 'delayed' | 'completed' | 'failed';

/**
 * Segments listed for a state, in order, and their direction: waiting is
 * the wait list then the prioritized set (the order workers take them),
 * delayed soonest first, finished jobs newest first.
 */
const SEGMENTS: Record<JobState, { types: BullType[]; asc: boolean }> = {
  waiting: { types: ['waiting', 'prioritized'], asc: true },
  active: { types: ['active'], asc: true },
  delayed: { types: ['delayed'], asc: true },
  completed: { types: ['completed'], asc: false },
  failed: { types: ['failed'], asc: false },
};

/** A page of jobs in one state. The cursor is an offset: a queue that moves meanwhile may shift pages by a few jobs. */
export async function listJobs(ctx: RuntimeContext, t: QueueTarget, q: z.infer<typeof ListJobsQuery>): Promise<JobPage> {
  const queue = bull(ctx, t);
  const { types, asc } = SEGMENTS[q.state];
  const offset = Number(q.cursor ?? 0);
  const counts = types.length > 1 ? await queue.getJobCounts(...types) : undefined;
  const ids: string[] = [];
  let skip = offset;
  for (const type of types) {
    const want = q.limit + 1 - ids.length;
    if (want <= 0) break;
    const size = counts?.[type];
    if (size !== undefined && skip >= size) {
      skip -= size;
      continue;
    }
    ids.push(...(await queue.getRanges([type], skip, skip + want - 1, asc)));
    skip = 0;
  }
  const page = ids.slice(0, q.limit);
  const [jobs, readyAt] = await Promise.all([Promise.all(page.map((id) => queue.getJob(id))), q.state === 'delayed' ? delayedUntil(ctx, t, page) : undefined]);
  const items: QueueJob[] = [];
  jobs.forEach((j, i) => {
    if (j) items.push(toQueueJob(j, q.state, readyAt?.[i]));
  });
  return { items, ...(ids.length > q.limit ? { nextCursor: String(offset + q.limit) } : {}) };
}

/**
 * When delayed jobs become ready, from the delayed set's scores (BullMQ
 * scores them ms * 0x1000 + a counter): right for a default delay and for a
 * retry's backoff alike, which job.delay alone is not. One round trip.
 */
async function delayedUntil(ctx: RuntimeContext, t: QueueTarget, ids: readonly string[]): Promise<Array<number | undefined>> {
  if (ids.length === 0) return [];
  const key = bull(ctx, t).keys.delayed!;
  const pipe = ctx.redis.pipeline();
  for (const id of ids) pipe.zscore(key, id);
  const results = (await pipe.exec()) ?? [];
  return ids.map((_, i) => {
    const score = results[i]?.[1];
    return score === null || score === undefined ? undefined : Math.floor(Number(score) / 0x1000);
  });
}

const iso = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString() : null);

export function toQueueJob(job: Job, state: JobState, readyAt?: number): QueueJob {
  const parsed = parseJobData(job.data);
  const data = parsed.ok ? parsed.data : null;
  const delayedUntil = state === 'delayed' ? (readyAt ?? job.timestamp + (job.delay ?? 0)) : undefined;
  return {
    id: job.id!,
    runId: data?.runId ?? null,
    state,
    from: data?.from ?? null,
    version: data?.v ?? null,
    ...(data ? (data.payload === undefined ? {} : { payload: data.payload }) : { payload: job.data }),
    attemptsMade: job.attemptsMade ?? 0,
    maxAttempts: job.opts.attempts ?? 1,
    priority: job.priority ?? 0,
    ...(job.failedReason ? { failedReason: job.failedReason } : {}),
    ...(job.stacktrace?.length ? { stacktrace: job.stacktrace.map((s) => String(s).split('\n').slice(0, 12).join('\n').slice(0, 2000)) } : {}),
    createdAt: new Date(job.timestamp).toISOString(),
    processedAt: iso(job.processedOn),
    finishedAt: iso(job.finishedOn),
    ...(delayedUntil !== undefined ? { delayedUntil: new Date(delayedUntil).toISOString() } : {}),
  };
}

// ---- retrying ----------------------------------------------------------------------

/**
 * Sends one failed job round again, as if new: attempts reset, into the
 * waiting list, to run on the version deployed now (retrying after a fix was
 * deployed is the point; its data is otherwise unchanged). Its run is reopened (running again unless another job of it
 * failed for good), and a dead letter it left, if still in the dead-letter
 * queue and not being processed, is withdrawn: the retry supersedes it.
 * Only failed jobs: retrying a completed one would send its results twice.
 */
export async function retryJob(ctx: RuntimeContext, t: QueueTarget, jobId: string): Promise<QueueJob> {
  const job = await getJobOr404(ctx, t, jobId);
  const state = await job.getState();
  if (state !== 'failed') {
    throw new AppError('conflict', `Job ${jobId} is ${state}; only failed jobs can be retried.`);
  }
  await retryFailedJob(ctx, t, job);
  return toQueueJob(job, 'waiting');
}

async function retryFailedJob(ctx: RuntimeContext, t: QueueTarget, job: Job): Promise<void> {
  const parsed = parseJobData(job.data);
  const runId = parsed.ok ? parsed.data.runId : null;
  let pendingDelta = 0;
  const supersede: string[] = [];
  const dlqId = t.queue.deadLetter;
  const dlq = dlqId ? t.spec.queues[dlqId] : undefined;
  if (runId && dlq) {
    const deadLetter = await ctx.queues.get(dlq.queueName).getJob(deadLetterJobId(runId, job.id!, dlq.id));
    if (deadLetter) {
      const dlState = await deadLetter.getState();
      const removed = dlState !== 'active' && (await deadLetter.remove().then(() => true, () => false));
      if (removed) {
        supersede.push(deadLetter.id!);
        // An unprocessed dead letter was pending in its run; a processed one no longer was.
        if (dlState !== 'completed' && dlState !== 'failed') pendingDelta -= 1;
      }
    }
  }
  if (runId) await reopenRun(ctx, runId, { retry: [job.id!], supersede, pendingDelta });
  try {
    if (parsed.ok && parsed.data.v !== t.spec.version) await job.updateData({ ...parsed.data, v: t.spec.version });
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
  } catch (e) {
    // Put the run back as it was: this job failed for good after all.
    if (runId) {
      await markJobFinished(ctx, runId, {
        jobId: job.id!,
        nodeId: t.queue.id,
        attempts: job.attemptsMade,
        outcome: 'failed',
        error: job.failedReason || 'failed',
      }).catch(() => {});
    }
    throw new AppError('conflict', `Job ${job.id} could not be retried: ${(e as Error).message}`);
  }
  ctx.stats.count(t.spec.pipelineId, t.queue.id, 'in', 1);
}

/**
 * Retries every job that is in the failed set now (those failing again
 * meanwhile are left for the next call). Returns how many went back.
 */
export async function retryAllFailed(ctx: RuntimeContext, t: QueueTarget): Promise<{ retried: number }> {
  const queue = bull(ctx, t);
  const cutoff = Date.now();
  let retried = 0;
  let skipped = 0;
  for (;;) {
    const ids = await ctx.redis.zrangebyscore(queue.keys.failed!, '-inf', cutoff, 'LIMIT', skipped, 50);
    if (ids.length === 0) break;
    const outcomes = await Promise.all(
      ids.map(async (id) => {
        const job = await queue.getJob(id);
        if (!job) return false;
        try {
          await retryFailedJob(ctx, t, job);
          return true;
        } catch {
          return false;
        }
      }),
    );
    for (const ok of outcomes) ok ? retried++ : skipped++;
  }
  return { retried };
}

// ---- deleting, pausing ---------------------------------------------------------------

/**
 * Removes a job that is not being processed. If it had not finished
 * (waiting, delayed), its run's branch ends there: the run fails with
 * "deleted by an operator".
 */
export async function deleteJob(ctx: RuntimeContext, t: QueueTarget, jobId: string): Promise<void> {
  const job = await getJobOr404(ctx, t, jobId);
  const state = await job.getState();
  if (state === 'active') {
    throw new AppError('conflict', `Job ${jobId} is being processed; pause the queue or wait for it to finish.`);
  }
  try {
    await job.remove();
  } catch (e) {
    throw new AppError('conflict', `Job ${jobId} could not be deleted: ${(e as Error).message}`);
  }
  const parsed = parseJobData(job.data);
  if (parsed.ok && state !== 'completed' && state !== 'failed') {
    await markJobFinished(ctx, parsed.data.runId, {
      jobId,
      nodeId: t.queue.id,
      attempts: job.attemptsMade,
      outcome: 'failed',
      error: `deleted by an operator from queue ${t.queue.id}`,
    });
  }
}

/**
 * Pauses the queue for every worker: nothing more is taken (active jobs
 * finish), messages keep arriving and `waiting` grows. Resume takes up where
 * it stopped; nothing is lost either way.
 */
export async function setPaused(ctx: RuntimeContext, t: QueueTarget, paused: boolean): Promise<{ paused: boolean }> {
  const queue = bull(ctx, t);
  if (paused) await queue.pause();
  else await queue.resume();
  return { paused: await queue.isPaused() };
}
