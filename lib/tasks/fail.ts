import type { TaskRunner } from './types';

/**
 * Resilience drills: fails a `rate` fraction of messages with a retryable
 * error, so the queue's attempts, backoff and dead-letter edge come into play;
 * the others pass on unchanged. Each attempt draws afresh (Math.random), so a
 * message failed once can pass on its retry, as a flaky dependency would.
 * Rate 0 never fails and rate 1 always fails (random() is in [0, 1)).
 */
export const INJECTED_FAILURE = 'injected failure';

export const shouldFail = (rate: number, random: () => number = Math.random): boolean => random() < rate;

export const runFail: TaskRunner<'fail'> = async (task, payload) => {
  if (shouldFail(task.rate)) throw new Error(INJECTED_FAILURE);
  return { output: payload };
};
