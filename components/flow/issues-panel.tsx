'use client';

import { Panel, useReactFlow } from '@xyflow/react';
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useEditor } from './editor-context';
import type { FlowEdge, FlowNode } from './graph-document';

/**
 * What the last refused save or deploy found, kept current as the user edits.
 * Clicking an entry brings its node or edge into view.
 */
export function IssuesPanel() {
  const issues = useEditor((s) => s.issues);
  const setIssues = useEditor((s) => s.setIssues);
  const labels = useEditor(useShallow((s) => Object.fromEntries(s.nodes.map((n) => [n.id, n.data.label]))));
  const edgeEnds = useEditor((s) => s.edges);
  const { fitView } = useReactFlow<FlowNode, FlowEdge>();

  const rows = useMemo(() => {
    if (!issues) return [];
    const out: Array<{ key: string; where: string | null; message: string; nodeIds: string[] }> = [];
    issues.graph.forEach((message, i) => out.push({ key: `g${i}`, where: null, message, nodeIds: [] }));
    for (const [id, messages] of Object.entries(issues.nodes)) {
      messages.forEach((message, i) => out.push({ key: `n${id}${i}`, where: labels[id] ?? id, message, nodeIds: [id] }));
    }
    for (const [id, messages] of Object.entries(issues.edges)) {
      const edge = edgeEnds.find((e) => e.id === id);
      const where = edge ? `${labels[edge.source] ?? edge.source} → ${labels[edge.target] ?? edge.target}` : id;
      messages.forEach((message, i) =>
        out.push({ key: `e${id}${i}`, where, message, nodeIds: edge ? [edge.source, edge.target] : [] }),
      );
    }
    return out;
  }, [issues, labels, edgeEnds]);

  if (!issues || rows.length === 0) return null;
  return (
    <Panel position="top-right" className="m-3!">
      <section
        className="w-80 rounded-lg border border-danger/40 bg-surface shadow-lg"
        data-testid="issues-panel"
        aria-label="Problems"
      >
        <header className="flex items-center justify-between border-b border-border px-3 py-1.5">
          <h2 className="text-xs font-semibold text-danger">
            {rows.length} problem{rows.length === 1 ? '' : 's'} to fix before deploying
          </h2>
          <button
            type="button"
            className="rounded px-1 text-xs text-muted hover:bg-surface-2 hover:text-fg"
            onClick={() => setIssues(null)}
            aria-label="Hide problems"
          >
            ✕
          </button>
        </header>
        <ul className="max-h-60 overflow-auto py-1">
          {rows.map((row) => (
            <li key={row.key}>
              <button
                type="button"
                disabled={row.nodeIds.length === 0}
                onClick={() => void fitView({ nodes: row.nodeIds.map((id) => ({ id })), duration: 300, maxZoom: 1.2 })}
                className="w-full px-3 py-1 text-left text-xs hover:bg-surface-2 disabled:hover:bg-transparent"
                data-testid="issue-row"
              >
                {row.where ? <span className="font-medium text-fg">{row.where}: </span> : null}
                <span className="text-muted">{row.message}</span>
              </button>
            </li>
          ))}
        </ul>
      </section>
    </Panel>
  );
}
