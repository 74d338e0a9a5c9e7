/**
 * JavaScript evaluated once in each fresh VM context, before any user code.
 * It returns the few functions the host calls, and leaves behind a context in
 * which one message cannot leave state for the next:
 *
 * - Every built-in reachable from the global object, plus the hidden ones
 *   (iterator and generator prototypes, %TypedArray%, ...), is frozen, so no
 *   message can change what `Array.prototype.map` or `JSON` means for the next.
 * - The global object's own properties are locked (read-only, non-deletable),
 *   and after every call the runner deletes whatever the call added to it and
 *   puts back its prototype. If that is impossible (a non-configurable property
 *   was defined, or the global was made non-extensible) the runner says so and
 *   the host replaces the whole context.
 * - WeakRef and FinalizationRegistry are removed: a finalizer could otherwise
 *   run during a later message.
 * - Pending promise jobs are drained by the host before a call returns.
 *
 * What remains shared between messages of one sandbox is the engine's heap
 * (atoms, the Symbol.for registry) and the time of day: no user-visible state.
 *
 * Frozen prototypes make assignments such as `err.name = 'X'` hit the
 * read-only inherited property ("override mistake"); as in SES's "moderate"
 * taming, the properties that ordinary code assigns on its own objects
 * (`toString`, `constructor`, Error's `name` and `message`, ...) become
 * accessors whose setter defines an own property on the receiver.
 *
 * User code is compiled by `compile`, from a reference to `eval` taken here.
 *
 * Result envelopes returned to the host (one string per call, first character is the status):
 *   R<json>   transform result            RTF..  condition results, one letter per rule
 *   U         transform returned undefined
 *   X<json>   result not serialisable: {"message"}
 *   E<json>   user code threw: {"name","message","stack","index"}
 * prefixed with "D" when the global object could not be cleaned.
 */
export const PRELUDE_FILENAME = 'sandbox-prelude.js';

