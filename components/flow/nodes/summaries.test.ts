import { describe, expect, it } from 'vitest';
import { queueSummary, sourceSummary, taskSummary } from './summaries';

describe('node summaries', () => {
  it('sums up sources', () => {
    expect(sourceSummary({ kind: 'http' })).toBe('HTTP trigger');
    expect(sourceSummary({ kind: 'schedule', cron: '*/5 * * * *' })).toBe('cron */5 * * * *');
    expect(sourceSummary({ kind: 'schedule', everyMs: 60_000 })).toBe('every 1.0 min');
    expect(sourceSummary({ kind: 'generator', ratePerSec: 50, count: 20 })).toBe('generator 50/s × 20');
  });

  it('sums up queue options that are set', () => {
    expect(queueSummary({ label: 'Q' })).toBe('');
    expect(
      queueSummary({ label: 'Q', attempts: 3, backoff: { type: 'exponential', delayMs: 100 }, rateLimit: { max: 5, durationMs: 1000 }, dedupe: {} }),
    ).toBe('3 attempts (exp) · ≤5/1.00 s · dedupe');
  });

  it('sums up tasks, showing only the host of a URL', () => {
    expect(taskSummary({ kind: 'delay', ms: 50, jitterMs: 10 })).toBe('delay 50 ms ±10 ms');
    expect(taskSummary({ kind: 'delay', ms: 50, distribution: 'exponential' })).toBe('delay ~exp 50 ms');
    expect(taskSummary({ kind: 'http', method: 'POST', url: 'https://example.com/hook?token=secret' })).toBe('POST example.com');
    expect(taskSummary({ kind: 'http', method: 'GET', url: '' })).toBe('GET no URL');
    expect(taskSummary({ kind: 'route', rules: [{ when: 'true', edgeId: 'e1' }] })).toBe('route · 1 rule');
    expect(taskSummary({ kind: 'fail', rate: 0.25 })).toBe('fail 25%');
  });
});
