import type { TaskOf, TaskRunner } from './types';

/**
 * Waits a service time, then passes the message on unchanged: the tool for
 * capacity experiments. `ms` is the mean service time; the distribution:
 *
 * - fixed: exactly `ms`.
 * - uniform: uniform over [ms - jitterMs, ms + jitterMs] (clamped at 0).
 * - exponential: exponential with mean `ms` (M/M/c experiments); jitterMs unused.
 *
 * Without `distribution`: uniform when jitterMs > 0, else fixed.
 * Samples are capped at MAX_DELAY_MS, the schema's own limit.
 */
export const MAX_DELAY_MS = 600_000;

export function sampleDelayMs(task: Omit<TaskOf<'delay'>, 'kind'>, random: () => number = Math.random): number {
  const jitter = task.jitterMs ?? 0;
  const distribution = task.distribution ?? (jitter > 0 ? 'uniform' : 'fixed');
  let ms: number;
  switch (distribution) {
    case 'fixed':
      ms = task.ms;
      break;
    case 'uniform':
      ms = task.ms - jitter + 2 * jitter * random();
      break;
    case 'exponential':
      // 1 - random() is in (0, 1], so the log is finite.
      ms = -Math.log(1 - random()) * task.ms;
      break;
  }
  return Math.min(MAX_DELAY_MS, Math.max(0, ms));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('aborted'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('aborted: the worker is shutting down'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const runDelay: TaskRunner<'delay'> = async (task, payload, ctx) => {
  await sleep(sampleDelayMs(task), ctx.signal);
  return { output: payload };
};
