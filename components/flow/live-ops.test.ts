import { describe, expect, it } from 'vitest';
import type { NodeStats } from '@/lib/client/types';
import { generatorProgress, isQueuePaused, nextPollDelay, POLL_IDLE_MS, POLL_RUNNING_MS } from './live-ops';

const status = (state: 'idle' | 'running' | 'stopped' | 'done') => ({ state, sent: 0, count: 10, ratePerSec: 5 });

describe('nextPollDelay', () => {
  it('polls about once a second while a generator runs', () => {
    expect(nextPollDelay([{ status: status('idle') }, { status: status('running') }])).toBe(POLL_RUNNING_MS);
  });
  it('polls slowly otherwise', () => {
    expect(nextPollDelay([{ status: status('done') }, undefined])).toBe(POLL_IDLE_MS);
    expect(nextPollDelay([])).toBe(POLL_IDLE_MS);
  });
  it('stops when the server has no generator routes', () => {
    expect(nextPollDelay([{ status: null, unsupported: true }])).toBeNull();
  });
});

describe('isQueuePaused', () => {
  const stats = (paused?: boolean) => ({ in: 0, ...(paused === undefined ? {} : { paused }) }) as unknown as NodeStats;
  it('follows the user action when the stats carry no flag', () => {
    expect(isQueuePaused(stats(), { paused: true, at: 0 }, 100_000)).toBe(true);
    expect(isQueuePaused(stats(), undefined, 0)).toBe(false);
  });
  it('trusts a fresh user action over a stale tick, then the stats', () => {
    expect(isQueuePaused(stats(false), { paused: true, at: 1000 }, 2000)).toBe(true);
    expect(isQueuePaused(stats(false), { paused: true, at: 1000 }, 10_000)).toBe(false);
    expect(isQueuePaused(stats(true), undefined, 0)).toBe(true);
  });
});

describe('generatorProgress', () => {
  it('is a fraction clamped to 0..1', () => {
    expect(generatorProgress({ sent: 5, count: 20 })).toBe(0.25);
    expect(generatorProgress({ sent: 30, count: 20 })).toBe(1);
    expect(generatorProgress({ sent: 1, count: 0 })).toBe(0);
    expect(generatorProgress(null)).toBe(0);
  });
});
