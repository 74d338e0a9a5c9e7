import { createSandbox, isSandboxError, type ConditionsFn, type Sandbox, type SandboxOptions, type TransformFn } from '../sandbox';

/**
 * What one consumer keeps between its messages: QuickJS sandboxes and the
 * user code compiled in them. The supervisor creates one per consumer Worker
 * and disposes it when that Worker has closed; every job of the Worker reuses
 * it, so code is compiled once per consumer, not once per message.
 *
 * Keyed rather than single, because a live Worker outlives redeploys (the
 * task is read from each job's spec version): jobs of two versions can be in
 * flight at once with different code or limits.
 *
 * - One sandbox per distinct (timeoutMs, memoryMb); at most MAX_SANDBOXES,
 *   the least recently used one is disposed past that.
 * - Compiled code per sandbox, by kind and source. Compiled functions
 *   live in the engine until it is replaced, so past MAX_COMPILED per
 *   sandbox (many redeploys of a long-lived Worker) the sandbox is disposed
 *   and started afresh rather than growing without bound.
 * - A compile error is cached too: bad code fails each message without
 *   recompiling, and code that breaks out of its wrapper does not cost an
 *   engine restart per message.
 */
export interface SandboxLimitsOption {
  timeoutMs?: number;
  memoryMb?: number;
}

export interface TaskResources {
  /** `code` compiled as a transform in the sandbox for `limits`. Rejects with the SandboxError of a compile error. */
  transform(code: string, limits: SandboxLimitsOption): Promise<TransformFn>;
  /** `exprs` compiled as one set of conditions (a route's rules). */
  conditions(exprs: readonly string[], limits: SandboxLimitsOption): Promise<ConditionsFn>;
  /** Frees every sandbox. Calls still running reject; later calls start afresh. */
  dispose(): void;
  /** For tests and diagnostics. */
  describe(): { sandboxes: number; compiled: number };
}

export const MAX_SANDBOXES = 4;
export const MAX_COMPILED = 32;

type Compiled = { ok: true; fn: TransformFn | ConditionsFn } | { ok: false; error: unknown };

interface Slot {
  sandbox: Promise<Sandbox>;
  /** By source: the code string itself, whose hash V8 keeps on the string. */
  transforms: Map<string, Compiled>;
  /** By the JSON of the expressions. */
  conditions: Map<string, Compiled>;
}

const compiledIn = (slot: Slot) => slot.transforms.size + slot.conditions.size;

export function createTaskResources(create: (options: SandboxOptions) => Promise<Sandbox> = createSandbox): TaskResources {
  const slots = new Map<string, Slot>();

  const disposeSlot = (slot: Slot) => {
    slot.sandbox.then((s) => s.dispose()).catch(() => undefined);
  };

  function slotFor(limits: SandboxLimitsOption): Slot {
    const key = `${limits.timeoutMs ?? '-'}/${limits.memoryMb ?? '-'}`;
    let slot = slots.get(key);
    if (slot && compiledIn(slot) >= MAX_COMPILED) {
      slots.delete(key);
      disposeSlot(slot);
      slot = undefined;
    }
    if (slot) {
      // Map order is insertion order: re-inserting makes it the most recently used.
      slots.delete(key);
      slots.set(key, slot);
      return slot;
    }
    const options: SandboxOptions = {};
    if (limits.timeoutMs !== undefined) options.timeoutMs = limits.timeoutMs;
    if (limits.memoryMb !== undefined) options.memoryMb = limits.memoryMb;
    const sandbox = create(options);
    slot = { sandbox, transforms: new Map(), conditions: new Map() };
    const created = slot;
    // A sandbox that failed to start is forgotten, so the next message tries again.
    sandbox.catch(() => {
      if (slots.get(key) === created) slots.delete(key);
    });
    slots.set(key, slot);
    while (slots.size > MAX_SANDBOXES) {
      const [oldestKey, oldest] = slots.entries().next().value as [string, Slot];
      slots.delete(oldestKey);
      disposeSlot(oldest);
    }
    return slot;
  }

  async function compiled<F extends TransformFn | ConditionsFn>(
    limits: SandboxLimitsOption,
    kind: 'transforms' | 'conditions',
    key: string,
    compile: (s: Sandbox) => F,
  ): Promise<F> {
    const slot = slotFor(limits);
    const sandbox = await slot.sandbox;
    let entry = slot[kind].get(key);
    if (!entry) {
      try {
        entry = { ok: true, fn: compile(sandbox) };
      } catch (error) {
        // Only a syntax error is a property of the code; anything else (a disposed or failed engine) may pass.
        if (!(isSandboxError(error) && error.kind === 'syntax')) throw error;
        entry = { ok: false, error };
      }
      slot[kind].set(key, entry);
    }
    if (!entry.ok) throw entry.error;
    return entry.fn as F;
  }

  // A route's key is computed once per expressions array (route.ts passes one
  // array per spec version): rules can add up to 200 kB, too much to
  // serialise and hash again for every message.
  const conditionKeys = new WeakMap<readonly string[], string>();
  const conditionsKey = (exprs: readonly string[]) => {
    let key = conditionKeys.get(exprs);
    // JSON of the array: unambiguous whatever the expressions contain.
    if (key === undefined) conditionKeys.set(exprs, (key = JSON.stringify(exprs)));
    return key;
  };

  return {
    transform: (code, limits) => compiled(limits, 'transforms', code, (s) => s.compileTransform(code)),
    conditions: (exprs, limits) => compiled(limits, 'conditions', conditionsKey(exprs), (s) => s.compileConditions(exprs)),
    dispose() {
      for (const slot of slots.values()) disposeSlot(slot);
      slots.clear();
    },
    describe: () => ({
      sandboxes: slots.size,
      compiled: [...slots.values()].reduce((n, s) => n + compiledIn(s), 0),
    }),
  };
}

/** Runs `body` with the consumer's resources, or with throwaway ones freed afterwards when the caller has none. */
export async function withResources<T>(resources: TaskResources | undefined, body: (r: TaskResources) => Promise<T>): Promise<T> {
  if (resources) return body(resources);
  const temporary = createTaskResources();
  try {
    return await body(temporary);
  } finally {
    temporary.dispose();
  }
}
