import type { Redis } from 'ioredis';
import { log } from '../log';
import type { RedisKeys } from '../runtime/keys';
import { counterField, histogramField, workerField, type Counter, type HistogramName, type WorkerCounter } from './fields';
import { bucketKey } from './histogram';

/**
 * Per-node counters and histograms, kept in memory and written to Redis once
 * per interval (1 s) in ONE pipelined round trip per process, whatever the
 * job rate: the hot path only touches Maps.
 *
 * Every event lands in the totals hash (counters since deploy) and in the
 * hash of the second it happened in (rates and latency histograms), which
 * expires after STATS_WINDOW_SEC. What each counter means per node type is
 * written down in ./types.ts.
 *
 * Delivery of stats is best effort: a failed flush keeps its counts and
 * retries them with the next one (up to MAX_PENDING_FIELDS, past which the
 * oldest seconds are dropped rather than growing without bound while Redis is away).
 */
export interface StatsRecorderOptions {
  redis: Redis;
  keys: RedisKeys;
  /** STATS_WINDOW_SEC: how long a per-second hash lives. */
  windowSec: number;
  /** Worker process id for byWorker counts; omit in the app process. */
  workerId?: string;
  flushIntervalMs?: number;
}

interface PipelineBuffer {
  totals: Map<string, number>;
  seconds: Map<number, Map<string, number>>;
}

const MAX_PENDING_FIELDS = 200_000;

function bump(map: Map<string, number>, field: string, n: number) {
  map.set(field, (map.get(field) ?? 0) + n);
}

export class StatsRecorder {
  private buffers = new Map<string, PipelineBuffer>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private flushing: Promise<void> | undefined;
  private readonly opts: Required<Omit<StatsRecorderOptions, 'workerId'>> & { workerId?: string };

  constructor(opts: StatsRecorderOptions) {
    this.opts = { flushIntervalMs: 1000, ...opts };
  }

  get workerId(): string | undefined {
    return this.opts.workerId;
  }

  // ---- low level ------------------------------------------------------------

  /** Adds n to a counter, in the totals and in the second `at` falls in. */
  count(pipelineId: string, nodeId: string, counter: Counter, n = 1, at = Date.now()): void {
    if (n === 0) return;
    const field = counterField(nodeId, counter);
    const buf = this.buffer(pipelineId);
    bump(buf.totals, field, n);
    bump(this.second(buf, at), field, n);
  }

  /** One sample of a latency histogram (per-second only: percentiles are over a window). */
  observe(pipelineId: string, nodeId: string, name: HistogramName, ms: number, at = Date.now()): void {
    bump(this.second(this.buffer(pipelineId), at), histogramField(nodeId, name, bucketKey(ms)), 1);
  }

  private countForWorker(pipelineId: string, nodeId: string, counter: WorkerCounter): void {
    if (!this.opts.workerId) return;
    bump(this.buffer(pipelineId).totals, workerField(nodeId, this.opts.workerId, counter), 1);
  }

  // ---- the events the runtime reports --------------------------------------

  /** A producer emitted `messages`, each copied into every queue of `queueIds`. */
  recordProduced(pipelineId: string, producerId: string, messages: number, queueIds: readonly string[]): void {
    this.count(pipelineId, producerId, 'out', messages);
    for (const q of queueIds) this.count(pipelineId, q, 'in', messages);
  }

  /**
   * A consumer started an attempt of a job from `queueId`. `waitMs` is given
   * for a job's first start only (retries do not wait "in the queue" again).
   */
  recordStarted(pipelineId: string, queueId: string, consumerId: string, waitMs: number | undefined): void {
    const at = Date.now();
    this.count(pipelineId, consumerId, 'in', 1, at);
    if (waitMs !== undefined) {
      this.count(pipelineId, queueId, 'out', 1, at);
      this.observe(pipelineId, queueId, 'wait', waitMs, at);
      this.observe(pipelineId, consumerId, 'wait', waitMs, at);
    }
  }

