import { hostname } from 'node:os';
import { Worker, type WorkerOptions } from 'bullmq';
import { log } from '../lib/log';
import type { CompiledSpec } from '../lib/pipeline/compile';
import { createRedis, type Redis } from '../lib/redis';
import { createRuntimeContext, type RuntimeContext } from '../lib/runtime/context';
import { getSpec, listDeployed } from '../lib/runtime/deploy';
import { removeHeartbeat, writeHeartbeat, type WorkerIdentity } from '../lib/runtime/workers';
import { createTaskResources, type TaskResources } from '../lib/tasks';
import { createProcessor, createUnprocessedFailureHandler } from './process-job';
import { ProducerRuntime, type ProducerTuning } from './producers';

/**
 * Runs the consumers of every deployed pipeline in this process and keeps
 * them in step with what is deployed: one BullMQ Worker per consumer node,
 * created, updated (concurrency) or closed as specs are deployed and
 * undeployed. It learns of deploys from the deploys channel and, in case a
 * message is missed (reconnects drop pub/sub), by polling `deployed` every
 * second, so a deploy is picked up within a second without a restart.
 *
 * Started in-process by tests; workers/main.ts only adds env and signals.
 */
export interface SupervisorOptions {
  redisUrl: string;
  prefix: string;
  /** Shown on the dashboard; defaults to host:pid. Two live processes must not share one. */
  workerId?: string;
  statsWindowSec: number;
  runRetentionHours: number;
  pollIntervalMs?: number;
  heartbeatIntervalMs?: number;
  statsFlushIntervalMs?: number;
  /** How long stop() lets active jobs finish before forcing the workers closed. */
  shutdownGraceMs?: number;
  /** Extra BullMQ Worker settings (tests shorten drainDelay, stalledInterval...). */
  workerSettings?: Partial<Pick<WorkerOptions, 'drainDelay' | 'stalledInterval' | 'lockDuration' | 'maxStalledCount'>>;
  /** Schedule and generator timings (tests shorten the lease and scan intervals). */
  producers?: ProducerTuning;
}

interface RunningConsumer {
  worker: Worker;
  /** The consumer's sandboxes and compiled code: made with the Worker, disposed once it has closed. */
  resources: TaskResources;
  fingerprint: string;
  spec: CompiledSpec;
}

/** How long a forced close may take before shutdown goes on without it. */
const FORCED_CLOSE_MS = 5000;

export class WorkerSupervisor {
  readonly id: string;
  private readonly opts: Required<Omit<SupervisorOptions, 'workerId' | 'workerSettings' | 'producers'>> & Pick<SupervisorOptions, 'workerSettings' | 'producers'>;
  private ctx: RuntimeContext | undefined;
  /** Shared by every Worker as its command connection; each Worker adds one blocking connection of its own. */
  private workerConn: Redis | undefined;
  private readonly running = new Map<string, RunningConsumer>();
  private readonly closing = new Set<Promise<void>>();
  private readonly identity: WorkerIdentity;
  private timers: Array<ReturnType<typeof setInterval>> = [];
  private unsubscribe: (() => void) | undefined;
  private reconciling: Promise<void> | undefined;
  private reconcileAgain = false;
  private state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';
  /** Schedules and generators run in this process (workers/producers.ts). */
  producers: ProducerRuntime | undefined;

  constructor(options: SupervisorOptions) {
    this.id = options.workerId ?? `${hostname()}:${process.pid}`;
    this.opts = {
      pollIntervalMs: 1000,
      heartbeatIntervalMs: 1000,
      statsFlushIntervalMs: 1000,
      shutdownGraceMs: 30_000,
      ...options,
    };
    this.identity = { id: this.id, host: hostname(), pid: process.pid, startedAt: Date.now() };
  }

  /** Consumers running here, as `<pipelineId>/<consumerId>`. */
  get consumers(): string[] {
    return [...this.running.keys()].sort();
  }

  get runtime(): RuntimeContext {
    if (!this.ctx) throw new Error('the supervisor is not started');
    return this.ctx;
  }

  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error(`cannot start a supervisor that is ${this.state}`);
    this.state = 'running';
    const ctx = createRuntimeContext(this.opts.redisUrl, this.opts.prefix, {
      role: 'blocking',
      workerId: this.id,
      statsWindowSec: this.opts.statsWindowSec,
      runRetentionHours: this.opts.runRetentionHours,
      statsFlushIntervalMs: this.opts.statsFlushIntervalMs,
    });
    this.ctx = ctx;
    this.workerConn = createRedis(this.opts.redisUrl, 'blocking', { connectionName: `conveyor-worker-${this.id}` });
    this.workerConn.on('error', (err) => log.warn('worker connection error', { error: err.message }));

