/**
 * Payload templates of schedule and generator producers: the node's `payload`
 * with placeholders filled in, per message, in every string value (object
 * keys are left alone):
 *
 *   {{seq}}    1-based sequence number: a generator's message number within
 *              one start (1..count); a schedule's iteration number
 *   {{now}}    ISO-8601 time: when a generator emitted the batch; a
 *              schedule's planned fire time (not when a worker got to it)
 *   {{nowMs}}  the same instant in milliseconds since the epoch
 *
 * A string that is exactly `{{seq}}` or `{{nowMs}}` becomes a number, so
 * `{ "n": "{{seq}}" }` yields `{ "n": 42 }`; anywhere else placeholders are
 * replaced as text (`"order-{{seq}}"` -> `"order-42"`). Unknown placeholders
 * stay as written. A node without a payload sends `{ "seq": n, "at": iso }`.
 *
 * Compiled once per producer: a template without placeholders is sent as is
 * (no copy), so a generator at tens of thousands of messages a second only
 * pays for the parts that change.
 */
export interface TemplateVars {
  seq: number;
  /** ms since the epoch */
  now: number;
}

export type PayloadTemplate = (vars: TemplateVars) => unknown;

const PLACEHOLDER = /\{\{\s*(seq|now|nowMs)\s*\}\}/g;
const WHOLE_NUMBER = /^\{\{\s*(seq|nowMs)\s*\}\}$/;

type Part = (vars: TemplateVars) => unknown;

const valueOf = (name: string, vars: TemplateVars): string | number =>
  name === 'seq' ? vars.seq : name === 'nowMs' ? vars.now : new Date(vars.now).toISOString();

export function compilePayloadTemplate(template: unknown): PayloadTemplate {
  if (template === undefined) return ({ seq, now }) => ({ seq, at: new Date(now).toISOString() });
  const compiled = compile(template);
  return compiled ?? (() => template);
}

/** Null when `value` holds no placeholder (it can then be shared as is). */
function compile(value: unknown): Part | null {
  if (typeof value === 'string') {
    const whole = WHOLE_NUMBER.exec(value);
    if (whole) {
      const name = whole[1]!;
      return (vars) => valueOf(name, vars);
    }
    if (!value.includes('{{')) return null;
    PLACEHOLDER.lastIndex = 0;
    if (!PLACEHOLDER.test(value)) return null;
    return (vars) => value.replace(PLACEHOLDER, (_, name: string) => String(valueOf(name, vars)));
  }
  if (Array.isArray(value)) {
    const parts = value.map(compile);
    if (parts.every((p) => p === null)) return null;
    return (vars) => value.map((v, i) => (parts[i] ? parts[i]!(vars) : v));
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, v, compile(v)] as const);
    if (entries.every(([, , p]) => p === null)) return null;
    return (vars) => {
      const out: Record<string, unknown> = {};
      for (const [k, v, p] of entries) out[k] = p ? p(vars) : v;
      return out;
    };
  }
  return null;
}
