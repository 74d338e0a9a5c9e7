import type { JobsOptions } from 'bullmq';
import type { CompiledQueue } from '../pipeline/compile';

/**
 * BullMQ job options from a queue node's settings. Applied per job when it
 * is added, since jobs of one BullMQ queue may come from several versions.
 *
 * Completed and failed jobs are always trimmed (never kept forever): by
 * default the last 1000 completed and 5000 failed per queue stay visible to
 * operators; a queue node's `retention` changes that.
 */
export const DEFAULT_KEEP_COMPLETED = 1000;
export const DEFAULT_KEEP_FAILED = 5000;

const keep = (count: number) => (count === 0 ? true : { count });

export function jobOptionsFor(queue: CompiledQueue): JobsOptions {
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
  };
}
