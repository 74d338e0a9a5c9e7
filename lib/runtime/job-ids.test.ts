import { describe, expect, it } from 'vitest';
import { parseJobData } from './job-data';
import { childJobId, initialJobId, newRunId } from './job-ids';

describe('run and job ids', () => {
  it('run ids are URL-safe, sort by creation time and are unique', () => {
    const a = newRunId(1_700_000_000_000);
    const b = newRunId(1_700_000_000_001);
    const c = newRunId(2_000_000_000_000);
    for (const id of [a, b, c]) expect(id).toMatch(/^run_[0-9a-z]{22}$/);
    expect([c, a, b].sort()).toEqual([a, b, c]);
    const many = new Set(Array.from({ length: 10_000 }, () => newRunId(1_700_000_000_000)));
    expect(many.size).toBe(10_000);
  });

  it('job ids never contain ":" and are not integers (BullMQ refuses both)', () => {
    const run = newRunId();
    const ids = [initialJobId(run, 'q-1'), childJobId(run, initialJobId(run, 'q-1'), 'c_1', 'q2')];
    for (const id of ids) {
      expect(id).not.toContain(':');
      expect(String(parseInt(id, 10))).not.toBe(id);
    }
  });

  it('child ids are deterministic per (parent, consumer, queue) and distinct otherwise', () => {
    const run = newRunId();
    const parent = initialJobId(run, 'q1');
    expect(childJobId(run, parent, 'c1', 'q2')).toBe(childJobId(run, parent, 'c1', 'q2'));
    const variants = new Set([
      childJobId(run, parent, 'c1', 'q2'),
      childJobId(run, parent, 'c1', 'q3'),
      childJobId(run, parent, 'c2', 'q2'),
      childJobId(run, initialJobId(run, 'q9'), 'c1', 'q2'),
    ]);
    expect(variants.size).toBe(4);
    expect(childJobId(run, parent, 'c1', 'q2').startsWith(`${run}.q2.`)).toBe(true);
  });
});

describe('parseJobData', () => {
  it('accepts what the runtime enqueues and rejects the rest with a reason', () => {
    expect(parseJobData({ runId: 'run_x', v: 2, payload: { a: 1 }, from: 'p' })).toEqual({
      ok: true,
      data: { runId: 'run_x', v: 2, payload: { a: 1 }, from: 'p' },
    });
    expect(parseJobData({ runId: 'run_x', v: 1 }).ok).toBe(true); // payload undefined survives JSON as absent
    for (const bad of [null, 'x', { hello: 'world' }, { runId: '', v: 1 }, { runId: 'r', v: 0 }, { runId: 'r', v: 1.5 }]) {
      const r = parseJobData(bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/^malformed job data: /);
    }
  });
});
