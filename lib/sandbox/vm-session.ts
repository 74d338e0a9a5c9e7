import type { QuickJSContext, QuickJSHandle, QuickJSRuntime } from 'quickjs-emscripten';
import { PRELUDE_FILENAME, PRELUDE_SOURCE } from './prelude';
import { newEngineInstance, type EngineInstance } from './wasm';
import type { WrappedSource } from './wrap-source';

/**
 * One engine instance, runtime and context, prepared by the prelude, plus the
 * calls into it. Synchronous once created. It never repairs itself: after a
 * timeout, a memory or stack error, or a global it could not clean
 * (`needsReplacement`), the owner drops it and creates another (~5 ms), so no
 * partial state from an interrupted message can reach the next one.
 */

export interface SessionLimits {
  timeoutMs: number;
  memoryMb: number;
  stackKb: number;
  maxLogLines: number;
  maxLogChars: number;
}

export interface VmErrorInfo {
  name: string;
  message: string;
  stack?: string;
  lineNumber?: number;
}

/** An error that escaped our runner inside the VM: an interrupt, or out-of-memory in our own code. */
export class VmFailure extends Error {
  constructor(
    readonly info: VmErrorInfo,
    readonly timedOut: boolean,
  ) {
    super(`${info.name}: ${info.message}`);
  }
}

/** The engine itself failed (a WebAssembly trap, the host's stack overflowing): the session is dead. */
export class EngineCrash extends Error {
  constructor(
    readonly reason: unknown,
    readonly memoryRefused: boolean,
  ) {
    super(`sandbox engine crashed: ${reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)}`);
  }
}

export type CompileOutcome =
  | { ok: true; fn: QuickJSHandle }
  | { ok: false; error: VmErrorInfo }
  | { ok: false; breakout: true };

/** The prelude's setup deep-freezes every built-in: a few ms, far from this bound. */
const SETUP_TIMEOUT_MS = 5_000;
/** Time allowed for our own bookkeeping after a call's deadline has passed. */
const CLEANUP_GRACE_MS = 250;
/** Promise jobs run between two checks of the deadline and the memory cap (see drainJobs). */
const JOB_BATCH = 256;
const INTERRUPTED: VmErrorInfo = { name: 'InternalError', message: 'interrupted' };
const OUT_OF_MEMORY: VmErrorInfo = { name: 'InternalError', message: 'out of memory' };
const MB = 1024 * 1024;

interface PreludeApi {
  transformRunner: QuickJSHandle;
  conditionsRunner: QuickJSHandle;
  compile: QuickJSHandle;
  afterJobs: QuickJSHandle;
}

export class VmSession {
  private deadline = 0;
  private timedOut = false;
  private logs: string[] | undefined;
  private crashed = false;
  private disposed = false;
  private dirty = false;
  private refusedMemory = false;
  private refusedInLastCall = false;
  private readonly owned: QuickJSHandle[] = [];
  private prelude!: PreludeApi;

  private constructor(
    private readonly engine: EngineInstance,
    private readonly runtime: QuickJSRuntime,
    private readonly context: QuickJSContext,
    private readonly limits: SessionLimits,
  ) {}

  static async create(limits: SessionLimits): Promise<VmSession> {
    const engine = await newEngineInstance(limits.memoryMb);
    const runtime = engine.quickjs.newRuntime();
    // Accounting is broken in this build (see wasm.ts), but the limit still
    // refuses any single allocation above it, before it reaches the hard cap.
    runtime.setMemoryLimit(limits.memoryMb * MB);
    runtime.setMaxStackSize(limits.stackKb * 1024);
    const session = new VmSession(engine, runtime, runtime.newContext(), limits);
    runtime.setInterruptHandler(() => session.shouldInterrupt());
    session.installPrelude();
    return session;
  }

  get alive(): boolean {
    return !this.crashed && !this.disposed;
  }

  /**
   * True once something happened that this session cannot undo: a global it
   * could not clean, or an allocation refused by the memory cap (QuickJS's
   * state after out-of-memory is not trusted). Results already returned stand.
   */
  get needsReplacement(): boolean {
    return this.dirty || this.refusedMemory;
  }

  /** Whether the memory cap refused an allocation during the last call or compile: failures then are memory errors. */
  get lastCallRefusedMemory(): boolean {
    return this.refusedInLastCall;
  }

