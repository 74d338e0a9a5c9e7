import type { Graph, NodeType, PipelineEdge } from './schema';

/**
 * One rule set, two callers: the canvas's isValidConnection refuses a bad wire
 * as the user drags it, and validateGraph reports the same violations server-side.
 */

export type EdgeKind = 'normal' | 'dead-letter';

const ALLOWED: Record<EdgeKind, ReadonlyArray<readonly [NodeType, NodeType]>> = {
  normal: [
    ['producer', 'queue'],
    ['queue', 'consumer'],
    ['consumer', 'queue'],
  ],
  'dead-letter': [['queue', 'queue']],
};

export function edgeKindOf(edge: Pick<PipelineEdge, 'data'>): EdgeKind {
  return edge.data?.kind === 'dead-letter' ? 'dead-letter' : 'normal';
}

/** Why a wire between two node types is not allowed, or null when it is. */
export function connectionError(source: NodeType, target: NodeType, kind: EdgeKind = 'normal'): string | null {
  if (ALLOWED[kind].some(([s, t]) => s === source && t === target)) return null;
  if (kind === 'dead-letter') return 'a dead-letter edge goes from a queue to another queue';
  if (source === target) return `a ${source} cannot feed another ${source} directly`;
  if (source === 'producer') return 'a producer feeds queues only';
  if (source === 'queue') return 'a queue feeds consumers only';
  return 'a consumer feeds queues only';
}

export interface Connection {
  source: string;
  target: string;
  kind?: EdgeKind;
}

/**
 * Whether adding `conn` to `graph` keeps it valid as far as wiring goes:
 * allowed node types, no self loop, no duplicate, no second input for a
 * consumer, one dead-letter edge per queue, and no cycle.
 */
export function checkConnection(graph: Pick<Graph, 'nodes' | 'edges'>, conn: Connection): string | null {
  const kind = conn.kind ?? 'normal';
  if (conn.source === conn.target) return 'a node cannot connect to itself';
  const source = graph.nodes.find((n) => n.id === conn.source);
  const target = graph.nodes.find((n) => n.id === conn.target);
  if (!source || !target) return 'both ends must be nodes of this pipeline';
  const typeError = connectionError(source.type, target.type, kind);
  if (typeError) return typeError;
  if (graph.edges.some((e) => e.source === conn.source && e.target === conn.target)) {
    return 'these nodes are already connected';
  }
  if (kind === 'normal' && target.type === 'consumer') {
    if (graph.edges.some((e) => e.target === target.id && edgeKindOf(e) === 'normal')) {
      return 'a consumer takes messages from one queue only';
    }
  }
  if (kind === 'dead-letter' && graph.edges.some((e) => e.source === source.id && edgeKindOf(e) === 'dead-letter')) {
    return 'a queue has at most one dead-letter edge';
  }
  if (reaches(graph.edges, conn.target, conn.source)) return 'this connection would make a cycle';
  return null;
}

/** Whether `to` can be reached from `from` following edges. */
export function reaches(edges: ReadonlyArray<Pick<PipelineEdge, 'source' | 'target'>>, from: string, to: string): boolean {
  const out = new Map<string, string[]>();
  for (const e of edges) {
    const list = out.get(e.source);
    if (list) list.push(e.target);
    else out.set(e.source, [e.target]);
  }
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const next of out.get(id) ?? []) stack.push(next);
  }
  return false;
}
