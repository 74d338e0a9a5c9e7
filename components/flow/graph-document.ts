/**
 * The canvas state IS the stored document: React Flow's node/edge shape. This
 * file is the seam between the two: it types the canvas nodes after the graph
 * language, gives dropped nodes their default data, and strips React Flow's
 * session fields (selected, measured, dragging, ...) before a save.
 */
import type { Edge, Node } from '@xyflow/react';
import type { EdgeKind } from '@/lib/pipeline/connection-rules';
import {
  GRAPH_SCHEMA_VERSION,
  type ConsumerData,
  type Graph,
  type NodeType,
  type PipelineEdge,
  type PipelineNode,
  type ProducerData,
  type QueueData,
} from '@/lib/pipeline/schema';

export type ProducerFlowNode = Node<ProducerData, 'producer'>;
export type QueueFlowNode = Node<QueueData, 'queue'>;
export type ConsumerFlowNode = Node<ConsumerData, 'consumer'>;
export type FlowNode = ProducerFlowNode | QueueFlowNode | ConsumerFlowNode;
export type FlowNodeData = FlowNode['data'];

export type EdgeData = NonNullable<PipelineEdge['data']>;
export type FlowEdge = Edge<EdgeData>;

export const NODE_TYPES: readonly NodeType[] = ['producer', 'queue', 'consumer'];

export function defaultNodeData(type: 'producer'): ProducerData;
export function defaultNodeData(type: 'queue'): QueueData;
export function defaultNodeData(type: 'consumer'): ConsumerData;
export function defaultNodeData(type: NodeType): FlowNodeData;
export function defaultNodeData(type: NodeType): FlowNodeData {
  switch (type) {
    case 'producer':
      return { label: 'Producer', source: { kind: 'http' } };
    case 'queue':
      return { label: 'Queue' };
    case 'consumer':
      return { label: 'Consumer', concurrency: 1, task: { kind: 'noop' } };
  }
}

export function makeNode(type: NodeType, id: string, position: { x: number; y: number }): FlowNode {
  return { id, type, position, data: defaultNodeData(type) } as FlowNode;
}

/**
 * The kind of a new wire follows from the node types: queue -> queue is only
 * allowed as a dead-letter edge, everything else allowed is a normal edge. So
 * a queue needs one source handle, not a second one for dead letters.
 */
export function edgeKindFor(source: NodeType | undefined, target: NodeType | undefined): EdgeKind {
  return source === 'queue' && target === 'queue' ? 'dead-letter' : 'normal';
}

export function toCanvas(graph: Graph): { nodes: FlowNode[]; edges: FlowEdge[] } {
  return {
    nodes: graph.nodes.map((n) => ({ id: n.id, type: n.type, position: { ...n.position }, data: n.data }) as FlowNode),
    edges: graph.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, ...(e.data ? { data: e.data } : {}) })),
  };
}

/** The stored document: only id, type, position, data for nodes and id, source, target, data for edges. */
export function toDocument(nodes: readonly FlowNode[], edges: readonly FlowEdge[]): Graph {
  return {
    schemaVersion: GRAPH_SCHEMA_VERSION,
    nodes: nodes.map(
      (n) => ({ id: n.id, type: n.type, position: { x: n.position.x, y: n.position.y }, data: n.data }) as PipelineNode,
    ),
    edges: edges.map((e) => ({
      id: e.id,
      source: e.source,
      target: e.target,
      ...(e.data?.kind ? { data: { kind: e.data.kind } } : {}),
    })),
  };
}
