'use client';

import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { useEditor } from './editor-context';
import type { FlowEdge } from './graph-document';

/**
 * Every edge renders through this view (registered as React Flow's `default`
 * type, since stored edges carry no `type`): dead-letter edges are dashed red
 * and labelled, and edges the last save or deploy refused are solid red with
 * the reason.
 */
export const PipelineEdgeView = memo(function PipelineEdgeView(props: EdgeProps<FlowEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected } = props;
  const issues = useEditor((s) => s.issues?.edges[id]);
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const deadLetter = data?.kind === 'dead-letter';
  const invalid = !!issues?.length;
  const marker = invalid ? 'error' : selected ? 'selected' : deadLetter ? 'dead-letter' : 'normal';
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={`url(#cv-arrow-${marker})`}
        interactionWidth={16}
        style={{
          stroke: invalid ? 'var(--cv-danger)' : selected ? 'var(--cv-accent)' : deadLetter ? 'var(--cv-danger)' : undefined,
          strokeDasharray: deadLetter ? '6 4' : undefined,
          strokeWidth: invalid || selected ? 2.25 : 1.5,
        }}
      />
      {invalid || deadLetter ? (
        <EdgeLabelRenderer>
          <div
            className="nodrag nopan pointer-events-none absolute max-w-56"
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            data-testid={invalid ? 'edge-issue' : 'edge-dead-letter'}
            data-edge-id={id}
          >
            {invalid ? (
              <div className="rounded border border-danger/40 bg-danger-soft px-1.5 py-0.5 text-[11px] leading-4 text-danger shadow-sm">
                {issues.join('; ')}
              </div>
            ) : (
              <div className="rounded border border-dashed border-danger/60 bg-danger-soft px-1.5 py-px text-[10px] font-medium tracking-wide text-danger uppercase">
                dead letter
              </div>
            )}
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
});

export const edgeTypes = { default: PipelineEdgeView };

/** Arrow heads for the edge states, referenced by id from the edge paths. */
export function EdgeMarkers() {
  const markers: Array<[string, string]> = [
    ['normal', 'var(--cv-edge)'],
    ['selected', 'var(--cv-accent)'],
    ['dead-letter', 'var(--cv-danger)'],
    ['error', 'var(--cv-danger)'],
  ];
  return (
    <svg width="0" height="0" className="absolute" aria-hidden>
      <defs>
        {markers.map(([name, colour]) => (
          <marker
            key={name}
            id={`cv-arrow-${name}`}
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            markerUnits="userSpaceOnUse"
            orient="auto-start-reverse"
          >
            <path d="M0 1 L9 5 L0 9 z" style={{ fill: colour }} />
          </marker>
        ))}
      </defs>
    </svg>
  );
}
