import { describe, expect, it } from 'vitest';
import { MAX_DELAY_MS, sampleDelayMs, sleep } from './delay';

function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('sampleDelayMs', () => {
  it('fixed is exactly ms, and is the default without jitter', () => {
    expect(sampleDelayMs({ ms: 25, distribution: 'fixed', jitterMs: 10 }, () => 0.9)).toBe(25);
    expect(sampleDelayMs({ ms: 25 }, () => 0.9)).toBe(25);
  });

  it('uniform spans ms ± jitter with mean ms, and is the default with jitter', () => {
    const r = rng(1);
    const xs = Array.from({ length: 20_000 }, () => sampleDelayMs({ ms: 100, jitterMs: 20 }, r));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(80);
    expect(Math.max(...xs)).toBeLessThanOrEqual(120);
    expect(Math.min(...xs)).toBeLessThan(81);
    expect(Math.max(...xs)).toBeGreaterThan(119);
    expect(Math.abs(mean(xs) - 100)).toBeLessThan(0.5);
  });

  it('uniform never goes below zero', () => {
    expect(sampleDelayMs({ ms: 5, jitterMs: 50, distribution: 'uniform' }, () => 0)).toBe(0);
  });

  it('exponential has mean ms and standard deviation ms', () => {
    const r = rng(2);
    const xs = Array.from({ length: 50_000 }, () => sampleDelayMs({ ms: 40, distribution: 'exponential' }, r));
    const m = mean(xs);
    const sd = Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
    expect(Math.abs(m - 40) / 40).toBeLessThan(0.02);
    expect(Math.abs(sd - 40) / 40).toBeLessThan(0.04);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
  });

  it('caps samples at the schema maximum', () => {
    expect(sampleDelayMs({ ms: 500_000, distribution: 'exponential' }, () => 0.999999)).toBe(MAX_DELAY_MS);
  });
});

describe('sleep', () => {
  it('rejects promptly when aborted', async () => {
    const ac = new AbortController();
    const started = Date.now();
    const p = sleep(10_000, ac.signal);
    setTimeout(() => ac.abort(), 10);
    await expect(p).rejects.toThrow(/aborted/);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