  /** An attempt ended. `outcome` failed = failed for good; retried = will be tried again. */
  recordFinished(
    pipelineId: string,
    queueId: string,
    consumerId: string,
    outcome: 'completed' | 'failed' | 'retried',
    serviceMs: number,
  ): void {
    const at = Date.now();
    this.count(pipelineId, consumerId, outcome, 1, at);
    if (outcome !== 'retried') this.countForWorker(pipelineId, consumerId, outcome);
    this.observe(pipelineId, consumerId, 'svc', serviceMs, at);
    this.observe(pipelineId, queueId, 'svc', serviceMs, at);
  }

  /** A consumer sent one result on, copied into every queue of `queueIds`. */
  recordEmitted(pipelineId: string, consumerId: string, queueIds: readonly string[]): void {
    if (queueIds.length === 0) return;
    this.count(pipelineId, consumerId, 'out', 1);
    for (const q of queueIds) this.count(pipelineId, q, 'in', 1);
  }

  // ---- flushing ---------------------------------------------------------------

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.opts.flushIntervalMs);
    this.timer.unref?.();
  }

  /** Stops the timer and writes what is left. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /** Writes everything recorded so far in one pipelined round trip. Never throws. */
  async flush(): Promise<void> {
    // One flush at a time: a slow Redis must not pile up concurrent writes.
    while (this.flushing) await this.flushing;
    if (this.buffers.size === 0) return;
    this.flushing = this.write().finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  private async write(): Promise<void> {
    const batch = this.buffers;
    this.buffers = new Map();
    const { redis, keys, windowSec } = this.opts;
    const pipe = redis.pipeline();
    // ops[i] is what command i added, so exactly the commands that failed can be kept for the next flush.
    const ops: Array<{ pipelineId: string; sec: number | null; field: string; n: number } | null> = [];
    for (const [pipelineId, buf] of batch) {
      const totalsKey = keys.statsTotals(pipelineId);
      for (const [field, n] of buf.totals) {
        pipe.hincrby(totalsKey, field, n);
        ops.push({ pipelineId, sec: null, field, n });
      }
      for (const [sec, fields] of buf.seconds) {
        const key = keys.statsSecond(pipelineId, sec);
        for (const [field, n] of fields) {
          pipe.hincrby(key, field, n);
          ops.push({ pipelineId, sec, field, n });
        }
        pipe.expire(key, windowSec);
        ops.push(null);
      }
    }
    let failed = ops;
    let error: unknown;
    try {
      const results = (await pipe.exec()) ?? [];
      failed = ops.filter((_, i) => results[i]?.[0]);
      error = results.find(([err]) => err)?.[0];
    } catch (e) {
      error = e;
    }
    if (error === undefined) return;
    log.warn('stats flush failed; keeping the counts for the next one', { error: (error as Error).message });
    for (const op of failed) {
      if (!op) continue;
      const buf = this.buffer(op.pipelineId);
      bump(op.sec === null ? buf.totals : this.second(buf, op.sec * 1000), op.field, op.n);
    }
    this.trim();
  }

  private trim() {
    let fields = 0;
    for (const buf of this.buffers.values()) {
      fields += buf.totals.size;
      for (const s of buf.seconds.values()) fields += s.size;
    }
    if (fields <= MAX_PENDING_FIELDS) return;
    // Drop the oldest per-second data; totals are small (bounded by nodes x workers) and kept.
    const secs = [...new Set([...this.buffers.values()].flatMap((b) => [...b.seconds.keys()]))].sort((a, b) => a - b);
    for (const sec of secs) {
      if (fields <= MAX_PENDING_FIELDS) break;
      for (const buf of this.buffers.values()) {
        const s = buf.seconds.get(sec);
        if (s) {
          fields -= s.size;
          buf.seconds.delete(sec);
        }
      }
    }
  }

  private buffer(pipelineId: string): PipelineBuffer {
    let buf = this.buffers.get(pipelineId);
    if (!buf) this.buffers.set(pipelineId, (buf = { totals: new Map(), seconds: new Map() }));
    return buf;
  }

  private second(buf: PipelineBuffer, at: number): Map<string, number> {
    const sec = Math.floor(at / 1000);
    let m = buf.seconds.get(sec);
    if (!m) buf.seconds.set(sec, (m = new Map()));
    return m;
  }
}
