import { describe, expect, it } from 'vitest';
import { Pacer } from './pacer';

/** Drives a pacer with ticks at the given times (ms), sending everything due. Returns the total per tick. */
function drive(p: Pacer, ticks: number[], start = 0): number[] {
  let sent = start;
  return ticks.map((t) => (sent += p.due(t, sent)));
}

describe('Pacer', () => {
  it('sends the first message at once, then keeps to the rate', () => {
    const p = new Pacer(1000, 10_000);
    p.rebase(0, 0);
    expect(drive(p, [0, 50, 100, 1000])).toEqual([1, 51, 101, 1001]);
  });

  it('makes up late ticks without drift', () => {
    const p = new Pacer(200, 10_000);
    p.rebase(1_000, 0);
    // Ticks arrive irregularly; what was sent always matches what the clock says.
    expect(drive(p, [1_000, 1_070, 1_330, 1_420, 2_000])).toEqual([1, 15, 67, 85, 201]);
  });

  it('stops at count', () => {
    const p = new Pacer(1000, 30);
    p.rebase(0, 0);
    expect(drive(p, [0, 10, 20, 100, 200])).toEqual([1, 11, 21, 30, 30]);
  });

  it('handles rates below one a second', () => {
    const p = new Pacer(0.5, 10);
    p.rebase(0, 0);
    expect(drive(p, [0, 1_000, 1_999, 2_000, 3_999, 4_000])).toEqual([1, 1, 1, 2, 2, 3]);
  });

  it('drops the backlog after a stall longer than maxLag instead of bursting', () => {
    const p = new Pacer(100, 100_000, 1000);
    p.rebase(0, 0);
    expect(drive(p, [0])).toEqual([1]);
    // 10 s stall: at most one second's worth goes out, then the rate resumes from there.
    const afterStall = p.due(10_000, 1);
    expect(afterStall).toBe(100);
    expect(p.due(10_100, 101)).toBe(10);
  });

  it('resumes from a takeover base with the sent count of the previous holder', () => {
    const p = new Pacer(1000, 500);
    p.rebase(5_000, 320);
    expect(drive(p, [5_000, 5_100, 5_500], 320)).toEqual([321, 421, 500]);
  });
});
