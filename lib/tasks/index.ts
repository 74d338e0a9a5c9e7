import { UnrecoverableError } from 'bullmq';
import type { Task } from '../pipeline/schema';
import { runDelay } from './delay';
import { runFail } from './fail';
import { runHttp } from './http';
import { runNoop } from './noop';
import { runRoute } from './route';
import { runTransform } from './transform';
import type { TaskContext, TaskResult, TaskRunner } from './types';

export type { TaskContext, TaskResult } from './types';
export { createTaskResources, type TaskResources } from './resources';

/**
 * Task implementations by kind. A kind missing here fails its jobs with an
 * UnrecoverableError (retrying cannot help): the external sinks (amqp, nats,
 * mqtt, zeromq) come with a later issue.
 */
type Registry = { [K in Task['kind']]?: TaskRunner<K> };

const runners: Registry = {
  noop: runNoop,
  delay: runDelay,
  transform: runTransform,
  route: runRoute,
  http: runHttp,
  fail: runFail,
};

export function isTaskSupported(kind: Task['kind']): boolean {
  return runners[kind] !== undefined;
}

export async function runTask(task: Task, payload: unknown, ctx: TaskContext): Promise<TaskResult> {
  const runner = runners[task.kind] as TaskRunner<typeof task.kind> | undefined;
  if (!runner) throw new UnrecoverableError(`task kind ${task.kind} is not supported yet`);
  return runner(task as never, payload, ctx);
}
