import { describe, expect, it } from 'vitest';
import { checkConnection, connectionError } from './connection-rules';
import type { Graph } from './schema';

const node = (id: string, type: 'producer' | 'queue' | 'consumer'): Graph['nodes'][number] =>
  type === 'producer'
    ? { id, type, position: { x: 0, y: 0 }, data: { label: id, source: { kind: 'http' } } }
    : type === 'queue'
      ? { id, type, position: { x: 0, y: 0 }, data: { label: id } }
      : { id, type, position: { x: 0, y: 0 }, data: { label: id, task: { kind: 'noop' } } };

describe('connectionError', () => {
  it('allows producer->queue, queue->consumer, consumer->queue', () => {
    expect(connectionError('producer', 'queue')).toBeNull();
    expect(connectionError('queue', 'consumer')).toBeNull();
    expect(connectionError('consumer', 'queue')).toBeNull();
  });
  it('refuses every other pair', () => {
    expect(connectionError('producer', 'consumer')).toMatch(/producer feeds queues/);
    expect(connectionError('queue', 'queue')).toMatch(/queue cannot feed another queue/);
    expect(connectionError('consumer', 'consumer')).toMatch(/consumer cannot feed/);
    expect(connectionError('consumer', 'producer')).toMatch(/consumer feeds queues/);
  });
  it('allows dead-letter only from queue to queue', () => {
    expect(connectionError('queue', 'queue', 'dead-letter')).toBeNull();
    expect(connectionError('consumer', 'queue', 'dead-letter')).toMatch(/dead-letter/);
  });
});

describe('checkConnection', () => {
  const graph: Graph = {
    nodes: [node('p', 'producer'), node('q1', 'queue'), node('c1', 'consumer'), node('q2', 'queue'), node('c2', 'consumer')],
    edges: [
      { id: 'e1', source: 'p', target: 'q1' },
      { id: 'e2', source: 'q1', target: 'c1' },
      { id: 'e3', source: 'c1', target: 'q2' },
      { id: 'e4', source: 'q2', target: 'c2' },
    ],
  };
  it('refuses a cycle', () => {
    expect(checkConnection(graph, { source: 'c2', target: 'q1' })).toMatch(/cycle/);
  });
  it('refuses a second input queue for a consumer', () => {
    const g = { ...graph, nodes: [...graph.nodes, node('q3', 'queue')] };
    expect(checkConnection(g, { source: 'q3', target: 'c1' })).toMatch(/one queue only/);
  });
  it('refuses duplicates and self loops', () => {
    expect(checkConnection(graph, { source: 'p', target: 'q1' })).toMatch(/already connected/);
    expect(checkConnection(graph, { source: 'q1', target: 'q1' })).toMatch(/itself/);
  });
  it('accepts a fan-out to a new queue', () => {
    const g = { ...graph, nodes: [...graph.nodes, node('q3', 'queue')] };
    expect(checkConnection(g, { source: 'c1', target: 'q3' })).toBeNull();
  });
});
