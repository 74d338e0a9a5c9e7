/**
 * How user code becomes a function inside the VM.
 *
 * A transform is the *body* of `function (msg) { ... }`; a condition is an
 * expression returned from one. The prefix sits on the user's first line so
 * that line numbers in errors are the user's own (only columns on line 1 shift,
 * and `locate` corrects them).
 *
 * The wrapper is evaluated as strict *eval* code (by the prelude), not as a
 * script: declarations in eval code stay local to it, so text that closes our
 * function early (`}); let state = 0; (function () {`) cannot leave a binding
 * behind; whatever else it does at compile time lands on the global object and
 * is cleaned like a call's. We then compare the function's source text with
 * `functionText`: they are equal only if the whole user text parsed inside our
 * function, otherwise the code is refused.
 *
 * Strict mode also makes assigning to an undeclared name or to a frozen
 * built-in throw instead of failing silently, and leaves `this` undefined.
 */
export type WrappedKind = 'transform' | 'async-transform' | 'condition';

export interface WrappedSource {
  /** What we evaluate: a strict directive, then the function expression in parentheses. */
  source: string;
  /** What Function.prototype.toString must return for that function. */
  functionText: string;
  /** File name the engine shows in stack traces, matched by `locate`. */
  filename: string;
  /** Characters before the user's text on line 1. */
  prefixLength: number;
}

/** QuickJS names eval code "<input>" in stack traces (it ignores //# sourceURL). */
export const EVAL_FILENAME = '<input>';

export function wrapSource(kind: WrappedKind, code: string): WrappedSource {
  const head = kind === 'async-transform' ? 'async function (msg) { ' : kind === 'transform' ? 'function (msg) { ' : 'function (msg) { return (';
  // The newline lets the user's text end in a // comment.
  const tail = kind === 'condition' ? '\n); }' : '\n}';
  const functionText = head + code + tail;
  const opening = '"use strict"; (';
  return { source: `${opening}${functionText})`, functionText, filename: EVAL_FILENAME, prefixLength: opening.length + head.length };
}

/** `await` outside an async function is a syntax error; code that uses it is compiled as an async body. */
export const mentionsAwait = (code: string): boolean => /\bawait\b/.test(code);

export interface Location {
  line: number;
  column: number;
}

/**
 * The first position inside `filename` in an engine stack trace ("at f (<input>:3:9)"),
 * in the user's coordinates. `lineNumber` is what QuickJS puts on SyntaxErrors.
 */
export function locate(wrapped: WrappedSource, stack: string | undefined, lineNumber?: number): Location | undefined {
  const escaped = wrapped.filename.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = stack ? new RegExp(`${escaped}:(\\d+)(?::(\\d+))?`).exec(stack) : null;
  const line = m ? Number(m[1]) : lineNumber;
  if (line === undefined || !Number.isFinite(line)) return undefined;
  let column = m?.[2] ? Number(m[2]) : 0;
  if (line === 1 && column > wrapped.prefixLength) column -= wrapped.prefixLength;
  return { line, column };
}

/** "(line 3, column 9)" or "(line 3)" or "". */
export function describeLocation(loc: Location | undefined): string {
  if (!loc) return '';
  return loc.column > 0 ? ` (line ${loc.line}, column ${loc.column})` : ` (line ${loc.line})`;
}
