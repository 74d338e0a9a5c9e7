import { describe, expect, it } from 'vitest';
import { aggregateNodeStats } from './aggregate';
import { counterField, histogramField, parseField, SINCE_FIELD, workerField } from './fields';
import { bucketKey, bucketValue } from './histogram';

const nodes = [
  { id: 'p', kind: 'producer' as const },
  { id: 'q', kind: 'queue' as const },
  { id: 'c', kind: 'consumer' as const },
];

describe('parseField', () => {
  it('round-trips every field kind and rejects unknown ones', () => {
    expect(parseField(counterField('q', 'in'))).toEqual({ kind: 'counter', nodeId: 'q', counter: 'in' });
    expect(parseField(workerField('c', 'host:1|x', 'failed'))).toEqual({
      kind: 'worker',
      nodeId: 'c',
      workerId: 'host:1_x',
      counter: 'failed',
    });
    expect(parseField(histogramField('c', 'wait', 'z'))).toEqual({ kind: 'histogram', nodeId: 'c', name: 'wait', bucket: 'z' });
    for (const bad of [SINCE_FIELD, 'c|bogus', 'c|w|x|nope', '|in', 'c|svc|']) expect(parseField(bad)).toBeNull();
  });
});

describe('aggregateNodeStats', () => {
  const nowSec = 1_000_000;

  it('sums totals and per-worker counts, ignoring nodes not in the spec', () => {
    const stats = aggregateNodeStats(
      nodes,
      {
        totals: {
          [counterField('p', 'out')]: '10',
          [counterField('q', 'in')]: '10',
          [counterField('q', 'out')]: '9',
          [counterField('c', 'in')]: '11',
          [counterField('c', 'completed')]: '8',
          [counterField('c', 'retried')]: '2',
          [counterField('c', 'failed')]: '1',
          [workerField('c', 'w1', 'completed')]: '5',
          [workerField('c', 'w2', 'completed')]: '3',
          [workerField('c', 'w2', 'failed')]: '1',
          [counterField('gone', 'in')]: '99',
        },
        seconds: [],
      },
      nowSec,
    );
    expect(Object.keys(stats).sort()).toEqual(['c', 'p', 'q']);
    expect(stats.p!.out).toBe(10);
    expect(stats.q).toMatchObject({ in: 10, out: 9 });
    expect(stats.c).toMatchObject({ in: 11, completed: 8, retried: 2, failed: 1 });
    expect(stats.c!.byWorker).toEqual({ w1: { completed: 5, failed: 0 }, w2: { completed: 3, failed: 1 } });
    expect(stats.p!.serviceMs).toEqual({ p50: 0, p95: 0, p99: 0 });
  });

  it('computes rates over the 60 complete seconds of the window, per node kind', () => {
    const seconds = [];
    for (let s = nowSec - 60; s <= nowSec; s++) {
      seconds.push({
        sec: s,
        fields: { [counterField('p', 'out')]: '2', [counterField('q', 'in')]: '3', [counterField('c', 'completed')]: '1' },
      });
    }
    seconds.push({ sec: nowSec - 61, fields: { [counterField('q', 'in')]: '1000' } }); // outside the window
    const since = { [SINCE_FIELD]: String((nowSec - 3600) * 1000) };
    const stats = aggregateNodeStats(nodes, { totals: since, seconds }, nowSec);
    // the current second (nowSec) is excluded from rates; now-60 .. now-1 are 60 seconds
    expect(stats.p!.ratePerSec).toBe(2);
    expect(stats.q!.ratePerSec).toBe(3);
    expect(stats.c!.ratePerSec).toBe(1);
  });

  it('divides by the time since deploy when the pipeline is younger than the window', () => {
    const seconds = [
      { sec: nowSec - 2, fields: { [counterField('q', 'in')]: '10' } },
      { sec: nowSec - 1, fields: { [counterField('q', 'in')]: '10' } },
    ];
    const stats = aggregateNodeStats(nodes, { totals: { [SINCE_FIELD]: String((nowSec - 4) * 1000 + 300) }, seconds }, nowSec);
    expect(stats.q!.ratePerSec).toBe(5); // 20 over 4 s
  });

  it('merges histograms across seconds into percentiles, current second included', () => {
    const fast = bucketKey(2);
    const slow = bucketKey(100);
    const seconds = [
      { sec: nowSec, fields: { [histogramField('c', 'svc', fast)]: '50' } },
      { sec: nowSec - 10, fields: { [histogramField('c', 'svc', fast)]: '45', [histogramField('c', 'svc', slow)]: '5' } },
      { sec: nowSec - 60, fields: { [histogramField('c', 'svc', slow)]: '1000' } }, // 61 s ago: outside
      { sec: nowSec - 5, fields: { [histogramField('q', 'wait', 'z')]: '3', [histogramField('q', 'wait', slow)]: '1' } },
    ];
    const stats = aggregateNodeStats(nodes, { totals: {}, seconds }, nowSec);
    const r = (v: number) => Math.round(v * 100) / 100;
    expect(stats.c!.serviceMs).toEqual({ p50: r(bucketValue(fast)), p95: r(bucketValue(fast)), p99: r(bucketValue(slow)) });
    expect(stats.c!.waitMs).toEqual({ p50: 0, p95: 0, p99: 0 });
    expect(stats.q!.waitMs.p50).toBe(0);
    expect(stats.q!.waitMs.p99).toBe(r(bucketValue(slow)));
  });
});
