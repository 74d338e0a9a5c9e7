import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '../db';
import { log } from '../log';
import type { RuntimeContext } from '../runtime/context';
import { runFromRecord, type Run } from '../runtime/runs';
import { pruneRunHistory } from './prune-run-history';
import { writeRunHistory } from './write-run-history';

/**
 * Copies finished runs from Redis to the SQL Run table, in batches, off the
 * hot path. Runs in the app process (instrumentation.ts), never in workers.
 *
 * The hand-over is the stream keys.runsFinished, fed by the Lua script that
 * finishes a run (lib/runtime/run-scripts.ts). Every flusher (one per app
 * process, any number of processes) reads it through the consumer group
 * `history`, so each entry goes to one of them:
 *
 *   XREADGROUP >    new entries become pending under this flusher's name
 *   HGETALL         each run's record, still in Redis (RUN_RETENTION_HOURS)
 *   upsert          one statement per batch into Run
 *   XACK + XDEL     in one MULTI, only after the write committed
 *
 * Crash safety: an entry leaves the stream only after its row is committed.
 * A flusher that dies between read and ack leaves its entries pending; any
 * flusher claims those (XAUTOCLAIM) once they have been idle `claimIdleMs`,
 * and writes them again. Writing twice is harmless: the write is an upsert
 * on the run id, so there is at most one row per run, and no run is lost.
 * A batch whose write fails stays pending and is retried by this flusher on
 * its next tick.
 */

export const HISTORY_GROUP = 'history';

export interface RunHistoryOptions {
  /** RUN_HISTORY_DAYS: rows older than this are deleted. */
  historyDays: number;
  /** Entries per batch (one SQL statement). */
  batchSize?: number;
  /** Pause between ticks; a tick drains full batches back to back, up to maxBatchesPerTick. */
  intervalMs?: number;
  maxBatchesPerTick?: number;
  /** Pending this long, an entry is taken to belong to a dead flusher and is claimed. */
  claimIdleMs?: number;
  /** How often to look for such entries. */
  claimEveryMs?: number;
  /** How often retention runs, and how many rows one of its statements deletes. */
  pruneEveryMs?: number;
  pruneBatchSize?: number;
  /** Consumer name in the group; unique per flusher. */
  consumer?: string;
}

type Entry = { streamId: string; runId: string | null };

/** ioredis shapes: XREADGROUP -> [[key, [[id, fields]]]] | null; XAUTOCLAIM -> [next, [[id, fields]], deleted]. */
type RawEntry = [string, string[] | null];

function toEntries(raw: RawEntry[]): Entry[] {
  return raw.map(([streamId, fields]) => {
    let runId: string | null = null;
    for (let i = 0; fields && i + 1 < fields.length; i += 2) if (fields[i] === 'run') runId = fields[i + 1]!;
    return { streamId, runId };
  });
}

export interface FlushResult {
  /** Stream entries taken and acknowledged. */
  entries: number;
  /** Runs written (upserted) to SQL. */
  written: number;
  /** Runs whose Redis record had already expired: their history is lost. */
  expired: number;
}

export class RunHistoryFlusher {
  readonly consumer: string;
  private readonly opts: Required<Omit<RunHistoryOptions, 'consumer'>>;
  private groupReady = false;
  private retry: Entry[] = [];
  private lastClaimAt = 0;
  private claimCursor = '0-0';
  private lastPruneAt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private failing = false;

  constructor(
    private readonly deps: { db: Db; runtime: RuntimeContext },
    options: RunHistoryOptions,
  ) {
    this.consumer = options.consumer ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.opts = {
      historyDays: options.historyDays,
      batchSize: options.batchSize ?? 500,
      intervalMs: options.intervalMs ?? 1000,
      maxBatchesPerTick: options.maxBatchesPerTick ?? 20,
      claimIdleMs: options.claimIdleMs ?? 60_000,
      claimEveryMs: options.claimEveryMs ?? 10_000,
      pruneEveryMs: options.pruneEveryMs ?? 60_000,
      pruneBatchSize: options.pruneBatchSize ?? 1000,
    };
  }

  private get redis() {
    return this.deps.runtime.redis;
  }

  private get stream() {
    return this.deps.runtime.keys.runsFinished;
  }

  /** Ticks every intervalMs until stop(). The timer does not keep the process alive. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /**
   * Graceful stop: no new tick, the one under way finishes its batch (so
   * nothing is left half done for another flusher to claim later).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private schedule(delayMs: number) {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = undefined;
        this.schedule(this.opts.intervalMs);
      });
    }, delayMs);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    try {
      for (let i = 0; i < this.opts.maxBatchesPerTick && !this.stopped; i++) {
        const { entries } = await this.flushOnce();
        if (entries < this.opts.batchSize) break;
      }
      if (Date.now() - this.lastPruneAt >= this.opts.pruneEveryMs && !this.stopped) {
        this.lastPruneAt = Date.now();
        await this.prune();
        await this.forgetIdleConsumers();
      }
      if (this.failing) log.info('run history flusher recovered');
      this.failing = false;
    } catch (e) {
      // One warning per outage; the pending batch is retried next tick.
      if (!this.failing) log.warn('run history flush failed; retrying', { error: (e as Error).message });
      this.failing = true;
    }
  }

  /** One batch: a failed batch first, else entries of dead flushers (now and then), else new entries. */
  async flushOnce(): Promise<FlushResult> {
    let entries = this.retry;
    this.retry = [];
    if (entries.length === 0) entries = await this.claimAbandoned();
    if (entries.length === 0) entries = await this.readNew();
    if (entries.length === 0) return { entries: 0, written: 0, expired: 0 };
    try {
      return await this.handle(entries);
    } catch (e) {
      this.retry = entries;
      throw e;
    }
  }

