'use client';

import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  type Connection,
  type OnConnectEnd,
  useReactFlow,
} from '@xyflow/react';
import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import { useEditor, useEditorStoreApi } from './editor-context';
import type { FlowEdge, FlowNode } from './graph-document';
import { IssuesPanel } from './issues-panel';
import { nodeTypes } from './nodes';
import { NODE_META } from './nodes/node-meta';
import { NODE_WIDTH, nodeTypeFromDrag } from './palette';
import { EdgeMarkers, edgeTypes } from './pipeline-edge';

const DELETE_KEYS = ['Backspace', 'Delete'];
const SNAP: [number, number] = [8, 8];
const snap = (v: number) => Math.round(v / SNAP[0]) * SNAP[0];

/**
 * The React Flow canvas, controlled by the editor store. Wiring rules come
 * from lib/pipeline/connection-rules through the store, so a wire the server
 * would refuse is refused while the user drags it, with the reason shown.
 */
export function Canvas() {
  const store = useEditorStoreApi();
  const nodes = useEditor((s) => s.nodes);
  const edges = useEditor((s) => s.edges);
  const onNodesChange = useEditor((s) => s.onNodesChange);
  const onEdgesChange = useEditor((s) => s.onEdgesChange);
  const addNode = useEditor((s) => s.addNode);
  const { screenToFlowPosition } = useReactFlow<FlowNode, FlowEdge>();
  // Fit the view to a loaded graph once. An empty canvas keeps its viewport:
  // React Flow would otherwise fit to the first dropped node and move the
  // ground under the user's next drop.
  const [fitOnLoad] = useState(() => store.getState().nodes.length > 0);
  const [hint, setHint] = useState<string | null>(null);
  const hintTimer = useRef<ReturnType<typeof setTimeout>>(undefined);

  const showHint = useCallback((text: string) => {
    setHint(text);
    clearTimeout(hintTimer.current);
    hintTimer.current = setTimeout(() => setHint(null), 4000);
  }, []);
  useEffect(() => () => clearTimeout(hintTimer.current), []);

  const isValidConnection = useCallback(
    (conn: FlowEdge | Connection) => store.getState().connectionError(conn) === null,
    [store],
  );

  const onConnect = useCallback(
    (conn: Connection) => {
      const error = store.getState().connect(conn);
      if (error) showHint(error);
    },
    [store, showHint],
  );

  // A refused wire just snaps back in React Flow; say why.
  const onConnectEnd: OnConnectEnd = useCallback(
    (_event, state) => {
      if (state.isValid !== false || !state.fromNode || !state.toNode) return;
      const fromTarget = state.fromHandle?.type === 'target';
      const source = fromTarget ? state.toNode.id : state.fromNode.id;
      const target = fromTarget ? state.fromNode.id : state.toNode.id;
      const error = store.getState().connectionError({ source, target });
      if (error) showHint(`Not connected: ${error}.`);
    },
    [store, showHint],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const type = nodeTypeFromDrag(e);
      if (!type) return;
      e.preventDefault();
      const p = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      addNode(type, { x: snap(p.x - NODE_WIDTH / 2), y: snap(p.y - 28) });
    },
    [screenToFlowPosition, addNode],
  );

  return (
    <div className="relative min-w-0 flex-1" data-testid="canvas">
      <EdgeMarkers />
      <ReactFlow<FlowNode, FlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onDragOver={onDragOver}
        onDrop={onDrop}
        deleteKeyCode={DELETE_KEYS}
        colorMode="system"
        snapToGrid
        snapGrid={SNAP}
        fitView={fitOnLoad}
        fitViewOptions={{ maxZoom: 1, padding: 0.25 }}
        minZoom={0.2}
        maxZoom={2}
        connectionRadius={28}
      >
        <Background variant={BackgroundVariant.Dots} gap={16} size={1.2} />
        <Controls showInteractive={false} position="bottom-left" />
        <MiniMap
          position="bottom-right"
          pannable
          zoomable
          style={{ width: 144, height: 96 }}
          className="overflow-hidden rounded-md border border-border"
          nodeColor={(n) => (n.type === 'producer' ? '#10b981' : n.type === 'queue' ? '#f59e0b' : '#0ea5e9')}
          nodeBorderRadius={4}
          ariaLabel="Minimap"
        />
        <IssuesPanel />
        {nodes.length === 0 ? <EmptyCanvasHint /> : null}
      </ReactFlow>
      {hint ? (
        <div
          role="status"
          data-testid="connection-hint"
          className="pointer-events-none absolute bottom-4 left-1/2 z-10 -translate-x-1/2 rounded-md border border-danger/40 bg-danger-soft px-3 py-1.5 text-xs text-danger shadow-sm"
        >
          {hint}
        </div>
      ) : null}
    </div>
  );
}

function EmptyCanvasHint() {
  return (
    <div className="pointer-events-none absolute inset-0 z-[1] flex items-center justify-center">
      <div className="max-w-sm rounded-lg border border-dashed border-border-strong bg-surface/80 px-5 py-4 text-center text-sm text-muted backdrop-blur-sm">
        <p className="font-medium text-fg">Start by dragging a {NODE_META.producer.title.toLowerCase()} here</p>
        <p className="mt-1 text-xs">
          Then add a queue and a consumer, and wire them from the right-hand handle of one node to the left-hand handle of the
          next.
        </p>
      </div>
    </div>
  );
}
