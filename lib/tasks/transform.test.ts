import { UnrecoverableError } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox, type SandboxOptions } from '../sandbox';
import { createTaskResources, type TaskResources } from './resources';
import { runTransform } from './transform';
import type { TaskContext, TaskOf } from './types';

let resources: TaskResources;
const created: SandboxOptions[] = [];
const ctx = (): TaskContext => ({ runId: 'r1', nodeId: 'c1', attempt: 1, resources });
const transform = (code: string, extra: Partial<TaskOf<'transform'>> = {}): TaskOf<'transform'> => ({ kind: 'transform', code, ...extra });
const isUnrecoverable = (e: unknown) => e instanceof UnrecoverableError;

/** The error a task rejected with. */
async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the task to fail');
}

afterEach(() => resources?.dispose());

function freshResources() {
  created.length = 0;
  resources = createTaskResources((o) => {
    created.push(o);
    return createSandbox(o);
  });
}

describe('transform', () => {
  it('computes fields; the return value is the new message', async () => {
    freshResources();
    const task = transform('return { ...msg, total: msg.price * msg.qty, tags: msg.tags.map((t) => t.toUpperCase()) }');
    const r = await runTransform(task, { price: 2.5, qty: 4, tags: ['a', 'b'] }, ctx());
    expect(r).toEqual({ output: { price: 2.5, qty: 4, total: 10, tags: ['A', 'B'] } });
    expect(r.edgeIds).toBeUndefined();
  });

  it('compiles once per consumer and code, in one sandbox, with the node limits', async () => {
    freshResources();
    const task = transform('return msg.n + 1', { timeoutMs: 250, memoryMb: 16 });
    for (let n = 0; n < 200; n++) expect((await runTransform(task, { n }, ctx())).output).toBe(n + 1);
    expect(created).toEqual([{ timeoutMs: 250, memoryMb: 16 }]);
    expect(resources.describe()).toEqual({ sandboxes: 1, compiled: 1 });
    // A redeploy with new code, same limits: same sandbox, one more compiled function.
    expect((await runTransform(transform('return msg.n * 2', { timeoutMs: 250, memoryMb: 16 }), { n: 4 }, ctx())).output).toBe(8);
    expect(resources.describe()).toEqual({ sandboxes: 1, compiled: 2 });
  });

  it('a syntax error fails the job, unrecoverably, saying where', async () => {
    freshResources();
    const e = await failure(runTransform(transform('const a = 1;\nreturn { a: };'), {}, ctx()));
    expect(isUnrecoverable(e)).toBe(true);
    expect(e.message).toMatch(/^transform code does not compile: SyntaxError: .*\(line 2/);
    // Cached: the same error again, without recompiling.
    const again = await failure(runTransform(transform('const a = 1;\nreturn { a: };'), {}, ctx()));
    expect(again.message).toBe(e.message);
    expect(resources.describe()).toEqual({ sandboxes: 1, compiled: 1 });
  });

  it('code that closes the function early is a syntax error, not a breakout', async () => {
    freshResources();
    const e = await failure(runTransform(transform('return 1 }); globalThis.x = 1; (function () {'), {}, ctx()));
    expect(isUnrecoverable(e)).toBe(true);
    expect(e.message).toMatch(/does not compile/);
  });

  it('an infinite loop times out, unrecoverably, and the next message works', async () => {
    freshResources();
    const started = Date.now();
    const e = await failure(runTransform(transform('while (true) {}', { timeoutMs: 100 }), { a: 1 }, ctx()));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(isUnrecoverable(e)).toBe(true);
    expect(e.message).toBe('transform timed out after 100 ms');
    const ok = await runTransform(transform('return { b: msg.a + 1 }', { timeoutMs: 100 }), { a: 1 }, ctx());
    expect(ok.output).toEqual({ b: 2 });
  });

  it('running out of memory fails unrecoverably, and the next message works', async () => {
    freshResources();
    const hog = transform('const a = []; for (;;) a.push(new Array(100000).fill(1)); return 1', { memoryMb: 8, timeoutMs: 5000 });
    const e = await failure(runTransform(hog, {}, ctx()));
    expect(isUnrecoverable(e)).toBe(true);
    expect(e.message).toMatch(/memory limit of 8 MB exceeded/);
    expect((await runTransform(transform('return msg', { memoryMb: 8, timeoutMs: 5000 }), { ok: true }, ctx())).output).toEqual({ ok: true });
  });

  it('a throw is retryable, with the thrown message and line', async () => {
    freshResources();
    const e = await failure(runTransform(transform('if (!msg.id) {\n  throw new Error("id is required");\n}\nreturn msg'), {}, ctx()));
    expect(isUnrecoverable(e)).toBe(false);
    expect(e.message).toMatch(/^transform code threw Error: id is required \(line 2/);
  });

  it('a throw of an error named UnrecoverableError is unrecoverable', async () => {
    freshResources();
    const code = 'const e = new Error("bad order"); e.name = "UnrecoverableError"; throw e;';
    const e = await failure(runTransform(transform(code), {}, ctx()));
    expect(isUnrecoverable(e)).toBe(true);
    expect(e.message).toMatch(/UnrecoverableError: bad order/);
  });

  it('returning nothing or non-JSON fails unrecoverably', async () => {
    freshResources();
    const none = await failure(runTransform(transform('msg.x = 1'), {}, ctx()));
    expect(isUnrecoverable(none)).toBe(true);
    expect(none.message).toMatch(/returned nothing/);
    const fn = await failure(runTransform(transform('return { f() {} }'), {}, ctx()));
    expect(isUnrecoverable(fn)).toBe(true);
    expect(fn.message).toMatch(/not JSON/);
  });

  it('state does not carry from one message to the next', async () => {
    freshResources();
    const task = transform('globalThis.count = (globalThis.count || 0) + 1; return count');
    expect((await runTransform(task, {}, ctx())).output).toBe(1);
    expect((await runTransform(task, {}, ctx())).output).toBe(1);
  });

  it('works without consumer resources (a throwaway sandbox)', async () => {
    const r = await runTransform(transform('return [msg, 2]'), 1, { runId: 'r', nodeId: 'c', attempt: 1 });
    expect(r.output).toEqual([1, 2]);
  });

  it('after dispose, a job fails retryably and a fresh sandbox serves the next', async () => {
    freshResources();
    const task = transform('return msg');
    await runTransform(task, 1, ctx());
    resources.dispose();
    expect(resources.describe()).toEqual({ sandboxes: 0, compiled: 0 });
    expect((await runTransform(task, 2, ctx())).output).toBe(2);
    expect(created).toHaveLength(2);
  });
});
