/**
 * User JavaScript run in QuickJS (WebAssembly), never in Node: transforms and
 * route conditions. See README.md for the isolation model and measured costs.
 *
 *   await loadSandboxModule();                       // optional: at start-up
 *   const sandbox = await createSandbox({ timeoutMs, memoryMb });
 *   const transform = sandbox.compileTransform('return { ...msg, total: msg.price * msg.qty }');
 *   const next = await transform(msg);               // throws SandboxError
 *   sandbox.dispose();
 */
export { createSandbox, SANDBOX_DEFAULTS } from './sandbox';
export type { CallOptions, ConditionFn, ConditionsFn, Sandbox, SandboxLimits, SandboxOptions, SandboxStats, TransformFn } from './sandbox';
export { SandboxError, isSandboxError } from './errors';
export type { SandboxErrorDetails, SandboxErrorKind } from './errors';
export { loadSandboxModule } from './wasm';
