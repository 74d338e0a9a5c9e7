import { isSandboxError } from '../sandbox';
import { withResources } from './resources';
import type { TaskOf, TaskRunner } from './types';
import { userCodeError } from './user-code-errors';

/**
 * Sends the message, unchanged, to the outgoing edges whose rules hold.
 *
 * - Each rule's `when` is a JavaScript expression of `msg`, true when truthy.
 *   Every rule is evaluated (in one sandbox call, on one copy of the message);
 *   there is no first-match-wins.
 * - The message goes to every edge named by a rule that holds: several
 *   matches fan out, one copy per edge. Several rules may name one edge (an
 *   "or"); the edge still gets one copy.
 * - Outgoing edges that no rule names are the default ("else") branch: they
 *   get the message when no rule held, and only then.
 * - No rule held and there is no default edge: the message goes nowhere and
 *   the run ends at this node, completed.
 * - A route without rules sends every message to every edge.
 * - A condition that throws (`msg.a.b` when `a` is missing) fails the job like
 *   a transform that throws (retryable; see user-code-errors.ts); write
 *   `msg.a?.b` for fields that may be absent. A condition that does not compile
 *   fails every job at once (unrecoverable).
 */
export function pickEdges(rules: TaskOf<'route'>['rules'], results: readonly boolean[], outputs: readonly string[]): string[] {
  const named = new Set(rules.map((r) => r.edgeId));
  const matched = new Set(rules.filter((_, i) => results[i]).map((r) => r.edgeId));
  // In the consumer's edge order, each edge once.
  return matched.size > 0 ? outputs.filter((id) => matched.has(id)) : outputs.filter((id) => !named.has(id));
}

/** One array per rules object (a spec version's), so the consumer's compile cache finds it without re-keying. */
const expressions = new WeakMap<object, readonly string[]>();
function expressionsOf(rules: TaskOf<'route'>['rules']): readonly string[] {
  let exprs = expressions.get(rules);
  if (!exprs) expressions.set(rules, (exprs = rules.map((r) => r.when)));
  return exprs;
}

export const runRoute: TaskRunner<'route'> = async (task, payload, ctx) => {
  // Without the consumer's edges (a caller outside the worker), only the edges rules name are known.
  const outputs = ctx.outputs ?? [...new Set(task.rules.map((r) => r.edgeId))];
  if (task.rules.length === 0) return { output: payload, edgeIds: [...outputs] };
  const results = await withResources(ctx.resources, async (resources) => {
    try {
      // The route node has no limits of its own: the sandbox's defaults (1 s, 32 MB) apply.
      const conditions = await resources.conditions(expressionsOf(task.rules), {});
      return await conditions(payload);
    } catch (e) {
      // The sandbox numbers rules only when there are several.
      const index = isSandboxError(e) ? (e.ruleIndex ?? (task.rules.length === 1 ? 0 : undefined)) : undefined;
      const rule = index === undefined ? undefined : task.rules[index];
      throw userCodeError('route', e, rule ? ` (the rule for edge ${rule.edgeId})` : '');
    }
  });
  return { output: payload, edgeIds: pickEdges(task.rules, results, outputs) };
};
