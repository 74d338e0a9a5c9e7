import { describe, expect, it } from 'vitest';
import { getIn, setIn } from './data-path';

describe('getIn / setIn', () => {
  it('reads nested values and tolerates missing parents', () => {
    expect(getIn({ a: { b: [1, { c: 2 }] } }, ['a', 'b', 1, 'c'])).toBe(2);
    expect(getIn({ a: 1 }, ['a', 'b'])).toBeUndefined();
    expect(getIn(undefined, ['x'])).toBeUndefined();
  });

  it('writes without mutating, creating parents', () => {
    const data = { label: 'Q', backoff: { type: 'fixed', delayMs: 1 } };
    const next = setIn(data, ['backoff', 'jitter'], 0.5);
    expect(next).toEqual({ label: 'Q', backoff: { type: 'fixed', delayMs: 1, jitter: 0.5 } });
    expect(data.backoff).toEqual({ type: 'fixed', delayMs: 1 });
    expect(setIn({ label: 'Q' }, ['retention', 'failed'], 3)).toEqual({ label: 'Q', retention: { failed: 3 } });
  });

  it('removes the key when the value is undefined', () => {
    expect(setIn({ label: 'Q', attempts: 3 }, ['attempts'], undefined)).toEqual({ label: 'Q' });
    expect(Object.keys(setIn({ task: { kind: 'delay', ms: 1, jitterMs: 2 } }, ['task', 'jitterMs'], undefined).task)).toEqual(['kind', 'ms']);
  });

  it('prunes parents left empty only when asked', () => {
    const data = { label: 'Q', retention: { completed: 5 } };
    expect(setIn(data, ['retention', 'completed'], undefined, { prune: true })).toEqual({ label: 'Q' });
    expect(setIn(data, ['retention', 'completed'], undefined)).toEqual({ label: 'Q', retention: {} });
  });

  it('writes into arrays by index', () => {
    const rules = { rules: [{ when: 'a' }, { when: 'b' }] };
    expect(setIn(rules, ['rules', 1, 'when'], 'c')).toEqual({ rules: [{ when: 'a' }, { when: 'c' }] });
    expect(setIn(rules, ['rules', 0], undefined)).toEqual({ rules: [{ when: 'b' }] });
  });
});
