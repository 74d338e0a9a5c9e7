import { describe, expect, it } from 'vitest';
import {
  addTo,
  bucketKey,
  bucketValue,
  GAMMA,
  percentiles,
  quantiles,
  RELATIVE_ACCURACY,
  ZERO_BUCKET,
  type BucketCounts,
} from './histogram';

/** Seeded PRNG (mulberry32) so failures reproduce. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function exactQuantile(sorted: number[], q: number): number {
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1]!;
}

function histogramOf(values: number[]): BucketCounts {
  const h: BucketCounts = new Map();
  for (const v of values) addTo(h, bucketKey(v));
  return h;
}

describe('bucketKey / bucketValue', () => {
  it('reads any value back within the relative accuracy', () => {
    const r = rng(1);
    for (let i = 0; i < 10_000; i++) {
      const v = Math.exp(r() * 30 - 6); // ~0.0025 ms .. ~2.6e10 ms
      const back = bucketValue(bucketKey(v));
      expect(Math.abs(back - v) / v).toBeLessThanOrEqual(RELATIVE_ACCURACY + 1e-12);
    }
  });

  it('is monotonic: a larger value never lands in a lower bucket', () => {
    let prev = -Infinity;
    for (let v = 0.002; v < 1e6; v *= 1.003) {
      const k = Number(bucketKey(v));
      expect(k).toBeGreaterThanOrEqual(prev);
      prev = k;
    }
  });

  it('keeps exact powers of gamma in their own bucket', () => {
    expect(bucketKey(Math.pow(GAMMA, 10))).toBe('10');
    expect(bucketKey(Math.pow(GAMMA, 10) * 1.0001)).toBe('11');
  });

  it('sends zero, negatives, tiny values and NaN to the zero bucket', () => {
    for (const v of [0, -5, 0.0005, NaN]) expect(bucketKey(v)).toBe(ZERO_BUCKET);
    expect(bucketValue(ZERO_BUCKET)).toBe(0);
  });

  it('uses few buckets for a realistic spread', () => {
    const r = rng(2);
    const h = histogramOf(Array.from({ length: 5000 }, () => 5 + r() * 10)); // 5..15 ms
    // ln(3)/ln(γ) ≈ 27 buckets for a 3x range
    expect(h.size).toBeLessThanOrEqual(29);
  });
});

describe('quantiles', () => {
  it('matches exact nearest-rank quantiles within the relative accuracy', () => {
    const r = rng(3);
    for (const gen of [
      () => 1 + r() * 99, // uniform
      () => -Math.log(1 - r()) * 20, // exponential, mean 20
      () => Math.exp(r() * 12 - 3), // log-uniform over 5 decades
    ]) {
      const values = Array.from({ length: 20_000 }, gen);
      const sorted = [...values].sort((a, b) => a - b);
      const h = histogramOf(values);
      const qs = [0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1];
      const est = quantiles(h, qs);
      qs.forEach((q, i) => {
        const exact = exactQuantile(sorted, q);
        expect(Math.abs(est[i]! - exact) / exact).toBeLessThanOrEqual(RELATIVE_ACCURACY + 1e-9);
      });
    }
  });

  it('returns zeros for an empty histogram and handles a single sample', () => {
    expect(quantiles(new Map(), [0.5, 0.99])).toEqual([0, 0]);
    const one = histogramOf([42]);
    const [p50, p99] = quantiles(one, [0.5, 0.99]);
    expect(p50).toBe(p99);
    expect(Math.abs(p50! - 42) / 42).toBeLessThanOrEqual(RELATIVE_ACCURACY);
  });

  it('orders the zero bucket before every other bucket', () => {
    const h = histogramOf([0, 0, 0, 0, 0, 0, 0, 0, 0, 100]);
    expect(quantiles(h, [0.5, 0.9, 1])).toEqual([0, 0, bucketValue(bucketKey(100))]);
  });

  it('ignores unparseable keys rather than returning NaN', () => {
    const h: BucketCounts = new Map([
      ['bogus', 5],
      [bucketKey(10), 1],
    ]);
    expect(Number.isNaN(quantiles(h, [0.5])[0])).toBe(false);
  });

  it('percentiles() rounds to 0.01 ms', () => {
    const p = percentiles(histogramOf([1.23456]));
    expect(p.p50 * 100).toBe(Math.round(p.p50 * 100));
  });
});
