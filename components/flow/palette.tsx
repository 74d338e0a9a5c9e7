'use client';

import { useReactFlow, useStoreApi } from '@xyflow/react';
import type { DragEvent } from 'react';
import type { NodeType } from '@/lib/pipeline/schema';
import { cx } from '@/components/ui/cx';
import { useEditor } from './editor-context';
import { NODE_TYPES } from './graph-document';
import { NODE_META, NodeIcon } from './nodes/node-meta';

export const PALETTE_MIME = 'application/x-conveyor-node';
export const NODE_WIDTH = 208;

export function nodeTypeFromDrag(e: DragEvent): NodeType | null {
  const raw = e.dataTransfer.getData(PALETTE_MIME) || e.dataTransfer.getData('text/plain');
  return (NODE_TYPES as readonly string[]).includes(raw) ? (raw as NodeType) : null;
}

/**
 * The node types the user drags onto the canvas (HTML5 drag and drop; the
 * canvas places the node under the pointer). Clicking or pressing Enter on an
 * item adds it in the middle of the view instead, for keyboard users.
 */
export function Palette() {
  const addNode = useEditor((s) => s.addNode);
  const { screenToFlowPosition } = useReactFlow();
  const flowStore = useStoreApi();

  const addAtCentre = (type: NodeType) => {
    const pane = flowStore.getState().domNode?.getBoundingClientRect();
    if (!pane) return;
    const p = screenToFlowPosition({ x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 });
    // Nudge each click a little so repeated clicks do not stack nodes exactly.
    const jitter = (Math.random() - 0.5) * 48;
    addNode(type, { x: Math.round(p.x - NODE_WIDTH / 2 + jitter), y: Math.round(p.y - 30 + jitter) });
  };

  return (
    <aside className="flex w-52 shrink-0 flex-col border-r border-border bg-surface" aria-label="Node palette">
      <div className="border-b border-border px-3 py-2 text-[11px] font-semibold tracking-wider text-muted uppercase">Nodes</div>
      <ul className="flex flex-col gap-1.5 p-2">
        {NODE_TYPES.map((type) => {
          const meta = NODE_META[type];
          return (
            <li key={type}>
              <div
                role="button"
                tabIndex={0}
                draggable
                data-testid={`palette-${type}`}
                title={`Drag onto the canvas, or click to add a ${meta.title.toLowerCase()}`}
                onDragStart={(e) => {
                  e.dataTransfer.setData(PALETTE_MIME, type);
                  e.dataTransfer.setData('text/plain', type);
                  e.dataTransfer.effectAllowed = 'move';
                }}
                onClick={() => addAtCentre(type)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    addAtCentre(type);
                  }
                }}
                className={cx(
                  'flex cursor-grab items-center gap-2.5 rounded-md border border-border bg-surface px-2.5 py-2 select-none',
                  'hover:border-border-strong hover:bg-surface-2 active:cursor-grabbing',
                  'focus-visible:outline-2 focus-visible:outline-accent',
                )}
              >
                <span className={cx('flex size-7 shrink-0 items-center justify-center rounded-md', meta.chip)}>
                  <NodeIcon type={type} className="size-4" />
                </span>
                <span className="min-w-0">
                  <span className="block text-sm font-medium text-fg">{meta.title}</span>
                  <span className="block truncate text-[11px] text-subtle">{meta.description}</span>
                </span>
              </div>
            </li>
          );
        })}
      </ul>
      <div className="mt-auto space-y-1.5 border-t border-border p-3 text-[11px] leading-4 text-subtle">
        <p>Wire producer → queue → consumer → queue. Queue → queue makes a dead-letter edge.</p>
        <p>Select and press Delete to remove.</p>
      </div>
    </aside>
  );
}
