import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, SandboxError, type Sandbox } from './index';

/**
 * The engine is reused across messages (see README.md): these check that user
 * code reaches nothing of the host, and that one message leaves nothing
 * behind for the next.
 */
describe('sandbox isolation', () => {
  let sandbox: Sandbox;
  const run = (code: string, msg: unknown = {}) => sandbox.compileTransform(code)(msg);
  const runTwice = async (code: string) => {
    const transform = sandbox.compileTransform(code);
    return [await transform({}), await transform({})];
  };

  beforeAll(async () => {
    sandbox = await createSandbox({ timeoutMs: 500 });
  });
  afterAll(() => sandbox.dispose());

  it('has no host objects', async () => {
    const kinds = await run(`return {
      require: typeof require, process: typeof process, fetch: typeof fetch, setTimeout: typeof setTimeout,
      globalProcess: typeof globalThis.process, Buffer: typeof Buffer, module: typeof module,
    }`);
    expect(Object.values(kinds as object).every((k) => k === 'undefined')).toBe(true);
  });

  it('cannot load modules', async () => {
    await expect(run('return import("node:fs")')).rejects.toBeInstanceOf(SandboxError);
    expect(() => sandbox.compileTransform('import fs from "fs"; return {}')).toThrow(SandboxError);
  });

  it('gives each message a clean global object', async () => {
    expect(await runTwice('globalThis.counter = (globalThis.counter || 0) + 1; return counter')).toEqual([1, 1]);
    expect(await runTwice('globalThis[Symbol.for("k")] = (globalThis[Symbol.for("k")] || 0) + 1; return globalThis[Symbol.for("k")]')).toEqual([1, 1]);
    expect(await runTwice('(0, eval)("var viaEval = (typeof viaEval === \'number\' ? viaEval : 0) + 1"); return viaEval')).toEqual([1, 1]);
    expect(await runTwice('const seen = Object.getPrototypeOf(globalThis).seen === true; Object.setPrototypeOf(globalThis, { seen: true }); return seen')).toEqual([false, false]);
  });

  it('replaces the engine when a message makes the global uncleanable', async () => {
    expect(await runTwice('const before = typeof pinned; Object.defineProperty(globalThis, "pinned", { value: 1 }); return before')).toEqual(['undefined', 'undefined']);
    expect(await runTwice('const before = Object.isExtensible(globalThis); Object.preventExtensions(globalThis); return before')).toEqual([true, true]);
  });

  it('does not let promise jobs run into the next message', async () => {
    expect(await runTwice('const before = typeof late; Promise.resolve().then(() => { globalThis.late = 1 }); return before')).toEqual(['undefined', 'undefined']);
  });

  it('keeps built-ins frozen, so they mean the same for every message', async () => {
    const attempts = [
      'Array.prototype.map = () => []',
      'Object.prototype.polluted = 1',
      'JSON.stringify = () => "x"',
      'Math.max = () => 0',
      'Object.getPrototypeOf([][Symbol.iterator]()).next = () => ({ done: true })',
      'Object.getPrototypeOf(function* () {}).prototype.extra = 1',
      'globalThis.JSON = null',
      'delete globalThis.Array',
    ];
    for (const code of attempts) {
      const error = await run(`${code}; return {}`).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, code).toBeInstanceOf(SandboxError);
      expect((error as SandboxError).kind, code).toBe('user');
    }
    expect(await run('return { mapped: [1, 2].map((x) => x * 2), polluted: ({}).polluted, max: Math.max(1, 2) }')).toEqual({ mapped: [2, 4], max: 2 });
  });

  it('still lets ordinary code assign over inherited built-in names', async () => {
    const out = await run(`
      class NotFound extends Error { constructor(m) { super(m); this.name = 'NotFound' } }
      const e = new NotFound('gone');
      const o = {}; o.toString = () => 'custom'; o.constructor = 'c';
      return { name: e.name, message: e.message, str: String(o), ctor: o.constructor }`);
    expect(out).toEqual({ name: 'NotFound', message: 'gone', str: 'custom', ctor: 'c' });
  });

  it('removes GC-observable APIs', async () => {
    expect(await run('return { weakRef: typeof WeakRef, registry: typeof FinalizationRegistry }')).toEqual({ weakRef: 'undefined', registry: 'undefined' });
  });

  it('does not expose its own runner through the call stack', async () => {
    const error = await run('function f() { return f.caller } return { c: typeof f() }').then(
      () => undefined,
      (e: unknown) => e as SandboxError,
    );
    expect(error?.kind).toBe('user');
  });
});
