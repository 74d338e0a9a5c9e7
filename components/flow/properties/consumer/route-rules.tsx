'use client';

import { useShallow } from 'zustand/react/shallow';
import type { ConsumerData } from '@/lib/pipeline/schema';
import { Button } from '@/components/ui/button';
import { Input, Select } from '@/components/ui/input';
import { useEditor } from '../../editor-context';
import type { NodeForm } from '../use-node-form';

type Route = Extract<ConsumerData['task'], { kind: 'route' }>;
type Rule = Route['rules'][number];

/**
 * The route task's rules: a condition on `msg` and the outgoing edge it
 * sends to, picked by the label of the node the edge leads to.
 */
export function RouteRules({ id, form }: { id: string; form: NodeForm<ConsumerData> }) {
  const rules = (form.data.task as Route).rules;
  // [edgeId, "target label"] for this consumer's outgoing edges, flat for a shallow compare.
  const outgoing = useEditor(
    useShallow((s) =>
      s.edges
        .filter((e) => e.source === id && e.data?.kind !== 'dead-letter')
        .flatMap((e) => [e.id, s.nodes.find((n) => n.id === e.target)?.data.label || e.target]),
    ),
  );
  const edges = pairs(outgoing);
  const setRules = (next: Rule[]) => form.set(['task', 'rules'], next);
  const named = new Set(rules.map((r) => r.edgeId));
  const defaults = edges.filter(([edgeId]) => !named.has(edgeId)).map(([, label]) => label);

  return (
    <div className="space-y-2">
      <p className="text-xs leading-4 text-subtle">
        Each condition is a JavaScript expression of <code className="font-mono text-fg">msg</code>. The message goes to every edge whose
        condition holds; edges no rule names get it when none holds.
      </p>
      {edges.length === 0 ? (
        <p className="rounded-md border border-warning/30 bg-warning-soft px-2 py-1.5 text-xs text-warning" data-testid="prop-route-no-edges">
          Wire this consumer to one or more queues first, then pick them here.
        </p>
      ) : null}
      <ol className="space-y-2">
        {rules.map((rule, i) => {
          const whenError = form.issue(['task', 'rules', i, 'when']);
          const known = edges.some(([edgeId]) => edgeId === rule.edgeId);
          const edgeError = form.issue(['task', 'rules', i, 'edgeId']) ?? (known ? null : 'This edge is not an outgoing edge of this consumer any more.');
          return (
            <li key={i} className="space-y-1 rounded-md border border-border bg-surface-2 p-2" data-testid="prop-route-rule">
              <div className="flex items-center justify-between">
                <span className="text-[11px] font-medium text-muted">Rule {i + 1}</span>
                <Button
                  size="sm"
                  variant="ghost"
                  className="h-6 px-1.5 hover:text-danger"
                  data-testid={`prop-route-remove-${i}`}
                  aria-label={`Remove rule ${i + 1}`}
                  onClick={() => setRules(rules.filter((_, j) => j !== i))}
                >
                  Remove
                </Button>
              </div>
              <label className="block text-[11px] text-muted" htmlFor={`prop-route-when-${i}`}>
                when
              </label>
              <Input
                id={`prop-route-when-${i}`}
                data-testid={`prop-route-when-${i}`}
                className="font-mono text-xs"
                placeholder='msg.type === "refund"'
                value={rule.when}
                maxLength={2000}
                spellCheck={false}
                autoComplete="off"
                aria-invalid={whenError ? true : undefined}
                onChange={(e) => setRules(rules.map((r, j) => (j === i ? { ...r, when: e.target.value } : r)))}
              />
              {whenError ? (
                <p className="text-xs text-danger" data-testid={`prop-route-when-${i}-error`}>
                  {whenError}
                </p>
              ) : null}
              <label className="block text-[11px] text-muted" htmlFor={`prop-route-edge-${i}`}>
                send to
              </label>
              <Select
                id={`prop-route-edge-${i}`}
                data-testid={`prop-route-edge-${i}`}
                value={rule.edgeId}
                aria-invalid={edgeError ? true : undefined}
                onChange={(e) => setRules(rules.map((r, j) => (j === i ? { ...r, edgeId: e.target.value } : r)))}
              >
                {known ? null : <option value={rule.edgeId}>(missing edge {rule.edgeId})</option>}
                {edges.map(([edgeId, label]) => (
                  <option key={edgeId} value={edgeId}>
                    → {label}
                  </option>
                ))}
              </Select>
              {edgeError ? (
                <p className="text-xs text-danger" data-testid={`prop-route-edge-${i}-error`}>
                  {edgeError}
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
      <Button
        size="sm"
        data-testid="prop-route-add"
        disabled={edges.length === 0 || rules.length >= 100}
        onClick={() => setRules([...rules, { when: 'true', edgeId: (edges.find(([e]) => !named.has(e)) ?? edges[0]!)[0] }])}
      >
        + Add rule
      </Button>
      {rules.length > 0 ? (
        <p className="text-xs text-subtle">
          {defaults.length ? `Otherwise: → ${defaults.join(', ')}.` : 'Otherwise the message goes nowhere and its run ends here.'}
        </p>
      ) : edges.length > 0 ? (
        <p className="text-xs text-subtle">Without rules every message goes to every outgoing edge.</p>
      ) : null}
    </div>
  );
}

function pairs(flat: readonly string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}
