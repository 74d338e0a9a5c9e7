import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, SandboxError, type Sandbox } from './index';

async function rejection(p: Promise<unknown>): Promise<SandboxError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SandboxError);
    return e as SandboxError;
  }
  throw new Error('expected the call to fail');
}

/**
 * Each limit must stop the call with its own kind, and leave the sandbox
 * usable: the worker that owns it lives on.
 */
describe('sandbox limits', () => {
  let sandbox: Sandbox;
  // Filling memory takes a while on a busy machine: a time limit must not win that race.
  let roomy: Sandbox;
  let double: (msg: unknown) => Promise<unknown>;
  let roomyDouble: (msg: unknown) => Promise<unknown>;
  const works = async () => {
    expect(await double({ n: 21 })).toEqual({ n: 42 });
    expect(await roomyDouble({ n: 1 })).toEqual({ n: 2 });
  };

  beforeAll(async () => {
    sandbox = await createSandbox({ timeoutMs: 200, memoryMb: 32 });
    roomy = await createSandbox({ timeoutMs: 20_000, memoryMb: 32 });
    double = sandbox.compileTransform('return { n: msg.n * 2 }');
    roomyDouble = roomy.compileTransform('return { n: msg.n * 2 }');
  });
  afterAll(() => {
    sandbox.dispose();
    roomy.dispose();
  });

  it('stops an infinite loop near the time limit', async () => {
    const started = Date.now();
    const error = await rejection(sandbox.compileTransform('while (true) {}')({}));
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe('transform timed out after 200 ms');
    expect(Date.now() - started).toBeLessThan(5_000); // it stopped; the exact overrun is not the point
    await works();
  });

  it('stops a loop inside a condition, and a loop of promise jobs', async () => {
    expect((await rejection(sandbox.compileCondition('(() => { for (;;) {} })()')({}))).kind).toBe('timeout');
    // Each job frees the last one's promises: only the time limit can stop this loop (see below for one that grows).
    expect((await rejection(sandbox.compileTransform('const spin = () => { Promise.resolve().then(spin) }; spin(); return {}')({}))).kind).toBe('timeout');
    await works();
  });

  it('stops memory growth at the limit, which many small allocations cannot get around', async () => {
    // 200 x 1 MB: each allocation is under the limit, the sum is not.
    const error = await rejection(roomy.compileTransform('const keep = []; for (let i = 0; i < 200; i++) keep.push(new Uint8Array(1 << 20)); return { n: keep.length }')({}));
    expect(error.kind).toBe('memory');
    expect(error.message).toBe('memory limit of 32 MB exceeded');
    await works();
  });

  it('allows allocation well under the limit', async () => {
    expect(await roomy.compileTransform('const keep = []; for (let i = 0; i < 16; i++) keep.push(new Uint8Array(1 << 20)); return { n: keep.length }')({})).toEqual({ n: 16 });
  });

  it('refuses one huge allocation, and a heap of small objects', async () => {
    expect((await rejection(roomy.compileTransform('return { n: new Array(1e8).fill(0).length }')({}))).kind).toBe('memory');
    expect((await rejection(roomy.compileTransform('const a = []; for (;;) a.push({ i: a.length, s: "item" + a.length })')({}))).kind).toBe('memory');
    await works();
  });

  it('stops deep recursion', async () => {
    const error = await rejection(sandbox.compileTransform('function down(n) { return down(n + 1) + 1 }\nreturn down(0)')({}));
    expect(error.kind).toBe('stack');
    expect(error.message).toContain('stack overflow');
    await works();
  });

  it('survives recursion inside native builtins (JSON of deeply nested data)', async () => {
    // Native recursion uses the host's stack, not QuickJS's: the engine is replaced.
    const deep = roomy.compileTransform('let o = {}; for (let i = 0; i < 100000; i++) o = { o }; return { s: JSON.stringify(o).length }');
    expect((await rejection(deep({}))).kind).toBe('stack');
    await works();
    let nested: unknown = 1;
    for (let i = 0; i < 2000; i++) nested = [nested];
    const echo = roomy.compileTransform('return { ok: true }');
    // Either parsed, or refused as too deep: never a crash of the worker.
    await echo(nested).catch((e: unknown) => expect((e as SandboxError).kind).toBe('stack'));
    await works();
  });

  it('serves calls that were waiting while the engine was replaced', async () => {
    const failing = sandbox.compileTransform('while (true) {}')({});
    const waiting = Array.from({ length: 5 }, (_, n) => double({ n }));
    expect((await rejection(failing)).kind).toBe('timeout');
    expect(await Promise.all(waiting)).toEqual([0, 2, 4, 6, 8].map((n) => ({ n })));
    await works();
  });

  it('reports a syntax error at the first call when compiled while the engine is being replaced', async () => {
    expect((await rejection(sandbox.compileTransform('while (true) {}')({}))).kind).toBe('timeout');
    const compiled = (() => {
      try {
        return sandbox.compileTransform('return {');
      } catch (e) {
        return e as SandboxError; // the replacement was already ready
      }
    })();
    const error = compiled instanceof SandboxError ? compiled : await rejection(compiled({}));
    expect(error.kind).toBe('syntax');
    await works();
  });

  it('counts failures and engine restarts', () => {
    const stats = sandbox.stats();
    expect(stats.errors.timeout).toBe(5);
    expect(stats.errors.stack).toBe(1);
    expect(stats.restarts).toBe(6);
    const roomyStats = roomy.stats();
    expect(roomyStats.errors.memory).toBe(3);
    expect(roomyStats.restarts).toBeGreaterThanOrEqual(4); // and one more if the nested message was refused
  });
});

