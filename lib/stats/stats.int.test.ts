import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntimeContext, type RuntimeContext } from '../runtime/context';
import { publishSpec } from '../runtime/deploy';
import {
  consumerNode,
  deletePrefix,
  edge,
  httpProducer,
  queueNode,
  specOf,
  testPipelineId,
  testPrefix,
  testRedisUrl,
} from '../runtime/testing';
import { triggerRuns } from '../runtime/trigger';
import { listWorkers, removeHeartbeat, writeHeartbeat } from '../runtime/workers';
import { counterField, workerField } from './fields';
import { bucketKey, bucketValue } from './histogram';
import { readPipelineStats } from './read-stats';
import { StatsRecorder } from './recorder';

const url = testRedisUrl();
const prefix = testPrefix();
let ctx: RuntimeContext;

beforeAll(() => {
  ctx = createRuntimeContext(url, prefix, { statsWindowSec: 120, runRetentionHours: 1, statsFlushIntervalMs: 60_000 });
});
afterAll(async () => {
  await ctx.close();
  await deletePrefix(url, prefix);
});

const spec = (pid: string) =>
  specOf(
    {
      nodes: [httpProducer('p'), queueNode('q'), consumerNode('c', { kind: 'noop' })],
      edges: [edge('p', 'q'), edge('q', 'c')],
    },
    pid,
  );

describe('StatsRecorder', () => {
  it('writes totals and per-second buckets in one pipelined round trip, with the window as TTL', async () => {
    const pid = testPipelineId();
    const rec = new StatsRecorder({ redis: ctx.redis, keys: ctx.keys, windowSec: 120, workerId: 'w-1', flushIntervalMs: 60_000 });
    for (let i = 0; i < 500; i++) {
      rec.recordStarted(pid, 'q', 'c', 3);
      rec.recordFinished(pid, 'q', 'c', i % 10 === 0 ? 'retried' : 'completed', 10 + (i % 7));
      rec.recordEmitted(pid, 'c', ['q2']);
    }
    rec.recordProduced(pid, 'p', 500, ['q']);

    await ctx.redis.ping(); // connected, so the socket exists
    const stream = (ctx.redis as unknown as { stream: { write: (...a: unknown[]) => boolean } }).stream;
    const original = stream.write;
    let writes = 0;
    stream.write = function (this: unknown, ...args: unknown[]) {
      writes++;
      return original.apply(this, args);
    };
    try {
      await rec.flush();
    } finally {
      stream.write = original;
    }
    expect(writes).toBe(1);

    const totals = await ctx.redis.hgetall(ctx.keys.statsTotals(pid));
    expect(totals[counterField('c', 'in')]).toBe('500');
    expect(totals[counterField('c', 'completed')]).toBe('450');
    expect(totals[counterField('c', 'retried')]).toBe('50');
    expect(totals[counterField('c', 'out')]).toBe('500');
    expect(totals[counterField('q', 'out')]).toBe('500');
    expect(totals[counterField('q', 'in')]).toBe('500');
    expect(totals[counterField('q2', 'in')]).toBe('500');
    expect(totals[counterField('p', 'out')]).toBe('500');
    expect(totals[workerField('c', 'w-1', 'completed')]).toBe('450');
    expect(totals[workerField('c', 'w-1', 'failed')]).toBeUndefined();

    const secKeys = await ctx.redis.keys(`${prefix}:stats:${pid}:s:*`);
    expect(secKeys.length).toBeGreaterThanOrEqual(1);
    for (const k of secKeys) {
      const ttl = await ctx.redis.ttl(k);
      expect(ttl).toBeGreaterThan(100);
      expect(ttl).toBeLessThanOrEqual(120);
    }
    // nothing left to write: a second flush is a no-op
    await rec.flush();
    expect((await ctx.redis.hgetall(ctx.keys.statsTotals(pid)))[counterField('c', 'in')]).toBe('500');
  });

  it('keeps exactly the writes that failed for the next flush', async () => {
    const pid = testPipelineId();
    const rec = new StatsRecorder({ redis: ctx.redis, keys: ctx.keys, windowSec: 120 });
    // Make the totals key the wrong type: its HINCRBYs fail, the per-second ones succeed.
    await ctx.redis.set(ctx.keys.statsTotals(pid), 'not a hash');
    rec.count(pid, 'q', 'in', 7);
    await rec.flush();
    const sec = (await ctx.redis.keys(`${prefix}:stats:${pid}:s:*`))[0]!;
    expect(await ctx.redis.hget(sec, 'q|in')).toBe('7');
    await ctx.redis.del(ctx.keys.statsTotals(pid));
    await rec.flush();
    expect(await ctx.redis.hget(ctx.keys.statsTotals(pid), 'q|in')).toBe('7');
    expect(await ctx.redis.hget(sec, 'q|in')).toBe('7'); // not double counted
  });

  it('flushes on stop()', async () => {
    const pid = testPipelineId();
    const rec = new StatsRecorder({ redis: ctx.redis, keys: ctx.keys, windowSec: 120, flushIntervalMs: 60_000 });
    rec.start();
    rec.count(pid, 'x', 'out', 3);
    await rec.stop();
    expect(await ctx.redis.hget(ctx.keys.statsTotals(pid), 'x|out')).toBe('3');
  });
});