  /** Evaluates a wrapped function expression; detects code that escaped the wrapper. */
  compile(wrapped: WrappedSource): CompileOutcome {
    return this.guard(() => {
      this.startDeadline(this.limits.timeoutMs);
      const ctx = this.context;
      const source = ctx.newString(wrapped.source);
      const text = ctx.newString(wrapped.functionText);
      const r = ctx.callFunction(this.prelude.compile, ctx.undefined, source, text);
      source.dispose();
      text.dispose();
      if (this.timedOut) {
        (r.error ?? r.value).dispose();
        throw new VmFailure(INTERRUPTED, true);
      }
      // Only code that escaped the wrapper can have run; clean up after it as after a call.
      this.finishJobs();
      if (this.timedOut) throw new VmFailure(INTERRUPTED, true);
      if (r.error) return { ok: false, error: this.errorInfo(r.error) };
      if (ctx.typeof(r.value) !== 'function') {
        r.value.dispose();
        return { ok: false, breakout: true };
      }
      return { ok: true, fn: r.value };
    });
  }

  /** A runner for a compiled transform. Takes ownership of `fn`. */
  transformRunner(fn: QuickJSHandle): QuickJSHandle {
    return this.guard(() => {
      this.startDeadline(SETUP_TIMEOUT_MS);
      const runner = this.context.unwrapResult(this.context.callFunction(this.prelude.transformRunner, this.context.undefined, fn));
      fn.dispose();
      this.owned.push(runner);
      return runner;
    });
  }

  /** One runner evaluating several conditions on one parsed message. Takes ownership of `fns`. */
  conditionsRunner(fns: QuickJSHandle[]): QuickJSHandle {
    return this.guard(() => {
      this.startDeadline(SETUP_TIMEOUT_MS);
      const ctx = this.context;
      const array = ctx.newArray();
      fns.forEach((fn, i) => ctx.setProp(array, i, fn));
      const runner = ctx.unwrapResult(ctx.callFunction(this.prelude.conditionsRunner, ctx.undefined, array));
      array.dispose();
      for (const fn of fns) fn.dispose();
      this.owned.push(runner);
      return runner;
    });
  }

