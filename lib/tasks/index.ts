import { UnrecoverableError } from 'bullmq';
import type { Task } from '../pipeline/schema';
import { runDelay } from './delay';
import { runNoop } from './noop';
import type { TaskContext, TaskResult, TaskRunner } from './types';

export type { TaskContext, TaskResult } from './types';

/**
 * Task implementations by kind. A kind missing here fails its jobs with an
 * UnrecoverableError (retrying cannot help); later issues add transform,
 * http, route, fail and the external sinks by adding entries.
 */
type Registry = { [K in Task['kind']]?: TaskRunner<K> };

const runners: Registry = {
  noop: runNoop,
  delay: runDelay,
};

export function isTaskSupported(kind: Task['kind']): boolean {
  return runners[kind] !== undefined;
}

export async function runTask(task: Task, payload: unknown, ctx: TaskContext): Promise<TaskResult> {
  const runner = runners[task.kind] as TaskRunner<typeof task.kind> | undefined;
  if (!runner) throw new UnrecoverableError(`task kind ${task.kind} is not supported yet`);
  return runner(task as never, payload, ctx);
}
