import type { TaskRunner } from './types';

/** Passes the message on unchanged. */
export const runNoop: TaskRunner<'noop'> = async (_task, payload) => ({ output: payload });