/**
 * Promise jobs left by a call run before it returns, under the same limits.
 * An interrupt, or a refused allocation, inside a job only rejects that job's
 * promise: the host has to notice, or the call ends as a success.
 */
describe('sandbox limits on promise jobs', () => {
  // A promise loop that keeps every promise alive grows the heap by ~250 bytes a job.
  const growingSpin = 'const spin = () => Promise.resolve().then(spin); spin(); return {}';

  it('fails a call whose jobs fill the memory, even after it returned its result', async () => {
    // The memory runs out long before the deadline: this does not depend on the machine's speed.
    const sandbox = await createSandbox({ timeoutMs: 20_000, memoryMb: 4 });
    try {
      const calls = [
        sandbox.compileTransform(growingSpin),
        sandbox.compileTransform(`await null; ${growingSpin}`),
        sandbox.compileCondition('(() => { const spin = () => Promise.resolve().then(spin); spin(); return true })()'),
      ];
      for (let i = 0; i < 3; i++) {
        for (const call of calls) expect((await rejection(call({}))).kind).toBe('memory');
      }
      expect(await sandbox.compileTransform('return { n: msg.n * 2 }')({ n: 21 })).toEqual({ n: 42 });
      expect(sandbox.stats().errors).toEqual({ memory: 9 });
    } finally {
      sandbox.dispose();
    }
  });

  it('never ends a growing promise loop as a success, whichever limit stops it first', async () => {
    // The limits of the suite above, where memory and time run out at about the same moment
    // (~126,000 jobs, ~200 ms on the dev box). Each failure replaces the engine, so each call
    // after the first runs on an engine created while the previous call failed.
    const sandbox = await createSandbox({ timeoutMs: 200, memoryMb: 32 });
    try {
      const spin = sandbox.compileTransform(growingSpin);
      for (let i = 0; i < 10; i++) expect(['timeout', 'memory']).toContain((await rejection(spin({}))).kind);
      const { errors } = sandbox.stats();
      expect((errors.timeout ?? 0) + (errors.memory ?? 0)).toBe(10);
    } finally {
      sandbox.dispose();
    }
  });

  it('stops a loop that starts jobs faster than interrupts end them, at the deadline', async () => {
    // Each interrupt ends one chain of jobs, and QuickJS then runs ~10,000 operations
    // before it asks again; a new chain every 100 jobs outgrows that. Without the host's
    // own check it ran until the memory ran out (~17 s at 32 MB, minutes with more).
    const sandbox = await createSandbox({ timeoutMs: 200, memoryMb: 32 });
    try {
      const forking = sandbox.compileTransform('let n = 0; const spin = () => { Promise.resolve().then(spin); if (++n % 100 === 0) Promise.resolve().then(spin) }; spin(); return {}');
      for (let i = 0; i < 3; i++) {
        const started = Date.now();
        expect((await rejection(forking({}))).kind).toBe('timeout');
        expect(Date.now() - started).toBeLessThan(2_000);
      }
    } finally {
      sandbox.dispose();
    }
  });

  it('does not count a heap resize that succeeded with a smaller size as a refusal', async () => {
    // Past ~27 MB of 32, Emscripten's first try (20% more heap) is refused and a smaller one granted.
    const sandbox = await createSandbox({ timeoutMs: 20_000, memoryMb: 32 });
    try {
      const fill = 'const keep = []; for (let i = 0; i < 30; i++) keep.push(new Uint8Array(1 << 20));';
      expect(await sandbox.compileTransform(`await null; ${fill} return { n: keep.length }`)({})).toEqual({ n: 30 });
      const error = await rejection(sandbox.compileTransform(`${fill} throw new Error('bad')`)({}));
      expect(error.kind).toBe('user');
      expect(error.userMessage).toBe('bad');
      expect(sandbox.stats().restarts).toBe(0);
    } finally {
      sandbox.dispose();
    }
  });
});
