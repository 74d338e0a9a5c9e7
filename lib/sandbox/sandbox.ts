import type { QuickJSHandle } from 'quickjs-emscripten';
import { SandboxError, type SandboxErrorKind } from './errors';
import { EngineCrash, VmFailure, VmSession, type VmErrorInfo } from './vm-session';
import { describeLocation, locate, mentionsAwait, wrapSource, type WrappedSource } from './wrap-source';

export interface SandboxOptions {
  /** Wall-clock limit per call, compile included. Default 1000. */
  timeoutMs?: number;
  /** Heap available to user code, enforced by the WebAssembly memory's size. Default 32. */
  memoryMb?: number;
  /**
   * QuickJS's own stack limit. Default 256 (about 1,300 nested JS calls). WASM
   * frames also use the host's ~1 MB native stack, which overflows first from
   * ~400 KB up; that is caught too (as a `stack` error) but costs an engine restart.
   */
  stackKb?: number;
  /** console lines kept per call, when the caller collects them. Default 100. */
  maxLogLines?: number;
  /** Characters kept per console line. Default 1000. */
  maxLogChars?: number;
}

export type SandboxLimits = Readonly<Required<SandboxOptions>>;

export interface CallOptions {
  /** console output of this call is appended here (bounded by maxLogLines / maxLogChars). */
  logs?: string[];
}

/** Resolves to the new message (JSON data, a deep copy); rejects with SandboxError. */
export type TransformFn = (msg: unknown, options?: CallOptions) => Promise<unknown>;
export type ConditionFn = (msg: unknown, options?: CallOptions) => Promise<boolean>;
export type ConditionsFn = (msg: unknown, options?: CallOptions) => Promise<boolean[]>;

export interface SandboxStats {
  calls: number;
  errors: Partial<Record<SandboxErrorKind, number>>;
  /** Engines replaced after a timeout, memory or stack error, or a global that could not be cleaned. */
  restarts: number;
}

export interface Sandbox {
  readonly limits: SandboxLimits;
  /**
   * `code` is the body of a function of `msg` returning the new message, e.g.
   * `return { ...msg, total: msg.price * msg.qty }`. `await` is allowed.
   * Throws SandboxError('syntax') now if it does not compile.
   */
  compileTransform(code: string): TransformFn;
  /** `expr` is a JavaScript expression of `msg`; the result is its truthiness. */
  compileCondition(expr: string): ConditionFn;
  /** Several conditions evaluated on one copy of the message, in one call: a route's rules. */
  compileConditions(exprs: readonly string[]): ConditionsFn;
  stats(): SandboxStats;
  /** Frees the engine. Calls made afterwards reject. */
  dispose(): void;
}

export const SANDBOX_DEFAULTS: SandboxLimits = {
  timeoutMs: 1000,
  memoryMb: 32,
  stackKb: 256,
  maxLogLines: 100,
  maxLogChars: 1000,
};

/**
 * Creates a sandbox: one QuickJS engine (its own WebAssembly instance and
 * memory), reused for every message of one consumer. Async because the engine
 * is instantiated here (the WebAssembly code itself is compiled once per
 * process, see loadSandboxModule).
 */
export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const limits = resolveLimits(options);
  const sandbox = new QuickJsSandbox(limits);
  await sandbox.start();
  return sandbox;
}

function resolveLimits(options: SandboxOptions): SandboxLimits {
  const limits = { ...SANDBOX_DEFAULTS };
  const bounds: Record<keyof SandboxOptions, [number, number]> = {
    timeoutMs: [1, 600_000],
    memoryMb: [1, 2000], // a WebAssembly memory stops at 2 GB in this build
    stackKb: [16, 4096],
    maxLogLines: [0, 10_000],
    maxLogChars: [1, 1_000_000],
  };
  for (const key of Object.keys(bounds) as (keyof SandboxOptions)[]) {
    const v = options[key];
    if (v === undefined) continue;
    const [min, max] = bounds[key];
    if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`sandbox option ${key} must be an integer from ${min} to ${max}, got ${v}`);
    limits[key] = v;
  }
  return limits;
}

type UnitKind = 'transform' | 'conditions';

