import type { ChainableCommander } from 'ioredis';
import { z } from 'zod';
import type { RuntimeContext } from './context';
import type { SharedSubscriber } from './pubsub';
import { HANDOVER_MAX_LEN, JOB_FINISHED, JOB_STARTED } from './run-scripts';

/**
 * Run records: one hash per run in Redis (layout and counting rules in
 * ./run-scripts.ts), readable through GET /api/v1/runs/:id for
 * RUN_RETENTION_HOURS. Writes happen on the hot path; the SQL database never
 * sees them there: finished runs are handed over through a Redis stream and
 * copied to SQL in batches by lib/runs/.
 */

export const RunStatusSchema = z.enum(['queued', 'running', 'completed', 'failed']);
export type RunStatus = z.infer<typeof RunStatusSchema>;

/**
 * One job of the run at one consumer. Step status: running, retrying (failed
 * an attempt, will be tried again), completed or failed (for good).
 */
export const RunStepSchema = z.object({
  nodeId: z.string(),
  status: z.enum(['running', 'retrying', 'completed', 'failed']),
  attempts: z.number().int(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  error: z.string().optional(),
});
export type RunStep = z.infer<typeof RunStepSchema>;

/** API.md's Run. */
export const RunSchema = z.object({
  id: z.string(),
  pipelineId: z.string(),
  version: z.number().int(),
  status: RunStatusSchema,
  steps: z.array(RunStepSchema),
  output: z.unknown().optional(),
  createdAt: z.string(),
  finishedAt: z.string().optional(),
});
export type Run = z.infer<typeof RunSchema>;

export interface NewRun {
  runId: string;
  pipelineId: string;
  version: number;
  producerId: string;
  /** Jobs enqueued for it at trigger time (the producer's queue count). */
  pending: number;
  createdAt: number;
}

/** Queues the creation of run records on a pipeline or MULTI, so a batch costs one round trip. */
export function addRunRecords(ctx: RuntimeContext, pipe: ChainableCommander, runs: readonly NewRun[]): void {
  for (const r of runs) {
    const key = ctx.keys.run(r.runId);
    pipe.hset(key, {
      pipelineId: r.pipelineId,
      version: String(r.version),
      producerId: r.producerId,
      createdAt: String(r.createdAt),
      status: 'queued',
      pending: String(r.pending),
    });
    pipe.expire(key, ctx.config.runRetentionSec);
  }
}

/** A consumer started an attempt (attempts = attempts started so far, this one included). */
export async function markJobStarted(
  ctx: RuntimeContext,
  runId: string,
  job: { jobId: string; nodeId: string; attempts: number },
  now = Date.now(),
): Promise<void> {
  await JOB_STARTED.run(ctx.redis, [ctx.keys.run(runId)], [job.jobId, job.nodeId, now, job.attempts]);
}

export interface JobEnd {
  jobId: string;
  nodeId: string;
  attempts: number;
  outcome: 'completed' | 'failed' | 'retrying';
  /** Jobs enqueued downstream with the result (completed only). */
  enqueued?: number;
  /** Recorded as the run's output when the job ran at a sink; undefined for none. */
  output?: unknown;
  error?: string;
}

/** Counts a job's end; see run-scripts.ts. 0 = no such run, 1 = counted, 2 = counted before. */
export async function markJobFinished(ctx: RuntimeContext, runId: string, end: JobEnd, now = Date.now()): Promise<number> {
  const output = end.output === undefined ? '' : JSON.stringify(end.output);
  const result = await JOB_FINISHED.run(
    ctx.redis,
    [ctx.keys.run(runId), ctx.keys.runsFinished],
    [
      end.jobId,
      end.nodeId,
      now,
      end.outcome,
      end.enqueued ?? 0,
      output,
      end.error ?? '',
      runId,
      end.attempts,
      ctx.keys.runDoneChannel,
      HANDOVER_MAX_LEN,
    ],
  );
  return Number(result);
}

const iso = (ms: unknown) => (typeof ms === 'number' || (typeof ms === 'string' && ms !== '') ? new Date(Number(ms)).toISOString() : null);

/** The run as API.md shows it, or null when unknown or expired. */
export async function getRun(ctx: RuntimeContext, runId: string): Promise<Run | null> {
  return runFromRecord(runId, await ctx.redis.hgetall(ctx.keys.run(runId)));
}

/** A run record's hash (HGETALL) as API.md's Run; null for an empty hash (unknown or expired). */
export function runFromRecord(runId: string, h: Record<string, string>): Run | null {
  if (!h.pipelineId) return null;
  const steps: Array<RunStep & { sortKey: number }> = [];
  for (const [field, value] of Object.entries(h)) {
    if (!field.startsWith('step|')) continue;
    let s: { nodeId?: string; status?: string; attempts?: number; startedAt?: number; finishedAt?: number; error?: string };
    try {
      s = JSON.parse(value);
    } catch {
      continue;
    }
    const status = RunStepSchema.shape.status.safeParse(s.status);
    steps.push({
      nodeId: String(s.nodeId ?? ''),
      status: status.success ? status.data : 'running',
      attempts: Number(s.attempts ?? 0),
      startedAt: iso(s.startedAt),
      finishedAt: iso(s.finishedAt),
      ...(s.error ? { error: String(s.error) } : {}),
      sortKey: Number(s.startedAt ?? 0),
    });
  }
  steps.sort((a, b) => a.sortKey - b.sortKey || a.nodeId.localeCompare(b.nodeId));
  const status = RunStatusSchema.safeParse(h.status);
  const run: Run = {
    id: runId,
    pipelineId: h.pipelineId,
    version: Number(h.version),
    status: status.success ? status.data : 'queued',
    steps: steps.map(({ sortKey: _, ...s }) => s),
    createdAt: iso(h.createdAt) ?? new Date(0).toISOString(),
  };
  if (h.output !== undefined) {
    try {
      run.output = JSON.parse(h.output);
    } catch {
      run.output = h.output;
    }
  }
  const finishedAt = iso(h.finishedAt);
  if (finishedAt) run.finishedAt = finishedAt;
  return run;
}

// ---- waiting for a run (?wait=) ---------------------------------------------

/**
 * Waiters of one process, keyed by run id, fed by ONE subscription to
 * keys.runDoneChannel on the context's shared subscriber connection.
 */
class RunWaiters {
  private readonly waiting = new Map<string, Set<() => void>>();
  readonly ready: Promise<unknown>;

  constructor(pubsub: SharedSubscriber, channel: string) {
    this.ready = pubsub.subscribe(channel, (runId) => {
      for (const wake of this.waiting.get(runId) ?? []) wake();
    });
  }

  add(runId: string, wake: () => void) {
    let set = this.waiting.get(runId);
    if (!set) this.waiting.set(runId, (set = new Set()));
    set.add(wake);
  }

  remove(runId: string, wake: () => void) {
    const set = this.waiting.get(runId);
    if (!set) return;
    set.delete(wake);
    if (set.size === 0) this.waiting.delete(runId);
  }

  get size() {
    return this.waiting.size;
  }
}

const registries = new WeakMap<SharedSubscriber, RunWaiters>();

async function waitersOf(ctx: RuntimeContext): Promise<RunWaiters> {
  let w = registries.get(ctx.pubsub);
  if (!w) {
    w = new RunWaiters(ctx.pubsub, ctx.keys.runDoneChannel);
    registries.set(ctx.pubsub, w);
    w.ready.catch(() => registries.delete(ctx.pubsub)); // let the next call try again
  }
  await w.ready;
  return w;
}

const isFinished = (status: string | null) => status === 'completed' || status === 'failed';

/**
 * Resolves true as soon as the run is completed or failed, false when
 * `timeoutMs` passes first or the run does not exist.
 */
export async function waitForRun(ctx: RuntimeContext, runId: string, timeoutMs: number): Promise<boolean> {
  const key = ctx.keys.run(runId);
  if (timeoutMs <= 0) return isFinished(await ctx.redis.hget(key, 'status'));
  const waiters = await waitersOf(ctx);
  return new Promise<boolean>((resolve) => {
    let settled = false;
    const settle = (finished: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      waiters.remove(runId, wake);
      resolve(finished);
    };
    const wake = () => settle(true);
    // Listen first, then look: a run that finished before we listened is seen by the look.
    waiters.add(runId, wake);
    const timer = setTimeout(() => settle(false), timeoutMs);
    ctx.redis.hget(key, 'status').then(
      (status) => {
        if (status === null) settle(false);
        else if (isFinished(status)) settle(true);
      },
      () => {}, // keep waiting for the message or the timeout
    );
  });
}

/** For tests and diagnostics: runs being waited for in this process. */
export function countRunWaiters(ctx: RuntimeContext): number {
  return registries.get(ctx.pubsub)?.size ?? 0;
}
