import { describe, expect, it } from 'vitest';
import { ProducerDataSchema } from '@/lib/pipeline/schema';
import { defaultSource, SOURCE_KINDS } from './source-defaults';

describe('defaultSource', () => {
  it('gives a valid source for every kind the panel offers', () => {
    for (const { kind, ready } of SOURCE_KINDS) {
      const source = defaultSource(kind, { kind: 'http' });
      if (!ready) {
        expect(source).toBeNull();
        continue;
      }
      expect(ProducerDataSchema.safeParse({ label: 'P', source }).success).toBe(true);
    }
  });

  it('carries a payload template between schedule and generator', () => {
    const schedule = defaultSource('schedule', { kind: 'generator', ratePerSec: 1, count: 1, payload: { a: '{{seq}}' } });
    expect(schedule).toEqual({ kind: 'schedule', everyMs: 60_000, payload: { a: '{{seq}}' } });
    expect(defaultSource('generator', schedule!)).toMatchObject({ payload: { a: '{{seq}}' } });
  });
});
