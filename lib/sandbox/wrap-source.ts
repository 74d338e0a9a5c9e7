/**
 * How user code becomes a function inside the VM.
 *
 * A transform is the *body* of `function (msg) { ... }`; a condition is an
 * expression returned from one. The prefix sits on the user's first line so
 * that line numbers in errors are the user's own (only columns on line 1 shift,
 * and `locate` corrects them).
 *
 * Wrapping by concatenation lets code such as `}); setup(); (function () {`
 * close our function early and run at compile time. So after evaluating the
 * wrapper we compare the resulting function's source text with `functionText`:
 * they are equal only if the whole user text parsed inside our function.
 *
 * Functions are strict: assigning to an undeclared name or to a frozen
 * built-in throws instead of failing silently, and `this` is undefined.
 */
export type WrappedKind = 'transform' | 'async-transform' | 'condition';

export interface WrappedSource {
  /** What we evaluate: the function expression in parentheses. */
  source: string;
  /** What Function.prototype.toString must return for that function. */
  functionText: string;
  /** File name shown in stack traces, and matched by `locate`. */
  filename: string;
  /** Characters before the user's text on line 1. */
  prefixLength: number;
}

export function wrapSource(kind: WrappedKind, code: string, filename: string): WrappedSource {
  const head =
    kind === 'async-transform' ? 'async function (msg) { "use strict"; ' : kind === 'transform' ? 'function (msg) { "use strict"; ' : 'function (msg) { "use strict"; return (';
  // The newline lets the user's text end in a // comment.
  const tail = kind === 'condition' ? '\n); }' : '\n}';
  const functionText = head + code + tail;
  return { source: `(${functionText})`, functionText, filename, prefixLength: head.length + 1 };
}

/** `await` outside an async function is a syntax error; code that uses it is compiled as an async body. */
export const mentionsAwait = (code: string): boolean => /\bawait\b/.test(code);

export interface Location {
  line: number;
  column: number;
}

/**
 * The first position inside `filename` in an engine stack trace ("at f (transform.js:3:9)"),
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
