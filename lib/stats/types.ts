import type { GeneratorStatus } from '../runtime/producers/generator-state';
import type { Percentiles } from './histogram';

/**
 * The stats body of GET /api/v1/pipelines/:id/stats (API.md). Counters are
 * totals since the last deploy; ratePerSec and percentiles cover the last 60 s.
 *
 * What each counter means, per node type:
 *
 * | node     | in                              | out                                   | completed / failed / retried          |
 * |----------|---------------------------------|---------------------------------------|---------------------------------------|
 * | producer | 0                               | messages it emitted (one per payload, | 0                                     |
 * |          |                                 | however many queues get a copy)       |                                       |
 * | queue    | jobs added to it (each copy)    | jobs taken by consumers for the first | 0                                     |
 * |          |                                 | time (retries are not counted again)  |                                       |
 * | consumer | attempts it started (retries    | results it sent on (one per completed | completed: attempts that succeeded;   |
 * |          | included)                       | job with at least one output queue)   | failed: jobs that failed for good;    |
 * |          |                                 |                                       | retried: attempts that failed and     |
 * |          |                                 |                                       | will be tried again                   |
 *
 * So, give or take jobs in flight: queue.in - queue.out = jobs that have not
 * started yet (waiting + delayed), and consumer.in = completed + failed +
 * retried + active.
 *
 * ratePerSec: producer = out/s, queue = in/s (arrival rate λ), consumer =
 * completed/s (throughput). Averaged over the last 60 complete seconds, or
 * the time since deploy when shorter.
 *
 * serviceMs: time a job held a consumer slot (task plus the bookkeeping and
 * enqueueing of its results), per attempt. waitMs: time from when a job
 * became ready in its queue to its first start. A queue node reports both
 * for all jobs taken from it; a consumer for the jobs it took; a producer
 * reports zeros. Percentiles are log-histogram estimates within 2 % (see
 * histogram.ts), 0 when there was no sample in the window.
 */
export interface NodeStats {
  in: number;
  out: number;
  completed: number;
  failed: number;
  retried: number;
  ratePerSec: number;
  serviceMs: Percentiles;
  waitMs: Percentiles;
  /** Queue nodes only, from BullMQ's job counts (waiting includes prioritized). */
  waiting?: number;
  active?: number;
  delayed?: number;
  /** Queue nodes: paused for every worker (pause/resume), so the canvas shows it after a reload. */
  paused?: boolean;
  /** Consumer nodes: completed/failed per worker process. Empty for other nodes. */
  byWorker: Record<string, { completed: number; failed: number }>;
  /**
   * Queue nodes: the queueing model (λ, μ, c, ρ, Erlang C wait, suggested
   * concurrency). Filled in by a later issue; left out until then.
   */
  model?: QueueModel;
  /**
   * Generator producer nodes: the current (or last) start's progress, as
   * GET /pipelines/:id/producers/:nodeId answers it.
   */
  generator?: GeneratorStatus;
}

export interface QueueModel {
  lambda: number;
  mu: number;
  c: number;
  rho: number;
  predictedWaitMs: number | null;
  suggestedConcurrency: number | null;
}

export interface WorkerStatus {
  id: string;
  host: string;
  pid: number;
  startedAt: string;
  lastSeenAt: string;
}

export interface PipelineStats {
  at: string;
  nodes: Record<string, NodeStats>;
  workers: WorkerStatus[];
}

export type { Percentiles };