  /** Flushes until the stream has nothing for this flusher (tests, scripts, a final drain). */
  async drain(): Promise<FlushResult> {
    const total: FlushResult = { entries: 0, written: 0, expired: 0 };
    for (;;) {
      const r = await this.flushOnce();
      total.entries += r.entries;
      total.written += r.written;
      total.expired += r.expired;
      if (r.entries === 0) return total;
    }
  }

  private async handle(entries: Entry[]): Promise<FlushResult> {
    const runIds = [...new Set(entries.map((e) => e.runId).filter((id): id is string => id !== null))];
    const pipe = this.redis.pipeline();
    for (const id of runIds) pipe.hgetall(this.deps.runtime.keys.run(id));
    const results = (await pipe.exec()) ?? [];
    const runs: Run[] = [];
    let expired = 0;
    for (const [i, [err, hash]] of results.entries()) {
      if (err) throw err;
      const run = runFromRecord(runIds[i]!, hash as Record<string, string>);
      if (!run) expired++;
      // Only finished runs are handed over; anything else would be a stale row.
      else if (run.status === 'completed' || run.status === 'failed') runs.push(run);
    }
    if (expired > 0) log.warn('finished runs expired from Redis before reaching run history', { count: expired });

    await writeRunHistory(this.deps.db, runs);
    const ids = entries.map((e) => e.streamId);
    // Acknowledge and delete together: the stream only holds runs not yet written.
    const ack = await this.redis.multi().xack(this.stream, HISTORY_GROUP, ...ids).xdel(this.stream, ...ids).exec();
    const failed = ack?.find(([err]) => err);
    if (failed) throw failed[0];
    return { entries: entries.length, written: runs.length, expired };
  }

  private async ensureGroup(): Promise<void> {
    if (this.groupReady) return;
    try {
      // From the start of the stream: entries added before any flusher existed are history too.
      await this.redis.xgroup('CREATE', this.stream, HISTORY_GROUP, '0', 'MKSTREAM');
    } catch (e) {
      if (!String((e as Error).message).includes('BUSYGROUP')) throw e;
    }
    this.groupReady = true;
  }

  /** Runs a group command, re-creating the group once if the stream was deleted under it. */
  private async withGroup<T>(command: () => Promise<T>): Promise<T> {
    await this.ensureGroup();
    try {
      return await command();
    } catch (e) {
      if (!String((e as Error).message).includes('NOGROUP')) throw e;
      this.groupReady = false;
      await this.ensureGroup();
      return command();
    }
  }

  private async readNew(): Promise<Entry[]> {
    const res = (await this.withGroup(() =>
      this.redis.xreadgroup('GROUP', HISTORY_GROUP, this.consumer, 'COUNT', this.opts.batchSize, 'STREAMS', this.stream, '>'),
    )) as [string, RawEntry[]][] | null;
    return res?.[0] ? toEntries(res[0][1]) : [];
  }

  private async claimAbandoned(): Promise<Entry[]> {
    if (Date.now() - this.lastClaimAt < this.opts.claimEveryMs) return [];
    const res = (await this.withGroup(() =>
      this.redis.xautoclaim(
        this.stream,
        HISTORY_GROUP,
        this.consumer,
        this.opts.claimIdleMs,
        this.claimCursor,
        'COUNT',
        this.opts.batchSize,
      ),
    )) as [string, RawEntry[], string[]?];
    const [next, raw] = res;
    // One pass over the pending list per claimEveryMs: come back only when this pass is done.
    this.claimCursor = next;
    if (next === '0-0') this.lastClaimAt = Date.now();
    return toEntries(raw);
  }

  /** Retention: rows older than RUN_HISTORY_DAYS, in bounded statements. */
  async prune(now = Date.now()): Promise<number> {
    return pruneRunHistory(this.deps.db, {
      olderThan: new Date(now - this.opts.historyDays * 86_400_000),
      batchSize: this.opts.pruneBatchSize,
    });
  }

  /**
   * Each app process start adds a consumer name to the group; names with
   * nothing pending, idle for a day, are dropped so the group does not grow
   * forever. (Entries of a dead consumer are claimed before it gets here.)
   */
  private async forgetIdleConsumers(): Promise<void> {
    const consumers = (await this.withGroup(() => this.redis.xinfo('CONSUMERS', this.stream, HISTORY_GROUP))) as unknown[][];
    for (const c of consumers) {
      const info: Record<string, unknown> = {};
      for (let i = 0; i + 1 < c.length; i += 2) info[String(c[i])] = c[i + 1];
      if (info.name !== this.consumer && Number(info.pending) === 0 && Number(info.idle) > 86_400_000) {
        await this.redis.xgroup('DELCONSUMER', this.stream, HISTORY_GROUP, String(info.name));
      }
    }
  }
}
