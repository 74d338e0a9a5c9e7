import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, SandboxError, type Sandbox } from './index';

/** The SandboxError a promise rejects with (fails the test if it resolves). */
async function rejection(p: Promise<unknown>): Promise<SandboxError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SandboxError);
    return e as SandboxError;
  }
  throw new Error('expected the call to fail');
}

function compileError(compile: () => unknown): SandboxError {
  try {
    compile();
  } catch (e) {
    expect(e).toBeInstanceOf(SandboxError);
    return e as SandboxError;
  }
  throw new Error('expected compilation to fail');
}

describe('sandbox: transforms and conditions', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await createSandbox();
  });
  afterAll(() => sandbox.dispose());

  it('computes a field, on a deep copy of the message', async () => {
    const transform = sandbox.compileTransform('msg.customer.name = "changed"; return { ...msg, total: msg.price * msg.qty }');
    const input = { price: 12.5, qty: 3, customer: { name: 'Ada' } };
    const out = (await transform(input)) as typeof input & { total: number };
    expect(out).toEqual({ price: 12.5, qty: 3, customer: { name: 'changed' }, total: 37.5 });
    expect(input.customer.name).toBe('Ada');
    expect(out.customer).not.toBe(input.customer);
  });

  it('reuses one compiled transform for many messages', async () => {
    const transform = sandbox.compileTransform('return { n: msg.n * 2 }');
    const outs = await Promise.all(Array.from({ length: 50 }, (_, n) => transform({ n })));
    expect(outs).toEqual(Array.from({ length: 50 }, (_, n) => ({ n: n * 2 })));
  });

  it('evaluates conditions to booleans', async () => {
    const isBig = sandbox.compileCondition('msg.total > 100');
    expect(await isBig({ total: 101 })).toBe(true);
    expect(await isBig({ total: 100 })).toBe(false);
    const rules = sandbox.compileConditions(['msg.total > 100', 'msg.country === "FR"', 'msg.tags.length']);
    expect(await rules({ total: 5, country: 'FR', tags: [] })).toEqual([false, true, false]);
  });

  it('reports what user code throws, with its line', async () => {
    const error = await rejection(sandbox.compileTransform('const x = 1;\nthrow new Error("bad")')({}));
    expect(error.kind).toBe('user');
    expect(error.userMessage).toBe('bad');
    expect(error.userName).toBe('Error');
    expect(error.line).toBe(2);
    expect(error.message).toContain('bad');

    const thrownString = await rejection(sandbox.compileTransform('throw "plain"')({}));
    expect(thrownString.kind).toBe('user');
    expect(thrownString.message).toBe('plain');
  });

  it('names the failing rule of a route', async () => {
    const rules = sandbox.compileConditions(['msg.a', 'msg.b.c']);
    const error = await rejection(rules({ a: 1 }));
    expect(error.kind).toBe('user');
    expect(error.ruleIndex).toBe(1);
    expect(error.message).toMatch(/^condition 2: TypeError/);
  });

  it('reports syntax errors at compile time, with the line', () => {
    const error = compileError(() => sandbox.compileTransform('const a = 1;\n\nlet x = ;'));
    expect(error.kind).toBe('syntax');
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/SyntaxError: .*\(line 3, column \d+\)/);
    expect(compileError(() => sandbox.compileCondition('msg.a >')).kind).toBe('syntax');
  });

  it('rejects code that closes the wrapper function early', async () => {
    const error = compileError(() => sandbox.compileTransform('return 1 }); globalThis.leak = 1; (function () {'));
    expect(error.kind).toBe('syntax');
    expect(error.message).toContain('function body');
    expect(compileError(() => sandbox.compileCondition('1); }); globalThis.leak = 1; (function () { return (1')).kind).toBe('syntax');
    expect(await sandbox.compileTransform('return { leak: typeof leak }')({})).toEqual({ leak: 'undefined' });
  });

  it('refuses results that are not JSON', async () => {
    const cases: [string, RegExp][] = [
      ['return { a: 1, f() {} }', /result\.f is a function/],
      ['const o = { list: [] }; o.list.push(o); return o', /circular/],
      ['return { n: 10n }', /bigint|BigInt/],
      ['msg.x = 1', /returned nothing/],
    ];
    for (const [code, message] of cases) {
      const error = await rejection(sandbox.compileTransform(code)({}));
      expect(error.kind, code).toBe('result');
      expect(error.message, code).toMatch(message);
    }
    expect(await sandbox.compileTransform('return null')({})).toBeNull();
    expect(await sandbox.compileTransform('return { d: new Date(0) }')({})).toEqual({ d: '1970-01-01T00:00:00.000Z' });
  });

  it('accepts async bodies, and refuses promises that never settle', async () => {
    expect(await sandbox.compileTransform('const v = await Promise.resolve(msg.v); return { v }')({ v: 7 })).toEqual({ v: 7 });
    expect(await sandbox.compileTransform('return Promise.resolve({ ok: true })')({})).toEqual({ ok: true });
    const rejected = await rejection(sandbox.compileTransform('await null; throw new TypeError("late")')({}));
    expect(rejected.kind).toBe('user');
    expect(rejected.userMessage).toBe('late');
    const pending = await rejection(sandbox.compileTransform('return new Promise(() => {})')({}));
    expect(pending.kind).toBe('result');
    expect(pending.message).toContain('never settled');
  });

  it('captures console output when asked, bounded', async () => {
    const small = await createSandbox({ maxLogLines: 3, maxLogChars: 20 });
    try {
      const transform = small.compileTransform('console.log("total", msg.total); console.warn({ a: 1 }); for (let i = 0; i < 10; i++) console.log("x".repeat(50)); return msg');
      const logs: string[] = [];
      await transform({ total: 3 }, { logs });
      expect(logs).toEqual(['total 3', '[warn] {"a":1}', `${'x'.repeat(20)}…`]);
      await transform({ total: 4 }); // not collecting: no error, nothing kept
      const error = await rejection(small.compileTransform('console.log("before"); throw new Error("after")')({}, { logs: [] }));
      expect(error.logs).toEqual(['before']);
    } finally {
      small.dispose();
    }
  });

  it('validates its options, and refuses calls after dispose', async () => {
    await expect(createSandbox({ timeoutMs: 0 })).rejects.toThrow(RangeError);
    await expect(createSandbox({ memoryMb: 1.5 })).rejects.toThrow(RangeError);
    const disposable = await createSandbox();
    const transform = disposable.compileTransform('return msg');
    disposable.dispose();
    await expect(transform({})).rejects.toThrow(/disposed/);
  });
});