interface Unit {
  kind: UnitKind;
  /** Errors name the rule ("condition 2: ...") when several were compiled together. */
  numbered: boolean;
  /** The wrapped functions currently chosen, for mapping error positions back to user code. */
  wrapped: WrappedSource[];
  /** Compiles into a session and returns its runner; throws SandboxError('syntax'). */
  build(session: VmSession): QuickJSHandle;
  compiled?: { session: VmSession; runner: QuickJSHandle };
}

class QuickJsSandbox implements Sandbox {
  private session: VmSession | undefined;
  private creating: Promise<VmSession> | undefined;
  private sessionsCreated = 0;
  private disposed = false;
  private readonly counters: SandboxStats = { calls: 0, errors: {}, restarts: 0 };

  constructor(readonly limits: SandboxLimits) {}

  async start(): Promise<void> {
    await this.ensureSession();
  }

  compileTransform(code: string): TransformFn {
    if (typeof code !== 'string') throw new TypeError('transform code must be a string');
    const unit: Unit = {
      kind: 'transform',
      numbered: false,
      wrapped: [wrapSource('transform', code)],
      build: (session) => {
        const sync = wrapSource('transform', code);
        let fn = this.compileOne(session, sync, 'transform');
        if (fn instanceof SandboxError && mentionsAwait(code)) {
          // `await` only parses in an async body; report that version's error when both fail.
          const asyncWrapped = wrapSource('async-transform', code);
          fn = this.compileOne(session, asyncWrapped, 'transform');
          unit.wrapped = [asyncWrapped];
        } else {
          unit.wrapped = [sync];
        }
        if (fn instanceof SandboxError) throw fn;
        return session.transformRunner(fn);
      },
    };
    this.compileNow(unit);
    return async (msg, options) => {
      const { envelope, logs } = await this.run(unit, msg, options);
      return decodeTransform(envelope, unit, this, logs);
    };
  }

  compileCondition(expr: string): ConditionFn {
    const all = this.compileConditionsUnit([expr], false);
    return async (msg, options) => (await all(msg, options))[0] === true;
  }

  compileConditions(exprs: readonly string[]): ConditionsFn {
    return this.compileConditionsUnit(exprs, true);
  }

  stats(): SandboxStats {
    return { calls: this.counters.calls, errors: { ...this.counters.errors }, restarts: this.counters.restarts };
  }

  dispose(): void {
    this.disposed = true;
    this.session?.dispose();
    this.session = undefined;
  }

  // ---- failures, shared with the decoders below ----

  /** Records a failure and, for kinds that leave the engine in doubt, replaces it. */
  fail(error: SandboxError, logs?: string[]): SandboxError {
    if (logs) error.logs = logs;
    this.counters.errors[error.kind] = (this.counters.errors[error.kind] ?? 0) + 1;
    if (error.kind === 'timeout' || error.kind === 'memory' || error.kind === 'stack' || error.kind === 'internal') this.replaceSession();
    return error;
  }

  // ---- internals ----

  private compileConditionsUnit(exprs: readonly string[], numbered: boolean): ConditionsFn {
    if (!Array.isArray(exprs) || exprs.some((e) => typeof e !== 'string')) throw new TypeError('conditions must be strings');
    const unit: Unit = {
      kind: 'conditions',
      numbered,
      wrapped: exprs.map((e) => wrapSource('condition', e)),
      build: (session) => {
        const fns: QuickJSHandle[] = [];
        for (let i = 0; i < unit.wrapped.length; i++) {
          const fn = this.compileOne(session, unit.wrapped[i]!, 'condition', numbered ? i : undefined);
          if (fn instanceof SandboxError) {
            for (const f of fns) f.dispose();
            throw fn;
          }
          fns.push(fn);
        }
        return session.conditionsRunner(fns);
      },
    };
    this.compileNow(unit);
    return async (msg, options) => {
      const { envelope, logs } = await this.run(unit, msg, options);
      return decodeConditions(envelope, unit, this, logs);
    };
  }