export const PRELUDE_SOURCE = String.raw`(function (hostLog, maxLogLines, maxLogChars) {
  'use strict';
  const G = globalThis;
  const { freeze, getPrototypeOf, getOwnPropertyDescriptor, defineProperty, isExtensible } = Object;
  const { ownKeys, deleteProperty, setPrototypeOf, apply } = Reflect;
  const jsonParse = JSON.parse, jsonStringify = JSON.stringify;
  const ErrorCtor = Error, StringCtor = String, PromiseCtor = Promise, SetCtor = Set;
  const fnToString = Function.prototype.toString;
  const isArray = Array.isArray, objectKeys = Object.keys;
  const promiseThen = Promise.prototype.then;
  const indirectEval = eval;

  delete G.WeakRef;
  delete G.FinalizationRegistry;

  // ---- console: formatted here, handed to the host only when it collects ----
  let collecting = false;
  let logCount = 0;
  function fmt(v) {
    if (typeof v === 'string') return v;
    try {
      const s = jsonStringify(v);
      return s === undefined ? StringCtor(v) : s;
    } catch (e) {
      try { return StringCtor(v); } catch (e2) { return '[unprintable]'; }
    }
  }
  function makeLog(prefix) {
    return function log(...args) {
      if (!collecting || logCount >= maxLogLines) return;
      logCount++;
      let line = prefix;
      for (let i = 0; i < args.length; i++) line += (i ? ' ' : '') + fmt(args[i]);
      if (line.length > maxLogChars) line = line.slice(0, maxLogChars) + '…';
      hostLog(line);
    };
  }
  defineProperty(G, 'console', {
    value: { log: makeLog(''), info: makeLog(''), debug: makeLog(''), warn: makeLog('[warn] '), error: makeLog('[error] ') },
    writable: true, enumerable: false, configurable: true,
  });

  // ---- "moderate" override taming, before freezing ----
  function tame(proto, keys) {
    if (!proto) return;
    for (const key of keys) {
      const d = getOwnPropertyDescriptor(proto, key);
      if (!d || !('value' in d) || !d.configurable) continue;
      const value = d.value;
      defineProperty(proto, key, {
        get() { return value; },
        set(v) {
          if (this === proto) throw new TypeError('Cannot assign to read only property ' + StringCtor(key) + ' of a built-in prototype');
          defineProperty(this, key, { value: v, writable: true, enumerable: true, configurable: true });
        },
        enumerable: d.enumerable,
        configurable: false,
      });
    }
  }
  tame(Object.prototype, ['constructor', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', 'toString', 'valueOf']);
  tame(Function.prototype, ['constructor', 'toString']);
  tame(Array.prototype, ['toString', 'constructor']);
  for (const E of [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError, AggregateError, G.InternalError]) {
    if (E) tame(E.prototype, ['constructor', 'name', 'message', 'toString']);
  }

  // ---- freeze every intrinsic ----
  const seen = new SetCtor();
  function deepFreeze(o) {
    if (o === null || (typeof o !== 'object' && typeof o !== 'function') || o === G || seen.has(o)) return;
    seen.add(o);
    freeze(o);
    deepFreeze(getPrototypeOf(o));
    for (const k of ownKeys(o)) {
      const d = getOwnPropertyDescriptor(o, k);
      if ('value' in d) deepFreeze(d.value);
      else { deepFreeze(d.get); deepFreeze(d.set); }
    }
  }
  const hidden = [
    () => function* () {},
    () => async function () {},
    () => async function* () {},
    () => [][Symbol.iterator](),
    () => new Map()[Symbol.iterator](),
    () => new Set()[Symbol.iterator](),
    () => ''[Symbol.iterator](),
    () => /x/[Symbol.matchAll](''),
    () => [].values().map((x) => x),
    () => Iterator.from({ next() { return { done: true }; } }),
    () => (function () { return arguments; })(),
    () => Int8Array,
  ];
  for (const make of hidden) {
    try { deepFreeze(make()); } catch (e) { /* feature absent in this engine build */ }
  }
  for (const k of ownKeys(G)) {
    const d = getOwnPropertyDescriptor(G, k);
    if ('value' in d) deepFreeze(d.value);
    else { deepFreeze(d.get); deepFreeze(d.set); }
  }
  deepFreeze(getPrototypeOf(G));

  // ---- lock the global object's own properties; remember the baseline ----
  for (const k of ownKeys(G)) {
    const d = getOwnPropertyDescriptor(G, k);
    if (d.configurable || d.writable) defineProperty(G, k, 'value' in d ? { writable: false, configurable: false } : { configurable: false });
  }
  const baseKeys = new SetCtor(ownKeys(G));
  const baseCount = baseKeys.size;
  const baseProto = getPrototypeOf(G);

  /** Deletes what a call added to the global object. False if the global cannot be restored. */
  function resetGlobal() {
    let clean = true;
    const keys = ownKeys(G);
    if (keys.length !== baseCount) {
      for (const k of keys) if (!baseKeys.has(k) && !deleteProperty(G, k)) clean = false;
    }
    if (getPrototypeOf(G) !== baseProto && !setPrototypeOf(G, baseProto)) clean = false;
    if (!isExtensible(G)) clean = false;
    return clean;
  }
  function finish(envelope) {
    collecting = false;
    return resetGlobal() ? envelope : 'D' + envelope;
  }

  // ---- describing what user code threw (may run user getters: still under the deadline) ----
  function describe(e, index) {
    let name = '', message = '', stack = '';
    try {
      if (e instanceof ErrorCtor) {
        name = StringCtor(e.name);
        message = StringCtor(e.message);
        stack = typeof e.stack === 'string' ? e.stack : '';
      } else {
        message = fmt(e);
      }
    } catch (e2) {
      message = '[the thrown value could not be described]';
    }
    return jsonStringify({ name, message, stack, index });
  }

  // ---- results must be JSON ----
  function notJson(k, v) {
    const t = typeof v;
    if (t === 'function' || t === 'symbol') throw new TypeError('not JSON');
    return v;
  }
  /** Where the first non-JSON value is, for the error message (only on the failure path). */
  function findNonJson(root) {
    const ancestors = new SetCtor();
    function walk(v, path) {
      const t = typeof v;
      if (t === 'function' || t === 'symbol' || t === 'bigint') return path + ' is a ' + t;
      if (v === null || t !== 'object') return null;
      if (ancestors.has(v)) return path + ' is a circular reference';
      if (typeof v.toJSON === 'function') return null;
      ancestors.add(v);
      if (isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          const found = walk(v[i], path + '[' + i + ']');
          if (found) return found;
        }
      } else {
        for (const k of objectKeys(v)) {
          const found = walk(v[k], path + '.' + k);
          if (found) return found;
        }
      }
      ancestors.delete(v);
      return null;
    }
    return walk(root, 'result');
  }
  function encodeResult(out) {
    if (out === undefined) return 'U';
    let json;
    try {
      json = jsonStringify(out, notJson);
    } catch (e) {
      let message;
      try { message = findNonJson(out); } catch (e2) { message = null; }
      if (!message) { try { message = StringCtor(e && e.message); } catch (e3) { message = 'serialisation failed'; } }
      return 'X' + jsonStringify({ message });
    }
    return json === undefined ? 'U' : 'R' + json;
  }

  // ---- runners: one host call per message ----
  function transformRunner(fn) {
    return function (input, collect) {
      collecting = collect;
      logCount = 0;
      let out;
      try {
        out = fn(jsonParse(input));
      } catch (e) {
        return finish('E' + describe(e, 0));
      }
      if (out instanceof PromiseCtor) {
        // Settles when the host drains the job queue; the host then resets the global.
        return apply(promiseThen, out, [encodeResult, (e) => 'E' + describe(e, 0)]);
      }
      return finish(encodeResult(out));
    };
  }
  function conditionsRunner(fns) {
    const n = fns.length;
    return function (input, collect) {
      collecting = collect;
      logCount = 0;
      let msg;
      try { msg = jsonParse(input); } catch (e) { return finish('E' + describe(e, -1)); }
      let s = 'R';
      for (let i = 0; i < n; i++) {
        try { s += fns[i](msg) ? 'T' : 'F'; } catch (e) { return finish('E' + describe(e, i)); }
      }
      return finish(s);
    };
  }
  /**
   * Evaluates a wrapped function (see wrap-source.ts) as strict eval code.
   * Returns it, or null when the text did not stay inside the function.
   * Syntax errors are thrown to the host.
   */
  function compile(source, functionText) {
    const fn = indirectEval(source);
    return typeof fn === 'function' && apply(fnToString, fn, []) === functionText ? fn : null;
  }
  /** After the job queue is drained: clean the global again. "" or "D". */
  function afterJobs() {
    return finish('');
  }

  return { transformRunner, conditionsRunner, compile, afterJobs };
})`;
