import { withResources } from './resources';
import type { TaskRunner } from './types';
import { userCodeError } from './user-code-errors';

/**
 * Runs the user's function body on `msg` in the consumer's sandbox, with the
 * node's time and memory limits (the sandbox's defaults, 1 s and 32 MB, when
 * unset). Its return value, which must be JSON, is the new message. Compiled
 * once per consumer and code (see resources.ts); how failures fail the job,
 * retryable or not, is in user-code-errors.ts.
 */
export const runTransform: TaskRunner<'transform'> = (task, payload, ctx) =>
  withResources(ctx.resources, async (resources) => {
    try {
      const transform = await resources.transform(task.code, { timeoutMs: task.timeoutMs, memoryMb: task.memoryMb });
      return { output: await transform(payload) };
    } catch (e) {
      throw userCodeError('transform', e);
    }
  });