  /** A compiled function, or the SandboxError saying why not. */
  private compileOne(session: VmSession, wrapped: WrappedSource, what: 'transform' | 'condition', ruleIndex?: number): QuickJSHandle | SandboxError {
    const outcome = session.compile(wrapped);
    if (outcome.ok) return outcome.fn;
    const rule = ruleIndex === undefined ? {} : { ruleIndex };
    if ('breakout' in outcome) {
      const message =
        what === 'transform'
          ? 'SyntaxError: the code closes the transform function early; it must be a function body (check for an extra "}")'
          : 'SyntaxError: a condition must be a single expression';
      return new SandboxError('syntax', rulePrefix(ruleIndex) + message, rule);
    }
    const e = outcome.error;
    const loc = locate(wrapped, e.stack, e.lineNumber);
    return new SandboxError('syntax', `${rulePrefix(ruleIndex)}${e.name}: ${e.message}${describeLocation(loc)}`, { ...rule, ...loc });
  }

  /** Syntax errors are reported at compile time when an engine is at hand (always, except just after a restart). */
  private compileNow(unit: Unit): void {
    if (this.disposed) throw new Error('sandbox is disposed');
    const session = this.session;
    if (!session?.alive) return; // compiled, and its errors reported, on the first call
    try {
      unit.compiled = { session, runner: unit.build(session) };
    } catch (e) {
      throw this.fail(this.toSandboxError(e, unit, session));
    } finally {
      if (session.needsReplacement) this.replaceSession();
    }
  }

  private async run(unit: Unit, msg: unknown, options: CallOptions | undefined): Promise<{ envelope: string; logs?: string[] }> {
    if (this.disposed) throw new Error('sandbox is disposed');
    this.counters.calls++;
    const input = toJsonInput(msg);
    const session = this.session?.alive ? this.session : await this.ensureSession();
    const logs = options?.logs ? [] : undefined;
    try {
      if (unit.compiled?.session !== session) unit.compiled = { session, runner: unit.build(session) };
      const envelope = session.call(unit.compiled.runner, input, logs);
      // Under memory pressure QuickJS may throw null, or whatever the user's catch made of it.
      const memory = session.lastCallRefusedMemory && envelope[0] !== 'R';
      return { envelope: memory ? 'M' : envelope, logs };
    } catch (e) {
      throw this.fail(this.toSandboxError(e, unit, session), logs);
    } finally {
      if (logs && options?.logs) options.logs.push(...logs);
      if (session.needsReplacement) this.replaceSession();
    }
  }

  private toSandboxError(e: unknown, unit: Unit, session: VmSession): SandboxError {
    if (e instanceof SandboxError) return session.lastCallRefusedMemory ? this.memoryError() : e;
    if (e instanceof VmFailure) {
      if (e.timedOut) return new SandboxError('timeout', `${unitLabel(unit)} timed out after ${this.limits.timeoutMs} ms`);
      if (session.lastCallRefusedMemory) return this.memoryError();
      return engineError(e.info, this.limits) ?? new SandboxError('internal', `${unitLabel(unit)} failed inside the sandbox: ${e.info.name}: ${e.info.message}`);
    }
    if (e instanceof EngineCrash) {
      const reason = e.reason;
      if (reason instanceof RangeError && /call stack/i.test(reason.message)) return new SandboxError('stack', 'stack overflow: recursion too deep (in user code or in a builtin such as JSON on deeply nested data)');
      if (e.memoryRefused) return this.memoryError();
      return new SandboxError('internal', e.message);
    }
    throw e; // a bug of ours, not the user's
  }

  memoryError(): SandboxError {
    return new SandboxError('memory', `memory limit of ${this.limits.memoryMb} MB exceeded`);
  }

  private ensureSession(): Promise<VmSession> {
    this.creating ??= VmSession.create(this.limits).then(
      (session) => {
        this.creating = undefined;
        if (this.disposed) {
          session.dispose();
          throw new Error('sandbox is disposed');
        }
        if (this.sessionsCreated++ > 0) this.counters.restarts++;
        this.session = session;
        return session;
      },
      (error: unknown) => {
        this.creating = undefined;
        throw error;
      },
    );
    return this.creating;
  }

