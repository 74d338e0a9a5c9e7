/**
 * Throughput of the sandbox's reuse strategy against the simple alternatives.
 * Run: npx tsx lib/sandbox/bench-sandbox.ts
 *
 * - sandbox: one engine per sandbox, the transform compiled once, a clean global
 *   per message (what createSandbox does).
 * - fresh runtime: a new QuickJS runtime and context per message, the code
 *   evaluated each time: nothing can leak, nothing is reused.
 * - fresh context: one runtime, a new context per message.
 *
 * All three pass the message in and out as JSON, with the same limits.
 */
import { newQuickJSWASMModule, shouldInterruptAfterDeadline, type QuickJSRuntime, type QuickJSWASMModule } from 'quickjs-emscripten';
import { createSandbox } from './index';

const CODE = 'return { ...msg, total: msg.price * msg.qty }';
const CONDITIONS = ['msg.total > 100', 'msg.customer.country === "FR"', 'msg.tags.includes("vip")'];
const MESSAGE = { id: 'ord_123', price: 12.5, qty: 3, total: 37.5, customer: { name: 'Ada', country: 'FR' }, tags: ['new', 'web'] };
const MB = 1024 * 1024;

const ROUNDS = 3;

function report(label: string, rounds: number[]): number {
  const perSecond = [...rounds].sort((a, b) => a - b)[Math.floor(rounds.length / 2)]!;
  console.log(`${label.padEnd(44)} ${Math.round(perSecond).toLocaleString('en').padStart(9)} /s  ${(1e6 / perSecond).toFixed(1).padStart(7)} µs/msg`);
  return perSecond;
}

/** Median over ROUNDS rounds of `iterations` calls, after a warm-up long enough for V8 to optimise the WebAssembly. */
function measure(label: string, iterations: number, run: () => void): number {
  for (let i = 0; i < Math.min(3000, iterations / 2); i++) run();
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const started = performance.now();
    for (let i = 0; i < iterations; i++) run();
    rounds.push((iterations / (performance.now() - started)) * 1000);
  }
  return report(label, rounds);
}

async function measureAsync(label: string, iterations: number, run: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(3000, iterations / 2); i++) await run();
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const started = performance.now();
    for (let i = 0; i < iterations; i++) await run();
    rounds.push((iterations / (performance.now() - started)) * 1000);
  }
  return report(label, rounds);
}

function evalTransform(runtime: QuickJSRuntime, input: string): unknown {
  runtime.setInterruptHandler(shouldInterruptAfterDeadline(Date.now() + 1000));
  const ctx = runtime.newContext();
  try {
    const fn = ctx.unwrapResult(ctx.evalCode(`(function (json) { return JSON.stringify((function (msg) { "use strict"; ${CODE}\n})(JSON.parse(json))) })`, 'transform.js', { type: 'global', strict: true }));
    const arg = ctx.newString(input);
    const out = ctx.unwrapResult(ctx.callFunction(fn, ctx.undefined, arg));
    const result: unknown = JSON.parse(ctx.getString(out));
    for (const h of [out, arg, fn]) h.dispose();
    return result;
  } finally {
    ctx.dispose();
  }
}

function freshRuntime(quickjs: QuickJSWASMModule): QuickJSRuntime {
  const runtime = quickjs.newRuntime();
  runtime.setMemoryLimit(32 * MB);
  runtime.setMaxStackSize(256 * 1024);
  return runtime;
}

async function main() {
  const n = Number(process.argv[2] ?? 10_000);
  console.log(`transform: ${CODE}\nmessage: ${JSON.stringify(MESSAGE).length} bytes of JSON, median of ${ROUNDS} rounds of ${n} messages per row, Node ${process.version}\n`);

  let started = performance.now();
  const sandbox = await createSandbox();
  console.log(`createSandbox, first (compiles the WebAssembly)   ${(performance.now() - started).toFixed(1)} ms`);
  // What an engine replacement after a timeout or memory error costs, too.
  const creations: number[] = [];
  for (let i = 0; i < 10; i++) {
    started = performance.now();
    (await createSandbox()).dispose();
    creations.push(performance.now() - started);
  }
  creations.sort((a, b) => a - b);
  console.log(`createSandbox, later (instance + prelude)        median ${creations[5]!.toFixed(1)} ms, max ${creations[9]!.toFixed(1)} ms\n`);

  const transform = sandbox.compileTransform(CODE);
  const ours = await measureAsync('sandbox: engine reused, clean global', n, () => transform(MESSAGE));
  const rules = sandbox.compileConditions(CONDITIONS);
  await measureAsync(`sandbox: route, ${CONDITIONS.length} conditions in one call`, n, () => rules(MESSAGE));
  const logs: string[] = [];
  const logging = sandbox.compileTransform(`console.log('total', msg.price * msg.qty); ${CODE}`);
  await measureAsync('sandbox: transform + console.log collected', n, () => logging(MESSAGE, { logs: (logs.length = 0, logs) }));

  const quickjs = await newQuickJSWASMModule();
  const input = JSON.stringify(MESSAGE);
  const perRuntime = measure('fresh runtime + context per message', Math.ceil(n / 4), () => {
    const runtime = freshRuntime(quickjs);
    evalTransform(runtime, input);
    runtime.dispose();
  });
  const shared = freshRuntime(quickjs);
  const perContext = measure('shared runtime, fresh context per message', Math.ceil(n / 4), () => evalTransform(shared, input));
  shared.dispose();

  console.log(`\nsandbox vs fresh runtime: ${(ours / perRuntime).toFixed(1)}x; vs fresh context: ${(ours / perContext).toFixed(1)}x`);
  sandbox.dispose();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
