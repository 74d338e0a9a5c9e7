import { createHash } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import type { CompiledQueue } from '../pipeline/compile';

/**
 * BullMQ job options from a queue node's settings. Applied per job when it
 * is added, since jobs of one BullMQ queue may come from several versions.
 *
 * - attempts (default 1) and backoff: `fixed` waits delayMs between attempts,
 *   `exponential` waits delayMs * 2^(n-1) before attempt n+1; `jitter` (0..1)
 *   draws each wait uniformly from [wait * (1 - jitter), wait] (BullMQ's own
 *   strategies).
 * - priority (0 = none; lower runs first, after every unprioritized job) and
 *   delayMs: defaults for every job entering the queue.
 * - retention: completed and failed jobs are always trimmed (never kept
 *   forever): by default the last 1000 completed and 5000 failed per queue
 *   stay visible to operators; 0 keeps none.
 * - dedupe: see dedupeOptions. Only given for messages (`message` argument):
 *   dead letters and replays are never deduplicated.
 *
 * The rate limit is not a job option: it is the Worker's `limiter`
 * (workers/supervisor.ts), which BullMQ enforces per queue across every
 * worker process. maxWaiting is enforced before adding (./back-pressure.ts).
 */
export const DEFAULT_KEEP_COMPLETED = 1000;
export const DEFAULT_KEEP_FAILED = 5000;

const keep = (count: number) => (count === 0 ? true : { count });

export function jobOptionsFor(queue: CompiledQueue, message?: { payload: unknown }): JobsOptions {
  const o = queue.options;
  return {
    attempts: o.attempts ?? 1,
    ...(o.backoff
      ? {
          backoff: {
            type: o.backoff.type,
            delay: o.backoff.delayMs,
            ...(o.backoff.jitter !== undefined ? { jitter: o.backoff.jitter } : {}),
          },
        }
      : {}),
    ...(o.priority ? { priority: o.priority } : {}),
    ...(o.delayMs ? { delay: o.delayMs } : {}),
    removeOnComplete: keep(o.retention?.completed ?? DEFAULT_KEEP_COMPLETED),
    removeOnFail: keep(o.retention?.failed ?? DEFAULT_KEEP_FAILED),
    ...(message && o.dedupe ? { deduplication: dedupeOptions(o.dedupe, message.payload) } : {}),
  };
}

/**
 * Deduplication by content. A message whose payload equals (as canonical
 * JSON: object keys sorted) that of a message already in the queue is
 * dropped:
 *
 * - `dedupe: {}`: while that earlier message is waiting, delayed or being
 *   processed (until it completes or fails);
 * - `dedupe: { ttlMs }`: for ttlMs after the earlier message was added,
 *   whatever became of it.
 *
 * The key is per queue node, so the same payload may still pass through
 * other queues. A dropped copy ends its branch of the run at once (the run
 * record shows a step at the queue node saying which job it duplicated);
 * see settleDeduplicated in ./dedupe.ts. Triggers carrying an
 * Idempotency-Key are deduplicated before this, by key, for 24 h.
 */
export function dedupeOptions(dedupe: NonNullable<CompiledQueue['options']['dedupe']>, payload: unknown): NonNullable<JobsOptions['deduplication']> {
  return { id: payloadHash(payload), ...(dedupe.ttlMs ? { ttl: dedupe.ttlMs } : {}) };
}

/** sha256 of the payload's canonical JSON, base64url (no ':' so BullMQ's key stays well formed). */
export function payloadHash(payload: unknown): string {
  return createHash('sha256').update(canonicalJson(payload)).digest('base64url');
}

/** JSON with object keys sorted, so {a,b} and {b,a} are the same message. undefined reads as null. */
export function canonicalJson(value: unknown): string {
  if (value === undefined || value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
