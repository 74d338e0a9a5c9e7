import type { Task } from '../pipeline/schema';
import type { TaskResources } from './resources';

/** What a task sees of the job it runs for. */
export interface TaskContext {
  runId: string;
  nodeId: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** Aborted when the worker is forced to stop; long tasks should give up. */
  signal?: AbortSignal;
  /**
   * What the consumer keeps between messages (sandboxes, compiled code),
   * created by the supervisor once per consumer Worker. Without it, tasks
   * that need one make a throwaway one per call: correct, but slow.
   */
  resources?: TaskResources;
  /** Edge ids of the consumer's outgoing edges, in edge order: `route` needs them for its default branch. */
  outputs?: readonly string[];
}

export interface TaskResult {
  /** The message sent on to the consumer's output queues (or the run's output at a sink). */
  output: unknown;
  /**
   * Edge ids of the outputs to send to; undefined = every output. Only the
   * `route` task narrows it.
   */
  edgeIds?: string[];
}

export type TaskOf<K extends Task['kind']> = Extract<Task, { kind: K }>;
export type TaskRunner<K extends Task['kind']> = (task: TaskOf<K>, payload: unknown, ctx: TaskContext) => Promise<TaskResult>;