  /** Drops the current engine and starts its replacement now, so the next call rarely waits. */
  private replaceSession(): void {
    const old = this.session;
    this.session = undefined;
    old?.dispose();
    if (!this.disposed) this.ensureSession().catch(() => undefined); // the next call retries and reports
  }
}

// ---- envelopes (see prelude.ts) ----

function decodeTransform(envelope: string, unit: Unit, sandbox: QuickJsSandbox, logs: string[] | undefined): unknown {
  switch (envelope[0]) {
    case 'R':
      return JSON.parse(envelope.slice(1));
    case 'U':
      throw sandbox.fail(new SandboxError('result', 'transform returned nothing (undefined): end it with `return <the new message>`'), logs);
    case 'X':
      throw sandbox.fail(new SandboxError('result', `transform result is not JSON: ${(JSON.parse(envelope.slice(1)) as { message: string }).message}`), logs);
    case 'P':
      throw sandbox.fail(new SandboxError('result', 'transform returned a promise that never settled (the sandbox has no timers or I/O to wait for)'), logs);
    case 'M':
      throw sandbox.fail(sandbox.memoryError(), logs);
    case 'E':
      throw sandbox.fail(thrownError(envelope, unit, sandbox.limits), logs);
    default:
      throw new Error(`unexpected sandbox envelope ${JSON.stringify(envelope.slice(0, 20))}`);
  }
}

function decodeConditions(envelope: string, unit: Unit, sandbox: QuickJsSandbox, logs: string[] | undefined): boolean[] {
  if (envelope[0] === 'R') return Array.from(envelope.slice(1), (c) => c === 'T');
  if (envelope[0] === 'E') throw sandbox.fail(thrownError(envelope, unit, sandbox.limits), logs);
  if (envelope[0] === 'M') throw sandbox.fail(sandbox.memoryError(), logs);
  throw new Error(`unexpected sandbox envelope ${JSON.stringify(envelope.slice(0, 20))}`);
}

/** What user code threw, caught by the runner. The engine's own stack and memory errors are recognised. */
function thrownError(envelope: string, unit: Unit, limits: SandboxLimits): SandboxError {
  const e = JSON.parse(envelope.slice(1)) as { name: string; message: string; stack: string; index: number };
  const ruleIndex = unit.numbered && e.index >= 0 ? e.index : undefined;
  const wrapped = unit.wrapped[Math.max(0, e.index)];
  const loc = wrapped ? locate(wrapped, e.stack) : undefined;
  const rule = ruleIndex === undefined ? {} : { ruleIndex };
  const engine = engineError(e, limits, loc);
  if (engine) return Object.assign(engine, rule);
  if (e.index === -1) return new SandboxError('user', `the message could not be read: ${e.name}: ${e.message}`);
  const text = e.name ? `${e.name}: ${e.message}` : e.message;
  return new SandboxError('user', `${rulePrefix(ruleIndex)}${text}${describeLocation(loc)}`, {
    ...loc,
    ...rule,
    userName: e.name || undefined,
    userMessage: e.message,
  });
}

/** QuickJS reports its limits as InternalErrors. */
function engineError(e: VmErrorInfo, limits: SandboxLimits, loc?: { line: number; column: number }): SandboxError | undefined {
  if (e.name !== 'InternalError') return undefined;
  if (/out of memory|string too long/i.test(e.message)) return new SandboxError('memory', `memory limit of ${limits.memoryMb} MB exceeded`, { ...loc });
  if (/stack overflow/i.test(e.message)) return new SandboxError('stack', `stack overflow: recursion too deep${describeLocation(loc)}`, { ...loc });
  if (/interrupted/i.test(e.message)) return new SandboxError('timeout', `timed out after ${limits.timeoutMs} ms`);
  return undefined;
}

function toJsonInput(msg: unknown): string {
  try {
    return JSON.stringify(msg === undefined ? null : msg);
  } catch (e) {
    throw new TypeError(`sandbox input must be JSON-serialisable: ${e instanceof Error ? e.message : String(e)}`);
  }
}

const rulePrefix = (ruleIndex: number | undefined) => (ruleIndex === undefined ? '' : `condition ${ruleIndex + 1}: `);
const unitLabel = (unit: Unit) => (unit.kind === 'transform' ? 'transform' : 'condition');