  /**
   * Runs a runner on one JSON message and returns its envelope (see prelude.ts),
   * or "P" for a promise still pending when no job is left to run.
   * Throws VmFailure or EngineCrash.
   */
  call(runner: QuickJSHandle, input: string, logs: string[] | undefined): string {
    return this.guard(() => {
      const ctx = this.context;
      this.startDeadline(this.limits.timeoutMs);
      this.logs = logs;
      try {
        const inputHandle = ctx.newString(input);
        const r = ctx.callFunction(runner, ctx.undefined, inputHandle, logs ? ctx.true : ctx.false);
        inputHandle.dispose();
        if (r.error) throw this.failure(r.error);
        const value = r.value;
        let envelope: string;
        if (ctx.typeof(value) === 'string') {
          envelope = ctx.getString(value);
          value.dispose();
          if (this.runtime.hasPendingJob()) this.finishJobs();
        } else {
          envelope = this.settle(value);
        }
        // A promise job swallows the interrupt as a rejection: the deadline decides, not the envelope.
        if (this.timedOut) throw new VmFailure(INTERRUPTED, true);
        if (envelope.startsWith('D')) {
          this.dirty = true;
          envelope = envelope.slice(1);
        }
        return envelope;
      } finally {
        this.logs = undefined;
      }
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.crashed) return; // its memory may be inconsistent: leave it all to the garbage collector
    try {
      for (const h of [...this.owned, ...Object.values(this.prelude ?? {})]) if (h.alive) h.dispose();
      this.context.dispose();
      this.runtime.dispose();
    } catch {
      // Nothing more to free that the garbage collector will not.
    }
  }

  // ---- internals ----

  private shouldInterrupt(): boolean {
    if (Date.now() <= this.deadline) return false;
    this.timedOut = true;
    return true;
  }

  private startDeadline(ms: number): void {
    this.deadline = Date.now() + ms;
    this.timedOut = false;
  }

  /** Lets our own clean-up code run after user code used up the deadline. */
  private extendForCleanup(): void {
    this.deadline = Date.now() + CLEANUP_GRACE_MS;
  }

  private installPrelude(): void {
    this.guard(() => {
      this.startDeadline(SETUP_TIMEOUT_MS);
      const ctx = this.context;
      const hostLog = ctx.newFunction('hostLog', (line) => {
        const logs = this.logs;
        if (logs && logs.length < this.limits.maxLogLines) logs.push(ctx.getString(line));
      });
      const setup = ctx.unwrapResult(ctx.evalCode(PRELUDE_SOURCE, PRELUDE_FILENAME, { type: 'global', strict: true }));
      const maxLines = ctx.newNumber(this.limits.maxLogLines);
      const maxChars = ctx.newNumber(this.limits.maxLogChars);
      const api = ctx.unwrapResult(ctx.callFunction(setup, ctx.undefined, hostLog, maxLines, maxChars));
      for (const h of [setup, maxLines, maxChars, hostLog]) h.dispose();
      this.prelude = {
        transformRunner: ctx.getProp(api, 'transformRunner'),
        conditionsRunner: ctx.getProp(api, 'conditionsRunner'),
        compile: ctx.getProp(api, 'compile'),
        afterJobs: ctx.getProp(api, 'afterJobs'),
      };
      api.dispose();
    });
  }

  /**
   * Runs the job queue to completion, still under the call's deadline and
   * memory cap. Neither limit ends a job loop by itself: QuickJS turns an
   * interrupt, or an allocation the cap refused, into a rejection of the
   * running job's promise, and every other job goes on. After an interrupt it
   * also runs ~10,000 more operations before asking again, so a loop that
   * starts jobs faster than interrupts end them never empties the queue. Jobs
   * therefore run in batches, and the host stops at the first batch that ends
   * past the deadline or after a refusal.
   */
  private drainJobs(): void {
    const refusalsBefore = this.engine.growFailures();
    while (this.runtime.hasPendingJob()) {
      const r = this.runtime.executePendingJobs(JOB_BATCH);
      if (r.error) throw this.failure(r.error);
      if (this.timedOut || this.shouldInterrupt()) throw new VmFailure(INTERRUPTED, true);
      // Work left for the jobs is part of the call: a result computed before them does not stand.
      if (this.engine.growFailures() > refusalsBefore) throw new VmFailure(OUT_OF_MEMORY, false);
    }
  }

  /** Runs what user code left in the job queue, then cleans the global again. */
  private finishJobs(): void {
    this.drainJobs();
    if (this.callForString(this.prelude.afterJobs) === 'D') this.dirty = true;
  }

  /** The runner returned a promise of an envelope: run jobs until it settles. */
  private settle(promise: QuickJSHandle): string {
    try {
      this.finishJobs();
      const state = this.context.getPromiseState(promise);
      if (state.type === 'pending') return 'P';
      if (state.type === 'rejected') throw this.failure(state.error);
      const envelope = this.context.getString(state.value);
      state.value.dispose();
      return envelope;
    } finally {
      if (promise.alive) promise.dispose();
    }
  }

  private callForString(fn: QuickJSHandle, ...args: QuickJSHandle[]): string {
    const ctx = this.context;
    const r = ctx.callFunction(fn, ctx.undefined, ...args);
    if (r.error) throw this.failure(r.error);
    const s = ctx.getString(r.value);
    r.value.dispose();
    return s;
  }

  private failure(errorHandle: QuickJSHandle): VmFailure {
    const timedOut = this.timedOut;
    this.extendForCleanup();
    return new VmFailure(this.errorInfo(errorHandle), timedOut);
  }

  /** Name, message and position of a VM error value; consumes the handle. */
  private errorInfo(handle: QuickJSHandle): VmErrorInfo {
    try {
      const d: unknown = this.context.dump(handle);
      if (d && typeof d === 'object') {
        const o = d as Record<string, unknown>;
        return {
          name: typeof o.name === 'string' ? o.name : 'Error',
          message: typeof o.message === 'string' ? o.message : String(o.message ?? ''),
          stack: typeof o.stack === 'string' ? o.stack : undefined,
          lineNumber: typeof o.lineNumber === 'number' ? o.lineNumber : undefined,
        };
      }
      return { name: 'Error', message: String(d) };
    } finally {
      if (handle.alive) handle.dispose();
    }
  }

  /**
   * Any exception that is not ours means the engine failed underneath us: a
   * trap (memory access out of bounds after a failed allocation) or the host's
   * own stack overflowing inside a deeply recursive builtin. Either way its
   * memory may be inconsistent, so this session is never used again.
   */
  private guard<T>(body: () => T): T {
    if (!this.alive) throw new EngineCrash(new Error('session is no longer usable'), false);
    const refusalsBefore = this.engine.growFailures();
    try {
      return body();
    } catch (e) {
      if (e instanceof VmFailure) throw e;
      this.crashed = true;
      throw new EngineCrash(e, this.engine.growFailures() > refusalsBefore);
    } finally {
      this.refusedInLastCall = this.engine.growFailures() > refusalsBefore;
      if (this.refusedInLastCall) this.refusedMemory = true;
    }
  }
}
