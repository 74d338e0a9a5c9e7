import { isAppError } from '../lib/errors';
import { log } from '../lib/log';
import type { CompiledSpec } from '../lib/pipeline/compile';
import type { RuntimeContext } from '../lib/runtime/context';
import { getDeployedSpec } from '../lib/runtime/deploy';
import {
  acquireGenerator,
  commitGenerator,
  listRunningGenerators,
  releaseGenerator,
  STOP_REASONS,
  stopGeneratorState,
  type CommitOutcome,
  type GeneratorLease,
} from '../lib/runtime/producers/generator-state';
import { producerKeys } from '../lib/runtime/producers/keys';
import { Pacer } from '../lib/runtime/producers/pacer';
import { compilePayloadTemplate, type PayloadTemplate } from '../lib/runtime/producers/template';
import { triggerRuns } from '../lib/runtime/trigger';

/**
 * Drives the running generators this worker process holds the lease of.
 *
 * Any worker may drive any generator; exactly one does at a time: the one
 * holding its lease (lib/runtime/producers/generator-state.ts). Every worker
 * looks for running generators nobody holds, when one is started or let go
 * of (pub/sub) and every scanIntervalMs, and tries to take the lease. A
 * holder renews it with every commit; if it dies, the lease lapses after
 * leaseTtlMs and another worker takes over from the committed count.
 *
 * A driver ticks every tickMs: it triggers the messages the Pacer says are
 * due with triggerRuns (in batches of at most maxBatch, one batch = a fixed
 * number of round trips), then commits how many went out. Sequence numbers
 * follow the committed count, so messages are numbered 1..count.
 *
 * Delivery: exactly `count` messages when workers hand over gracefully
 * (stop() finishes the batch in flight, commits it, then lets go). A worker
 * that dies between triggering a batch and committing it leaves that batch
 * uncounted, and the next holder sends those sequence numbers again: at least
 * once, no gaps, duplicates bounded by one batch (ratePerSec x tickMs).
 *
 * Back-pressure: a trigger refused with back_pressure (a queue over its
 * maxWaiting) pauses the generator for backPressureWaitMs and retries; the
 * Pacer then resumes the rate from that moment rather than bursting.
 */
export interface GeneratorPoolOptions {
  workerId: string;
  /** How often a driver sends what is due (default 25 ms; idle ticks cost no round trip). */
  tickMs?: number;
  /** Lease lifetime; a dead holder is replaced after at most this long (default 5000 ms). */
  leaseTtlMs?: number;
  /** How often to look for running generators nobody drives (default 1000 ms). */
  scanIntervalMs?: number;
  /** Most messages per triggerRuns call (default 1000). */
  maxBatch?: number;
  /** Pause after a back_pressure refusal (default 250 ms). */
  backPressureWaitMs?: number;
}

type Settings = Required<GeneratorPoolOptions>;

export class GeneratorPool {
  private readonly opts: Settings;
  private readonly drivers = new Map<string, GeneratorDriver>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private unsubscribe: (() => void) | undefined;
  private scanning: Promise<void> | undefined;
  private scanAgain = false;
  private stopped = false;

  constructor(
    private readonly ctx: RuntimeContext,
    options: GeneratorPoolOptions,
  ) {
    this.opts = { tickMs: 25, leaseTtlMs: 5000, scanIntervalMs: 1000, maxBatch: 1000, backPressureWaitMs: 250, ...options };
  }

  /** Generators driven here, as `<pipelineId>/<nodeId>`. */
  get driving(): string[] {
    return [...this.drivers.keys()].sort();
  }

  async start(): Promise<void> {
    this.unsubscribe = await this.ctx.pubsub.subscribe(producerKeys(this.ctx.config.prefix).generatorsChannel, () => void this.scan());
    this.timer = setInterval(() => void this.scan(), this.opts.scanIntervalMs);
    await this.scan();
  }

  /** Finishes each driver's batch in flight, commits it and lets go of the leases, so other workers take over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
    await this.scanning?.catch(() => {});
    await Promise.allSettled([...this.drivers.values()].map((d) => d.stop()));
  }

  /** Takes every running generator nobody holds. Calls during a scan coalesce into one more. */
  scan(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.scanning) {
      this.scanAgain = true;
      return this.scanning;
    }
    this.scanning = (async () => {
      try {
        do {
          this.scanAgain = false;
          await this.scanOnce();
        } while (this.scanAgain && !this.stopped);
      } catch (e) {
        log.warn('generator scan failed; retrying on the next one', { error: (e as Error).message });
      } finally {
        this.scanning = undefined;
      }
    })();
    return this.scanning;
  }

  private async scanOnce(): Promise<void> {
    for (const member of await listRunningGenerators(this.ctx)) {
      if (this.stopped) return;
      if (this.drivers.has(member)) continue;
      const got = await acquireGenerator(this.ctx, member, this.opts.workerId, this.opts.leaseTtlMs);
      if (got.outcome !== 'ok') continue;
      if (this.stopped) {
        await releaseGenerator(this.ctx, got.lease);
        return;
      }
      const driver = new GeneratorDriver(this.ctx, got.lease, this.opts);
      this.drivers.set(member, driver);
      log.info('generator taken', { generator: member, workerId: this.opts.workerId, sent: got.lease.sent, count: got.lease.count });
      void driver.run().finally(() => {
        if (this.drivers.get(member) === driver) this.drivers.delete(member);
      });
    }
  }
}

