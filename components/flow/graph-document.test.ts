import { describe, expect, it } from 'vitest';
import { GraphSchema } from '@/lib/pipeline/schema';
import { defaultNodeData, edgeKindFor, makeNode, toCanvas, toDocument, type FlowEdge, type FlowNode } from './graph-document';

describe('toDocument', () => {
  it('keeps only id, type, position, data of nodes and id, source, target, data of edges', () => {
    const nodes = [
      {
        ...makeNode('queue', 'queue-a', { x: 10, y: 20 }),
        selected: true,
        dragging: false,
        measured: { width: 208, height: 60 },
        width: 208,
        height: 60,
      },
    ] as FlowNode[];
    const edges: FlowEdge[] = [
      { id: 'edge-1', source: 'queue-a', target: 'queue-b', selected: true, sourceHandle: null, data: { kind: 'dead-letter' } },
      { id: 'edge-2', source: 'x', target: 'y', animated: true },
    ];
    expect(toDocument(nodes, edges)).toEqual({
      schemaVersion: 1,
      nodes: [{ id: 'queue-a', type: 'queue', position: { x: 10, y: 20 }, data: { label: 'Queue' } }],
      edges: [
        { id: 'edge-1', source: 'queue-a', target: 'queue-b', data: { kind: 'dead-letter' } },
        { id: 'edge-2', source: 'x', target: 'y' },
      ],
    });
  });

  it('round-trips a stored graph through the canvas unchanged', () => {
    const graph = GraphSchema.parse({
      schemaVersion: 1,
      nodes: [
        { id: 'p', type: 'producer', position: { x: 0, y: 0 }, data: defaultNodeData('producer') },
        { id: 'q', type: 'queue', position: { x: 200, y: 0 }, data: { label: 'Orders', attempts: 3 } },
        { id: 'c', type: 'consumer', position: { x: 400, y: 0 }, data: defaultNodeData('consumer') },
      ],
      edges: [
        { id: 'e1', source: 'p', target: 'q' },
        { id: 'e2', source: 'q', target: 'c' },
      ],
    });
    const { nodes, edges } = toCanvas(graph);
    expect(toDocument(nodes, edges)).toEqual(graph);
  });
});

describe('default node data', () => {
  it('is valid in the graph language for every node type', () => {
    const nodes = (['producer', 'queue', 'consumer'] as const).map((t) => makeNode(t, `${t}-abc123`, { x: 0, y: 0 }));
    expect(GraphSchema.safeParse(toDocument(nodes, [])).success).toBe(true);
  });
});

describe('edgeKindFor', () => {
  it('makes queue -> queue a dead-letter edge and everything else normal', () => {
    expect(edgeKindFor('queue', 'queue')).toBe('dead-letter');
    expect(edgeKindFor('producer', 'queue')).toBe('normal');
    expect(edgeKindFor('consumer', 'queue')).toBe('normal');
    expect(edgeKindFor('queue', 'consumer')).toBe('normal');
  });
});
