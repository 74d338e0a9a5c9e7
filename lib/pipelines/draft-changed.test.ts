import { describe, expect, it } from 'vitest';
import { isDraftChanged, stableJson } from './draft-changed';

const graph = {
  schemaVersion: 1,
  nodes: [
    { id: 'p1', type: 'producer', position: { x: 0, y: 0 }, data: { label: 'In', source: { kind: 'http' } } },
    { id: 'q1', type: 'queue', position: { x: 200, y: 0 }, data: { label: 'Work', attempts: 3 } },
  ],
  edges: [{ id: 'e1', source: 'p1', target: 'q1' }],
};
const clone = () => structuredClone(graph);

describe('isDraftChanged', () => {
  it('is false for the same graph, whatever the key, node and edge order or schema version field', () => {
    const other = clone();
    other.nodes.reverse();
    other.nodes[0]!.data = { attempts: 3, label: 'Work' } as never;
    const { schemaVersion: _, ...withoutVersion } = other;
    expect(isDraftChanged(graph, withoutVersion)).toBe(false);
  });

  it('ignores positions', () => {
    const moved = clone();
    moved.nodes[1]!.position = { x: 999, y: -5 };
    expect(isDraftChanged(moved, graph)).toBe(false);
  });

  it('sees a change to node data, a new node, or a rewired edge', () => {
    const data = clone();
    (data.nodes[1]!.data as { attempts: number }).attempts = 5;
    expect(isDraftChanged(data, graph)).toBe(true);

    const added = clone();
    added.nodes.push({ id: 'q2', type: 'queue', position: { x: 0, y: 0 }, data: { label: 'More' } } as never);
    expect(isDraftChanged(added, graph)).toBe(true);

    const rewired = clone();
    rewired.edges[0]!.target = 'p1';
    expect(isDraftChanged(rewired, graph)).toBe(true);
  });
});

describe('stableJson', () => {
  it('sorts keys and drops undefined properties', () => {
    expect(stableJson({ b: 1, a: { d: undefined, c: [1, 'x'] } })).toBe('{"a":{"c":[1,"x"]},"b":1}');
  });
});
