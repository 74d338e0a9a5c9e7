import { describe, expect, it } from 'vitest';
import { parseGraph, validateGraph } from './validate-graph';
import type { Graph } from './schema';

const base: Graph = {
  nodes: [
    { id: 'p', type: 'producer', position: { x: 0, y: 0 }, data: { label: 'P', source: { kind: 'http' } } },
    { id: 'q', type: 'queue', position: { x: 0, y: 0 }, data: { label: 'Q' } },
    { id: 'c', type: 'consumer', position: { x: 0, y: 0 }, data: { label: 'C', task: { kind: 'noop' } } },
  ],
  edges: [
    { id: 'e1', source: 'p', target: 'q' },
    { id: 'e2', source: 'q', target: 'c' },
  ],
};

describe('validateGraph', () => {
  it('accepts producer -> queue -> consumer', () => {
    expect(validateGraph(base)).toEqual([]);
  });

  it('names each node that breaks a rule', () => {
    const g: Graph = {
      nodes: [...base.nodes, { id: 'c2', type: 'consumer', position: { x: 0, y: 0 }, data: { label: 'C2', task: { kind: 'noop' } } }],
      edges: [...base.edges, { id: 'bad', source: 'p', target: 'c2' }],
    };
    const issues = validateGraph(g);
    expect(issues).toContainEqual({ edgeId: 'bad', message: 'a producer feeds queues only' });
    expect(issues).toContainEqual({ nodeId: 'c2', message: 'this consumer has no input queue' });
  });

  it('reports a cycle on the edge that closes it', () => {
    const g: Graph = {
      nodes: [...base.nodes, { id: 'q2', type: 'queue', position: { x: 0, y: 0 }, data: { label: 'Q2' } }],
      edges: [...base.edges, { id: 'e3', source: 'c', target: 'q2' }, { id: 'e4', source: 'q2', target: 'c' }],
    };
    const issues = validateGraph(g);
    expect(issues.some((i) => i.edgeId === 'e4')).toBe(true);
  });

  it('reports an empty graph and duplicate ids', () => {
    expect(validateGraph({ nodes: [], edges: [] })).toEqual([{ message: 'the pipeline has no nodes' }]);
    const dup: Graph = { nodes: [...base.nodes, base.nodes[1]!], edges: base.edges };
    expect(validateGraph(dup)).toContainEqual({ nodeId: 'q', message: 'two nodes share this id' });
  });

  it('checks route rules name outgoing edges', () => {
    const g: Graph = {
      ...base,
      nodes: base.nodes.map((n) => (n.id === 'c' ? { ...n, type: 'consumer', data: { label: 'C', task: { kind: 'route', rules: [{ when: 'true', edgeId: 'nope' }] } } } : n)) as Graph['nodes'],
    };
    expect(validateGraph(g)).toContainEqual(expect.objectContaining({ nodeId: 'c', message: expect.stringContaining('nope') }));
  });
});

describe('dead-letter queues', () => {
  const dlq: Graph = {
    nodes: [...base.nodes, { id: 'dlq', type: 'queue', position: { x: 0, y: 0 }, data: { label: 'DLQ' } }],
    edges: [...base.edges, { id: 'd1', source: 'q', target: 'dlq', data: { kind: 'dead-letter' } }],
  };
  it('lets a queue fed only by a dead-letter edge park messages without a consumer', () => {
    expect(validateGraph(dlq)).toEqual([]);
  });
  it('still needs a consumer on a queue that also has a normal input', () => {
    const g: Graph = {
      ...dlq,
      nodes: [...dlq.nodes, { id: 'c9', type: 'consumer', position: { x: 0, y: 0 }, data: { label: 'C9', task: { kind: 'noop' } } }],
      edges: [...dlq.edges, { id: 'e8', source: 'q', target: 'c9' }, { id: 'e9', source: 'c9', target: 'dlq' }],
    };
    expect(validateGraph(g)).toContainEqual({ nodeId: 'dlq', message: 'this queue has no consumer' });
  });
  it('refuses a second dead-letter edge from one queue', () => {
    const g: Graph = {
      nodes: [...dlq.nodes, { id: 'dlq2', type: 'queue', position: { x: 0, y: 0 }, data: { label: 'DLQ2' } }],
      edges: [...dlq.edges, { id: 'd2', source: 'q', target: 'dlq2', data: { kind: 'dead-letter' } }],
    };
    expect(validateGraph(g)).toContainEqual({ edgeId: 'd2', message: 'a queue has at most one dead-letter edge' });
  });
});

describe('schedules', () => {
  const withSchedule = (source: Record<string, unknown>): Graph => ({
    ...base,
    nodes: base.nodes.map((n) => (n.id === 'p' ? { ...n, data: { label: 'P', source } } : n)) as Graph['nodes'],
  });
  it('accepts a valid cron pattern or an interval', () => {
    expect(validateGraph(withSchedule({ kind: 'schedule', cron: '*/5 * * * *' }))).toEqual([]);
    expect(validateGraph(withSchedule({ kind: 'schedule', everyMs: 1000 }))).toEqual([]);
  });
  it('reports an invalid cron pattern on the producer', () => {
    const issues = validateGraph(withSchedule({ kind: 'schedule', cron: '61 * * * *' }));
    expect(issues).toEqual([{ nodeId: 'p', message: expect.stringContaining('the cron expression is invalid') }]);
  });
  it('needs exactly one of cron and interval', () => {
    expect(validateGraph(withSchedule({ kind: 'schedule' }))[0]?.message).toMatch(/either a cron expression or an interval/);
  });
});

describe('parseGraph', () => {
  it('maps shape errors to the node that has them', () => {
    const bad = { nodes: [{ id: 'x', type: 'queue', position: { x: 0, y: 0 }, data: { label: '' } }], edges: [] };
    const result = parseGraph(bad);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues).toEqual([{ nodeId: 'x', message: 'data.label: a label is required' }]);
  });

  it('strips fields React Flow adds at run time', () => {
    const result = parseGraph({ nodes: [{ ...base.nodes[1]!, selected: true, measured: { width: 1, height: 1 } }], edges: [] });
    expect(result.ok && result.graph.nodes[0]).toEqual(base.nodes[1]);
  });
});
