/**
 * Why a sandboxed call failed. Callers branch on `kind`, never on the message:
 * - syntax   the code does not compile (reported by compileTransform / compileCondition)
 * - user     the user's code threw; `userName` / `userMessage` hold what it threw
 * - timeout  it ran past the sandbox's time limit
 * - memory   it allocated past the sandbox's memory limit
 * - stack    it recursed too deep (in JS, or in a native builtin such as JSON.parse)
 * - result   it returned nothing, a promise that never settles, or a value that is not JSON
 * - internal the engine failed for a reason we cannot attribute; the sandbox recovered
 *
 * None of these is worth a retry with the same input except `internal`; a job
 * runner can map the others to BullMQ's UnrecoverableError.
 */
export type SandboxErrorKind = 'syntax' | 'user' | 'timeout' | 'memory' | 'stack' | 'result' | 'internal';

export interface SandboxErrorDetails {
  /** 1-based line in the user's code, when the engine reported one. */
  line?: number;
  /** 1-based column in the user's code, when the engine reported one. */
  column?: number;
  /** For `user`: the thrown error's name (`Error`, `TypeError`, ...). */
  userName?: string;
  /** For `user`: the thrown error's message, verbatim. */
  userMessage?: string;
  /** For conditions compiled together: which one failed (0-based). */
  ruleIndex?: number;
  /** console output captured during the call, when the caller asked for it. */
  logs?: string[];
}

export class SandboxError extends Error implements SandboxErrorDetails {
  readonly kind: SandboxErrorKind;
  line?: number;
  column?: number;
  userName?: string;
  userMessage?: string;
  ruleIndex?: number;
  logs?: string[];

  constructor(kind: SandboxErrorKind, message: string, details: SandboxErrorDetails = {}) {
    super(message);
    this.name = 'SandboxError';
    this.kind = kind;
    Object.assign(this, details);
  }
}

export const isSandboxError = (e: unknown): e is SandboxError => e instanceof SandboxError;
