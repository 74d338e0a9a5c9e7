'use client';

import { Handle, Position } from '@xyflow/react';
import type { ReactNode } from 'react';
import type { NodeType } from '@/lib/pipeline/schema';
import { cx } from '@/components/ui/cx';
import { useEditor } from '../editor-context';
import { NODE_META, NodeIcon } from './node-meta';
import { NodeStatsGrid } from './node-stats';

const EMPTY: readonly string[] = [];

/**
 * The frame every node view shares: handles (inputs on the left, outputs on
 * the right), a header with the type and a one-line summary, the label, the
 * live figures and the issues the last save or deploy found. Everything the
 * user typed is rendered as text.
 */
export function NodeShell({
  id,
  type,
  label,
  selected,
  summary,
  hasInput,
  hasOutput,
  outputTitle,
  tags,
  children,
}: {
  id: string;
  type: NodeType;
  label: string;
  selected: boolean;
  summary?: ReactNode;
  hasInput: boolean;
  hasOutput: boolean;
  outputTitle?: string;
  /** Small state chips at the right of the header (paused, dead letters). */
  tags?: ReactNode;
  /** Live controls or progress between the label and the figures (deployed only). */
  children?: ReactNode;
}) {
  const issues = useEditor((s) => s.issues?.nodes[id]) ?? EMPTY;
  const meta = NODE_META[type];
  const hasIssues = issues.length > 0;
  return (
    <div
      data-testid={`node-${type}`}
      data-node-id={id}
      data-invalid={hasIssues || undefined}
      className={cx(
        'relative w-52 rounded-lg border bg-surface text-left shadow-sm transition-shadow',
        hasIssues
          ? 'border-danger ring-2 ring-danger/30'
          : selected
            ? 'border-accent ring-2 ring-accent/25'
            : 'border-border hover:border-border-strong',
      )}
    >
      {hasInput ? <Handle type="target" position={Position.Left} className="cv-handle" data-testid="handle-in" title="Input" /> : null}
      <div className="flex items-center gap-1.5 px-2.5 pt-2">
        <span className={cx('flex size-5 items-center justify-center rounded', meta.chip)}>
          <NodeIcon type={type} />
        </span>
        <span className="text-[10px] font-semibold tracking-wider text-muted uppercase">{meta.title}</span>
        {tags ? <span className="ml-auto flex items-center gap-1">{tags}</span> : null}
      </div>
      <div className="px-2.5 pt-1 pb-2">
        <div className="truncate text-sm font-medium text-fg" data-testid="node-label" title={label}>
          {label || <span className="text-subtle italic">no label</span>}
        </div>
        {summary ? (
          <div className="truncate text-[11px] text-subtle" data-testid="node-summary">
            {summary}
          </div>
        ) : null}
      </div>
      {children ? <div className="border-t border-border px-2.5 py-1.5">{children}</div> : null}
      <NodeStatsGrid id={id} type={type} />
      {hasIssues ? (
        <ul className="space-y-0.5 rounded-b-lg border-t border-danger/30 bg-danger-soft px-2.5 py-1.5" data-testid="node-issues">
          {issues.map((message, i) => (
            <li key={i} className="text-[11px] leading-4 text-danger" data-testid="node-issue">
              {message}
            </li>
          ))}
        </ul>
      ) : null}
      {hasOutput ? (
        <Handle type="source" position={Position.Right} className="cv-handle" data-testid="handle-out" title={outputTitle ?? 'Output'} />
      ) : null}
    </div>
  );
}
