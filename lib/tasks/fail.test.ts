import { describe, expect, it } from 'vitest';
import { INJECTED_FAILURE, runFail, shouldFail } from './fail';
import type { TaskContext } from './types';

const ctx: TaskContext = { runId: 'r', nodeId: 'f', attempt: 1 };

async function outcomes(rate: number, n: number): Promise<{ failed: number; errors: Set<string> }> {
  let failed = 0;
  const errors = new Set<string>();
  for (let i = 0; i < n; i++) {
    try {
      const r = await runFail({ kind: 'fail', rate }, { i }, ctx);
      expect(r.output).toEqual({ i });
    } catch (e) {
      failed++;
      errors.add((e as Error).message);
      expect((e as Error).name).toBe('Error'); // retryable, not UnrecoverableError
    }
  }
  return { failed, errors };
}

describe('fail', () => {
  it('rate 0 never fails and passes messages on unchanged', async () => {
    expect((await outcomes(0, 2000)).failed).toBe(0);
  });

  it('rate 1 always fails, with a retryable "injected failure"', async () => {
    const r = await outcomes(1, 2000);
    expect(r.failed).toBe(2000);
    expect([...r.errors]).toEqual([INJECTED_FAILURE]);
  });

  it('rate 0.3 fails about 30% of messages', async () => {
    // Binomial(2000, 0.3): sd ≈ 20.5; ±100 is about 5 sd.
    const { failed } = await outcomes(0.3, 2000);
    expect(failed).toBeGreaterThan(500);
    expect(failed).toBeLessThan(700);
  });

  it('is exact at the boundaries of random()', () => {
    expect(shouldFail(0, () => 0)).toBe(false);
    expect(shouldFail(1, () => 0.9999999)).toBe(true);
    expect(shouldFail(0.3, () => 0.3)).toBe(false);
    expect(shouldFail(0.3, () => 0.2999)).toBe(true);
  });
});
