import { Queue, Worker, type Job, type JobSchedulerJobOptions, type WorkerOptions } from 'bullmq';
import { log } from '../lib/log';
import type { CompiledSpec } from '../lib/pipeline/compile';
import type { Redis } from '../lib/redis';
import type { RuntimeContext } from '../lib/runtime/context';
import { producerKeys } from '../lib/runtime/producers/keys';
import { desiredSchedules, fireScheduleTick, reconcileSchedules, tickFireTime, type TickOutcome } from '../lib/runtime/producers/schedules';

/**
 * The worker side of schedule producers (lib/runtime/producers/schedules.ts):
 * keeps the job schedulers in line with what is deployed, and consumes the
 * ticks they produce, one run per tick.
 *
 * Reconciling is cheap when nothing changed: the schedulers are compared
 * with BullMQ's only when the desired set changed since this process last
 * applied it, or every verifyEveryMs (to repair what someone removed).
 */
export interface ScheduleRunnerOptions {
  workerId: string;
  /** Command connection the ticks Worker shares (the supervisor's). */
  connection: Redis;
  workerSettings?: Partial<Pick<WorkerOptions, 'drainDelay' | 'stalledInterval' | 'lockDuration' | 'maxStalledCount'>>;
  /** Ticks processed at once in this process (default 10). */
  concurrency?: number;
  /** Full comparison with BullMQ at least this often (default 30 s). */
  verifyEveryMs?: number;
}

export class ScheduleRunner {
  private queue: Queue | undefined;
  private worker: Worker | undefined;
  private applied: string | undefined;
  private verifiedAt = 0;
  private readonly reported = new Set<string>();
  private closed = false;

  constructor(
    private readonly ctx: RuntimeContext,
    private readonly opts: ScheduleRunnerOptions,
  ) {}

  private get queueName(): string {
    return producerKeys(this.ctx.config.prefix).ticksQueue;
  }

  async reconcile(specs: CompiledSpec[]): Promise<void> {
    if (this.closed) return;
    const desired = desiredSchedules(specs);
    if (desired.size > 0) this.ensureWorker();
    const fingerprint = JSON.stringify([...desired.values()].sort((a, b) => a.id.localeCompare(b.id)));
    if (fingerprint === this.applied && Date.now() - this.verifiedAt < (this.opts.verifyEveryMs ?? 30_000)) return;

    this.queue ??= new Queue(this.queueName, { connection: this.ctx.redis, prefix: this.ctx.keys.bullPrefix });
    const result = await reconcileSchedules(this.ctx, this.queue, desired);
    if (!result) return; // another supervisor is at it; look again on the next pass
    this.applied = fingerprint;
    this.verifiedAt = Date.now();
    if (result.upserted.length || result.removed.length) {
      log.info('job schedulers reconciled', { upserted: result.upserted, removed: result.removed, workerId: this.opts.workerId });
    }
    for (const f of result.failed) {
      const key = `${f.id}|${f.error}`;
      if (this.reported.has(key)) continue;
      this.reported.add(key);
      log.error('job scheduler refused; its producer will not fire', { scheduler: f.id, error: f.error });
    }
  }

  private ensureWorker(): void {
    if (this.worker || this.closed) return;
    const ctx = this.ctx;
    this.worker = new Worker(
      this.queueName,
      async (job: Job): Promise<TickOutcome> => {
        const outcome = await fireScheduleTick(ctx, {
          data: job.data,
          jobId: job.id!,
          firedAt: tickFireTime(job),
          // Scheduler-made jobs carry their iteration in opts.repeat (BullMQ's JobSchedulerJobOptions).
          iteration: (job.opts as JobSchedulerJobOptions).repeat?.count ?? 0,
        });
        if ('skipped' in outcome) log.debug('schedule tick skipped', { jobId: job.id, reason: outcome.skipped });
        return outcome;
      },
      {
        connection: this.opts.connection,
        prefix: ctx.keys.bullPrefix,
        concurrency: this.opts.concurrency ?? 10,
        name: this.opts.workerId,
        ...this.opts.workerSettings,
      },
    );
    this.worker.on('error', (err) => log.error('schedule ticks worker error', { error: err.message }));
    this.worker.on('failed', (job, err) =>
      log.warn('schedule tick failed', { jobId: job?.id, attempts: job?.attemptsMade, error: err.message }),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([this.worker?.close(), this.queue?.close()]);
  }
}