    this.producers = new ProducerRuntime(ctx, {
      workerId: this.id,
      connection: this.workerConn,
      workerSettings: this.opts.workerSettings,
      tuning: this.opts.producers,
    });
    await this.producers.start();

    await this.heartbeat();
    this.unsubscribe = await ctx.pubsub.subscribe(ctx.keys.deploysChannel, () => void this.reconcile());
    await this.reconcile();
    this.timers.push(
      setInterval(() => void this.heartbeat(), this.opts.heartbeatIntervalMs),
      setInterval(() => void this.reconcile(), this.opts.pollIntervalMs),
    );
    log.info('worker started', { workerId: this.id, consumers: this.consumers.length });
  }

  /**
   * Stops taking jobs, lets active ones finish (up to shutdownGraceMs, then
   * forces: unfinished jobs go back to their queues via BullMQ's stalled
   * check), flushes stats, removes the heartbeat, closes connections.
   */
  async stop(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopping';
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.unsubscribe?.();
    await this.reconciling?.catch(() => {});
    await this.producers?.stop();
    for (const key of [...this.running.keys()]) this.retire(key);
    await Promise.allSettled([...this.closing]);
    const ctx = this.ctx!;
    await ctx.stats.flush();
    await removeHeartbeat(ctx, this.id).catch((e) => log.warn('could not remove the heartbeat', { error: (e as Error).message }));
    await ctx.close();
    await this.workerConn?.quit().catch(() => this.workerConn?.disconnect());
    this.state = 'stopped';
    log.info('worker stopped', { workerId: this.id });
  }

  /**
   * Brings the running consumers in line with `deployed`. Calls made while
   * one is in progress coalesce into one more pass after it.
   */
  reconcile(): Promise<void> {
    if (this.state !== 'running') return Promise.resolve();
    if (this.reconciling) {
      this.reconcileAgain = true;
      return this.reconciling;
    }
    this.reconciling = (async () => {
      try {
        do {
          this.reconcileAgain = false;
          await this.reconcileOnce();
          await this.producers?.reconcile();
        } while (this.reconcileAgain && this.state === 'running');
      } catch (e) {
        log.error('reconcile failed; retrying on the next poll', { error: (e as Error).message });
      } finally {
        this.reconciling = undefined;
      }
    })();
    return this.reconciling;
  }

  private async reconcileOnce(): Promise<void> {
    const ctx = this.runtime;
    const deployed = await listDeployed(ctx);
    const desired = new Map<string, { spec: CompiledSpec; consumerId: string }>();
    for (const [pid, version] of deployed) {
      let spec: CompiledSpec | null;
      try {
        spec = await getSpec(ctx, pid, version);
      } catch (e) {
        log.error('unreadable spec; keeping what runs for it', { pipelineId: pid, version, error: (e as Error).message });
        for (const key of this.running.keys()) if (key.startsWith(`${pid}/`)) desired.set(key, { spec: this.running.get(key)!.spec, consumerId: key.slice(pid.length + 1) });
        continue;
      }
      if (!spec) {
        log.warn('deployed version has no spec in Redis', { pipelineId: pid, version });
        continue;
      }
      for (const c of Object.values(spec.consumers)) {
        if (spec.queues[c.input]) desired.set(`${pid}/${c.id}`, { spec, consumerId: c.id });
      }
    }
    if (this.state !== 'running') return;

    await this.keepDraining(deployed, desired);
    for (const key of [...this.running.keys()]) if (!desired.has(key)) this.retire(key);

    for (const [key, { spec, consumerId }] of desired) {
      const consumer = spec.consumers[consumerId]!;
      const queue = spec.queues[consumer.input]!;
      // What a live Worker cannot change in place. Concurrency it can; the task
      // and outputs are read from the job's spec version on every job.
      const fingerprint = JSON.stringify({ queue: queue.queueName, rateLimit: queue.options.rateLimit ?? null });
      const current = this.running.get(key);
      if (current && current.fingerprint === fingerprint) {
        current.spec = spec;
        if (current.worker.concurrency !== consumer.concurrency) current.worker.concurrency = consumer.concurrency;
        continue;
      }
      if (current) this.retire(key);
      try {
        this.running.set(key, this.createWorker(spec, consumerId, fingerprint));
        log.info('consumer started', { pipelineId: spec.pipelineId, consumerId, version: spec.version, queue: queue.queueName });
      } catch (e) {
        // One consumer that cannot start must not keep the others from starting; the next poll tries again.
        log.error('consumer could not start', { pipelineId: spec.pipelineId, consumerId, error: (e as Error).message });
      }
    }
  }

  /**
   * Jobs finish on the version that enqueued them. When a redeploy drops a
   * consumer, jobs an older version left in the queues that nothing in the new
   * version consumes would never run: keep the dropped consumers of such a
   * part of the old graph running, on their old spec, until every orphaned
   * queue of it is empty (all together, so an upstream consumer still emitting
   * never finds its downstream gone). Undeploy stops consumers at once instead.
   */
  private async keepDraining(
    deployed: Map<string, number>,
    desired: Map<string, { spec: CompiledSpec; consumerId: string }>,
  ): Promise<void> {
    const consumedNow = new Set<string>();
    for (const { spec, consumerId } of desired.values()) consumedNow.add(spec.queues[spec.consumers[consumerId]!.input]!.queueName);
    const busyBySpec = new Map<CompiledSpec, Promise<boolean>>();
    for (const [key, entry] of this.running) {
      if (desired.has(key) || !deployed.has(entry.spec.pipelineId)) continue;
      const old = entry.spec;
      let busy = busyBySpec.get(old);
      if (!busy) {
        const orphaned = Object.values(old.queues).filter((q) => !consumedNow.has(q.queueName));
        busy = Promise.all(
          orphaned.map(async (q) => {
            const c = await this.runtime.queues.get(q.queueName).getJobCounts('waiting', 'prioritized', 'active', 'delayed');
            return Object.values(c).some((n) => n > 0);
          }),
        ).then((list) => list.some(Boolean), () => true); // unknown: keep draining, look again next poll
        busyBySpec.set(old, busy);
      }
      const input = old.queues[old.consumers[key.slice(old.pipelineId.length + 1)]?.input ?? '']?.queueName;
      if (input && !consumedNow.has(input) && (await busy)) {
        desired.set(key, { spec: old, consumerId: key.slice(old.pipelineId.length + 1) });
      }
    }
  }

  private createWorker(spec: CompiledSpec, consumerId: string, fingerprint: string): RunningConsumer {
    const consumer = spec.consumers[consumerId]!;
    const queue = spec.queues[consumer.input]!;
    const entry = { fingerprint, spec, resources: createTaskResources() } as RunningConsumer;
    const binding = {
      pipelineId: spec.pipelineId,
      consumerId,
      liveSpec: () => entry.spec,
      resources: entry.resources,
    };
    const processor = createProcessor(this.runtime, binding);
    const rl = queue.options.rateLimit;
    entry.worker = new Worker(queue.queueName, processor, {
      connection: this.workerConn!,
      prefix: this.runtime.keys.bullPrefix,
      concurrency: consumer.concurrency,
      name: this.id,
      ...(rl ? { limiter: { max: rl.max, duration: rl.durationMs } } : {}),
      ...this.opts.workerSettings,
    });
    entry.worker.on('failed', createUnprocessedFailureHandler(this.runtime, binding));
    entry.worker.on('error', (err) =>
      log.error('worker error', { pipelineId: spec.pipelineId, consumerId, error: err.message }),
    );
    return entry;
  }

  /** Closes a consumer's Worker in the background, letting its active jobs finish first. */
  private retire(key: string): void {
    const entry = this.running.get(key);
    if (!entry) return;
    this.running.delete(key);
    const closing = this.closeGracefully(entry.worker, key).finally(() => {
      entry.resources.dispose();
      this.closing.delete(closing);
    });
    this.closing.add(closing);
    log.info('consumer stopping', { consumer: key });
  }

  private async closeGracefully(worker: Worker, key: string): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), this.opts.shutdownGraceMs)));
    const closed = worker.close().then(() => 'closed' as const);
    const outcome = await Promise.race([closed, timedOut]).catch((e: Error) => {
      log.warn('worker close failed', { consumer: key, error: e.message });
      return 'closed' as const;
    });
    clearTimeout(timer);
    if (outcome === 'timeout') {
      log.warn('active jobs did not finish in time; forcing the worker closed', { consumer: key });
      worker.cancelAllJobs('the worker is shutting down');
      // close(true) after close() returns the same graceful promise, so a task
      // that ignores the cancel would hold shutdown forever: give up after a
      // bound. Its job's lock then lapses and BullMQ's stalled check hands it on.
      let forceTimer: ReturnType<typeof setTimeout> | undefined;
      const gaveUp = new Promise<void>((r) => (forceTimer = setTimeout(r, FORCED_CLOSE_MS)));
      await Promise.race([worker.close(true).catch(() => {}), gaveUp]);
      clearTimeout(forceTimer);
    }
  }

  private async heartbeat(): Promise<void> {
    if (!this.ctx || this.state !== 'running') return;
    await writeHeartbeat(this.ctx, this.identity).catch((e) =>
      log.warn('heartbeat failed', { workerId: this.id, error: (e as Error).message }),
    );
  }
}
