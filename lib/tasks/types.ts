import type { Task } from '../pipeline/schema';

/** What a task sees of the job it runs for. */
export interface TaskContext {
  runId: string;
  nodeId: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** Aborted when the worker is forced to stop; long tasks should give up. */
  signal?: AbortSignal;
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
