import { UnrecoverableError } from 'bullmq';
import { isSandboxError } from '../sandbox';

/**
 * Turns a failure of user code (a transform, a route's conditions) into the
 * error that fails the job, deciding whether the queue's attempts apply:
 *
 * - syntax: the code does not compile. Unrecoverable: only a redeploy fixes it.
 * - timeout, memory, stack: a limit was hit. Unrecoverable: the sandbox has no
 *   I/O or timers, so the same message runs the same way again; retrying an
 *   infinite loop only burns attempts × timeoutMs of the worker.
 * - result: nothing or non-JSON was returned. Unrecoverable, same reason.
 * - user: the code threw. Retryable, so attempts, backoff and the dead-letter
 *   queue apply as for any other task failure (code reading Date.now() or
 *   Math.random() can pass next time). Code that knows better throws an error
 *   named "UnrecoverableError" (`const e = new Error('bad order'); e.name =
 *   'UnrecoverableError'; throw e`): that fails the job at once.
 * - internal, and anything not a SandboxError (the engine could not start,
 *   the Worker is closing): retryable.
 *
 * The worker process lives on in every case: the sandbox replaces its engine
 * after a limit was hit.
 */
export function userCodeError(what: string, e: unknown, suffix = ''): Error {
  if (!isSandboxError(e)) return new Error(`${what}: the sandbox failed: ${(e as Error)?.message ?? String(e)}${suffix}`);
  switch (e.kind) {
    case 'syntax':
      return new UnrecoverableError(`${what} code does not compile: ${e.message}${suffix}`);
    case 'user': {
      const message = `${what} code threw ${e.message}${suffix}`;
      return e.userName === 'UnrecoverableError' ? new UnrecoverableError(message) : new Error(message);
    }
    case 'timeout':
    case 'memory':
    case 'stack':
    case 'result': {
      const text = e.message.startsWith(what) ? e.message : `${what}: ${e.message}`;
      return new UnrecoverableError(`${text}${suffix}`);
    }
    case 'internal':
      return new Error(`${what}: ${e.message}${suffix}`);
  }
}
