import { describe, expect, it } from 'vitest';
import { SandboxError, type Sandbox, type SandboxOptions } from '../sandbox';
import { createTaskResources, MAX_COMPILED, MAX_SANDBOXES } from './resources';

/** A stand-in sandbox that records what is done to it; the real one is exercised by the task tests. */
function fakeFactory() {
  const made: Array<{ options: SandboxOptions; compiles: string[]; disposed: boolean }> = [];
  let failNext = false;
  const create = async (options: SandboxOptions): Promise<Sandbox> => {
    if (failNext) {
      failNext = false;
      throw new Error('engine did not start');
    }
    const record = { options, compiles: [] as string[], disposed: false };
    made.push(record);
    const compile = (code: string) => {
      record.compiles.push(code);
      if (code.includes('SYNTAX')) throw new SandboxError('syntax', 'SyntaxError: bad');
      if (code.includes('INTERNAL')) throw new SandboxError('internal', 'engine trouble');
      return async (msg: unknown) => msg;
    };
    return {
      limits: { timeoutMs: 1000, memoryMb: 32, stackKb: 256, maxLogLines: 100, maxLogChars: 1000, ...options },
      compileTransform: compile,
      compileCondition: (e: string) => {
        compile(e);
        return async () => true;
      },
      compileConditions: (es: readonly string[]) => {
        compile(es.join('|'));
        return async () => es.map(() => true);
      },
      stats: () => ({ calls: 0, errors: {}, restarts: 0 }),
      dispose: () => {
        record.disposed = true;
      },
    };
  };
  return { made, create, failOnce: () => (failNext = true) };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('TaskResources', () => {
  it('keeps one sandbox per limits and compiles each code once', async () => {
    const f = fakeFactory();
    const r = createTaskResources(f.create);
    await Promise.all([r.transform('a', {}), r.transform('a', {}), r.transform('b', {}), r.conditions(['a'], {})]);
    await r.transform('a', { timeoutMs: 50 });
    expect(f.made.map((m) => m.options)).toEqual([{}, { timeoutMs: 50 }]);
    expect(f.made[0]!.compiles).toEqual(['a', 'b', 'a']);
    expect(r.describe()).toEqual({ sandboxes: 2, compiled: 4 });
  });

  it('caches syntax errors but not other compile failures', async () => {
    const f = fakeFactory();
    const r = createTaskResources(f.create);
    await expect(r.transform('SYNTAX', {})).rejects.toThrow('SyntaxError: bad');
    await expect(r.transform('SYNTAX', {})).rejects.toThrow('SyntaxError: bad');
    await expect(r.transform('INTERNAL', {})).rejects.toThrow('engine trouble');
    await expect(r.transform('INTERNAL', {})).rejects.toThrow('engine trouble');
    expect(f.made[0]!.compiles).toEqual(['SYNTAX', 'INTERNAL', 'INTERNAL']);
  });

  it(`disposes the least recently used sandbox past ${MAX_SANDBOXES}`, async () => {
    const f = fakeFactory();
    const r = createTaskResources(f.create);
    for (let t = 1; t <= MAX_SANDBOXES; t++) await r.transform('x', { timeoutMs: t });
    await r.transform('x', { timeoutMs: 1 }); // 1 is now the most recently used
    await r.transform('x', { timeoutMs: 99 });
    await tick();
    expect(f.made.filter((m) => m.disposed).map((m) => m.options.timeoutMs)).toEqual([2]);
    expect(r.describe().sandboxes).toBe(MAX_SANDBOXES);
  });

  it(`starts a sandbox afresh past ${MAX_COMPILED} compiled codes`, async () => {
    const f = fakeFactory();
    const r = createTaskResources(f.create);
    for (let i = 0; i <= MAX_COMPILED; i++) await r.transform(`code ${i}`, {});
    await tick();
    expect(f.made).toHaveLength(2);
    expect(f.made[0]!.disposed).toBe(true);
    expect(r.describe()).toEqual({ sandboxes: 1, compiled: 1 });
  });

  it('forgets a sandbox that failed to start, so the next message tries again', async () => {
    const f = fakeFactory();
    const r = createTaskResources(f.create);
    f.failOnce();
    await expect(r.transform('a', {})).rejects.toThrow('engine did not start');
    await tick();
    await expect(r.transform('a', {})).resolves.toBeTypeOf('function');
  });

  it('dispose frees every sandbox', async () => {
    const f = fakeFactory();
    const r = createTaskResources(f.create);
    await r.transform('a', {});
    await r.transform('a', { memoryMb: 8 });
    r.dispose();
    await tick();
    expect(f.made.map((m) => m.disposed)).toEqual([true, true]);
    expect(r.describe()).toEqual({ sandboxes: 0, compiled: 0 });
  });
});