type End = CommitOutcome | 'released' | 'error';

const TICK_BUDGET_MS = 250;

class GeneratorDriver {
  private stopping = false;
  private wake: (() => void) | undefined;
  private running: Promise<End> | undefined;
  private templates = new Map<number, PayloadTemplate>();

  constructor(
    private readonly ctx: RuntimeContext,
    private readonly lease: GeneratorLease,
    private readonly opts: Settings,
  ) {}

  run(): Promise<End> {
    this.running ??= this.loop().catch((e) => {
      log.error('generator driver failed', { generator: this.lease.member, error: String((e as Error)?.stack ?? e) });
      return 'error' as const;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
  }

  private async loop(): Promise<End> {
    const { ctx, lease, opts } = this;
    const renewEveryMs = Math.max(opts.tickMs, Math.floor(opts.leaseTtlMs / 3));
    const pacer = new Pacer(lease.ratePerSec, lease.count);
    let sent = lease.sent; // committed + triggered-but-not-yet-committed
    let uncommitted = 0;
    let lastCommit = Date.now();
    let pausedUntil = 0;
    let rebase = true;

    while (!this.stopping) {
      const t0 = Date.now();
      try {
        let due = 0;
        if (t0 >= pausedUntil) {
          if (rebase) pacer.rebase(t0, sent);
          rebase = false;
          due = pacer.due(t0, sent);
        }
        const renew = t0 - lastCommit >= renewEveryMs;
        // Idle ticks (nothing due, lease fresh) cost no round trip.
        if (due > 0 || renew) {
          const spec = await getDeployedSpec(ctx, lease.pipelineId);
          const producer = spec?.producers[lease.nodeId];
          if (!spec || producer?.source.kind !== 'generator') {
            await stopGeneratorState(ctx, lease.pipelineId, lease.nodeId, spec ? STOP_REASONS.removed : STOP_REASONS.undeployed);
            log.info('generator stopped', { generator: lease.member, reason: spec ? 'node removed' : 'undeployed' });
            return 'stopped';
          }
          const result = await this.send(spec, due, sent, t0);
          sent += result.sent;
          uncommitted += result.sent;
          if (result.pauseMs) {
            pausedUntil = Date.now() + result.pauseMs;
            rebase = true;
          }
        }
        if (uncommitted > 0 || renew) {
          const c = await commitGenerator(ctx, lease, uncommitted, opts.leaseTtlMs);
          uncommitted = 0;
          lastCommit = Date.now();
          sent = c.sent;
          if (c.outcome !== 'running') {
            log.info('generator left', { generator: lease.member, outcome: c.outcome, sent: c.sent, workerId: opts.workerId });
            return c.outcome;
          }
        }
      } catch (e) {
        // Redis trouble: keep the lease if we can, resume the rate afterwards instead of bursting.
        log.warn('generator tick failed; retrying', { generator: lease.member, error: (e as Error).message });
        rebase = true;
      }
      await this.sleep(Math.max(0, opts.tickMs - (Date.now() - t0)));
    }

    // Graceful stop: count what went out, then hand over.
    if (uncommitted > 0) {
      await commitGenerator(ctx, lease, uncommitted, opts.leaseTtlMs).catch((e) =>
        log.warn('could not commit the last generator batch; the next holder may send it again', {
          generator: lease.member,
          messages: uncommitted,
          error: (e as Error).message,
        }),
      );
    }
    await releaseGenerator(ctx, lease).catch(() => {});
    log.info('generator released', { generator: lease.member, workerId: opts.workerId });
    return 'released';
  }

  /**
   * Triggers up to `due` messages numbered after `sent`; stops at the first
   * refusal, and after TICK_BUDGET_MS so that a high rate still commits (and
   * renews the lease, and notices a stop) several times a second. What is
   * left is due on the next tick.
   */
  private async send(spec: CompiledSpec, due: number, sent: number, now: number): Promise<{ sent: number; pauseMs?: number }> {
    let done = 0;
    if (due <= 0) return { sent: 0 };
    const template = this.templateFor(spec);
    const budgetEnd = Date.now() + Math.max(TICK_BUDGET_MS, this.opts.tickMs);
    // Even batches: 1250 goes out as 625 + 625, not 1000 + 250.
    const size = Math.ceil(due / Math.ceil(due / this.opts.maxBatch));
    while (done < due && (done === 0 || Date.now() < budgetEnd)) {
      const k = Math.min(due - done, size);
      const first = sent + done + 1;
      const payloads = new Array<unknown>(k);
      for (let i = 0; i < k; i++) payloads[i] = template({ seq: first + i, now });
      try {
        await triggerRuns(this.ctx, { spec, producerId: this.lease.nodeId, payloads });
      } catch (e) {
        if (isAppError(e) && e.code === 'back_pressure') return { sent: done, pauseMs: this.opts.backPressureWaitMs };
        log.warn('generator batch refused; retrying', { generator: this.lease.member, error: (e as Error).message });
        return { sent: done, pauseMs: this.opts.tickMs };
      }
      done += k;
    }
    return { sent: done };
  }

  private templateFor(spec: CompiledSpec): PayloadTemplate {
    let t = this.templates.get(spec.version);
    if (!t) {
      const source = spec.producers[this.lease.nodeId]?.source;
      t = compilePayloadTemplate(source?.kind === 'generator' ? source.payload : undefined);
      this.templates.clear();
      this.templates.set(spec.version, t);
    }
    return t;
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
