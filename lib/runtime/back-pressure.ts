import { AppError } from '../errors';
import type { CompiledQueue, CompiledSpec } from '../pipeline/compile';
import type { RuntimeContext } from './context';

/**
 * maxWaiting: the back-pressure cap of a queue node.
 *
 * "Waiting" is what the stats show as `waiting`: jobs ready to run and not
 * taken yet (BullMQ's wait list plus its prioritized set; a paused queue's
 * jobs included). Delayed jobs (a default delay, a retry's backoff) and
 * active ones do not count. A queue is full when waiting >= maxWaiting.
 *
 * - REST triggers into a full queue are refused with 429 back_pressure and a
 *   Retry-After header, and enqueue nothing (assertRoom).
 * - A consumer whose output queue is full does not drop its message: the job
 *   holds its slot and polls until there is room (waitForRoom), before its
 *   task runs, so no work is done twice and no result is held in memory.
 *   Held slots are the back-pressure: the upstream queue grows in turn, and
 *   past its own maxWaiting its triggers get 429. A job that has waited
 *   HOLD_MAX_MS is put back as delayed for DEFER_MS without using an attempt
 *   (workers/process-job.ts), so a worker can still shut down or redeploy.
 *
 * The cap is soft: the check and the add are two steps, so jobs that pass
 * the check at the same moment (a batch trigger, concurrent consumer slots)
 * can overshoot it by that many. It bounds a backlog; it is not a hard limit.
 */
export const RETRY_AFTER_SEC = 1;
export const HOLD_MAX_MS = 5000;
export const DEFER_MS = 1000;

export interface QueueFill {
  queueId: string;
  waiting: number;
  maxWaiting: number;
}

/** Queues of `queueIds` that have a maxWaiting, resolved in `spec`. */
function capped(spec: CompiledSpec, queueIds: readonly string[]): CompiledQueue[] {
  const out: CompiledQueue[] = [];
  for (const id of new Set(queueIds)) {
    const q = spec.queues[id];
    if (q?.options.maxWaiting !== undefined) out.push(q);
  }
  return out;
}

/** Waiting jobs per queue (wait list + prioritized set), for all queues in ONE round trip. */
export async function waitingCounts(ctx: RuntimeContext, queueNames: readonly string[]): Promise<number[]> {
  if (queueNames.length === 0) return [];
  const pipe = ctx.redis.pipeline();
  for (const name of queueNames) {
    const keys = ctx.queues.get(name).keys;
    pipe.llen(keys.wait!);
    pipe.zcard(keys.prioritized!);
  }
  const results = (await pipe.exec()) ?? [];
  const failed = results.find(([err]) => err);
  if (failed) throw failed[0];
  return queueNames.map((_, i) => Number(results[2 * i]?.[1] ?? 0) + Number(results[2 * i + 1]?.[1] ?? 0));
}

/** The queues of `queueIds` at or over their maxWaiting (empty when none is, or none has a cap: then no round trip). */
export async function fullQueues(ctx: RuntimeContext, spec: CompiledSpec, queueIds: readonly string[]): Promise<QueueFill[]> {
  const queues = capped(spec, queueIds);
  if (queues.length === 0) return [];
  const counts = await waitingCounts(ctx, queues.map((q) => q.queueName));
  return queues
    .map((q, i) => ({ queueId: q.id, waiting: counts[i]!, maxWaiting: q.options.maxWaiting! }))
    .filter((f) => f.waiting >= f.maxWaiting);
}

/** Throws 429 back_pressure (with Retry-After) when any of `queueIds` is full. */
export async function assertRoom(ctx: RuntimeContext, spec: CompiledSpec, queueIds: readonly string[]): Promise<void> {
  const full = await fullQueues(ctx, spec, queueIds);
  if (full.length === 0) return;
  const names = full.map((f) => `${spec.queues[f.queueId]?.label ?? f.queueId} (${f.waiting} waiting, max ${f.maxWaiting})`);
  throw new AppError('back_pressure', `Queue ${names.join(', ')} is full; retry after ${RETRY_AFTER_SEC} s.`, {
    headers: { 'Retry-After': String(RETRY_AFTER_SEC) },
    details: full.map((f) => ({ nodeId: f.queueId, waiting: f.waiting, maxWaiting: f.maxWaiting })),
  });
}

// ---- consumers: hold until there is room --------------------------------------

/**
 * One check in flight per (process, set of queues), shared by every job that
 * asks while it is: a consumer with 100 held slots polls Redis like one. A
 * result is not reused once answered: a job that finds room must see counts
 * taken after the jobs before it went through, or a fast consumer would
 * overshoot the cap by everything it processes in a reuse window.
 */
const checks = new WeakMap<RuntimeContext, Map<string, Promise<QueueFill[]>>>();

function sharedCheck(ctx: RuntimeContext, spec: CompiledSpec, queueIds: readonly string[]): Promise<QueueFill[]> {
  let inFlight = checks.get(ctx);
  if (!inFlight) checks.set(ctx, (inFlight = new Map()));
  const key = `${spec.pipelineId}@${spec.version}|${[...queueIds].sort().join(',')}`;
  const pending = inFlight.get(key);
  if (pending) return pending;
  const result = fullQueues(ctx, spec, queueIds).finally(() => inFlight.delete(key));
  inFlight.set(key, result);
  return result;
}

export interface HoldResult {
  /** true: every queue has room now. false: still full after maxWaitMs, or aborted. */
  hasRoom: boolean;
  /** Time spent waiting. */
  heldMs: number;
}

/**
 * Resolves once none of `queueIds` is full, polling (50 ms, doubling to
 * 250 ms); gives up after `maxWaitMs` or when `signal` aborts. Queues without
 * maxWaiting cost nothing: no round trip at all.
 */
export async function waitForRoom(
  ctx: RuntimeContext,
  spec: CompiledSpec,
  queueIds: readonly string[],
  opts: { maxWaitMs?: number; signal?: AbortSignal } = {},
): Promise<HoldResult> {
  if (capped(spec, queueIds).length === 0) return { hasRoom: true, heldMs: 0 };
  const started = Date.now();
  const deadline = started + (opts.maxWaitMs ?? HOLD_MAX_MS);
  let pause = 50;
  for (;;) {
    const full = await sharedCheck(ctx, spec, queueIds);
    if (full.length === 0) return { hasRoom: true, heldMs: Date.now() - started };
    if (Date.now() >= deadline || opts.signal?.aborted) return { hasRoom: false, heldMs: Date.now() - started };
    await sleep(Math.min(pause, Math.max(1, deadline - Date.now())), opts.signal);
    pause = Math.min(pause * 2, 250);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