describe('readPipelineStats', () => {
  it("returns API.md's body: counters, rates, percentiles, queue counts, byWorker, live workers", async () => {
    const pid = testPipelineId();
    const s = spec(pid);
    await publishSpec(ctx, s);
    await triggerRuns(ctx, { spec: s, payloads: [1, 2, 3] }); // 3 waiting jobs, producer out 3 (in ctx.stats)
    await ctx.stats.flush();

    const rec = new StatsRecorder({ redis: ctx.redis, keys: ctx.keys, windowSec: 120, workerId: 'host-a:1' });
    const now = Date.now();
    for (let i = 0; i < 100; i++) {
      rec.recordStarted(pid, 'q', 'c', 1);
      rec.recordFinished(pid, 'q', 'c', i < 98 ? 'completed' : 'failed', i < 95 ? 5 : 200);
    }
    await rec.flush();
    await writeHeartbeat(ctx, { id: 'host-a:1', host: 'host-a', pid: 1, startedAt: now - 1000 });
    await writeHeartbeat(ctx, { id: 'stale', host: 'host-b', pid: 2, startedAt: now - 60_000 }, now - 10_000);

    const stats = await readPipelineStats(ctx, s, now);
    expect(Date.parse(stats.at)).toBe(now);
    expect(Object.keys(stats.nodes).sort()).toEqual(['c', 'p', 'q']);
    expect(stats.nodes.p).toMatchObject({ out: 3, in: 0 });
    expect(stats.nodes.q).toMatchObject({ in: 3, out: 100, waiting: 3, active: 0, delayed: 0 });
    expect(stats.nodes.c).toMatchObject({ in: 100, completed: 98, failed: 2, retried: 0 });
    expect(stats.nodes.c!.byWorker).toEqual({ 'host-a:1': { completed: 98, failed: 2 } });
    const r = (v: number) => Math.round(v * 100) / 100;
    expect(stats.nodes.c!.serviceMs).toEqual({ p50: r(bucketValue(bucketKey(5))), p95: r(bucketValue(bucketKey(5))), p99: r(bucketValue(bucketKey(200))) });
    expect(stats.nodes.q!.waitMs.p50).toBe(r(bucketValue(bucketKey(1))));
    expect(stats.nodes.c!.waiting).toBeUndefined();
    expect(stats.workers.map((w) => w.id)).toContain('host-a:1');
    expect(stats.workers.map((w) => w.id)).not.toContain('stale');
    const w = stats.workers.find((x) => x.id === 'host-a:1')!;
    expect(w).toEqual({ id: 'host-a:1', host: 'host-a', pid: 1, startedAt: new Date(now - 1000).toISOString(), lastSeenAt: expect.any(String) });

    // The counts above are all in the current second, which rates leave out until it is complete.
    const later = await readPipelineStats(ctx, s, now + 1000);
    expect(later.nodes.c!.ratePerSec).toBeGreaterThan(0);
    await removeHeartbeat(ctx, 'host-a:1');
    expect((await listWorkers(ctx)).map((x) => x.id)).not.toContain('host-a:1');
  });
});
