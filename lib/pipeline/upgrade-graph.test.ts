import { describe, expect, it } from 'vitest';
import { GRAPH_SCHEMA_VERSION, GraphSchema } from './schema';
import { upgradeGraph, UPGRADE_STEPS } from './upgrade-graph';

describe('upgradeGraph', () => {
  it('has a step for every version below the current one', () => {
    for (let v = 0; v < GRAPH_SCHEMA_VERSION; v++) expect(UPGRADE_STEPS[v], `step ${v}`).toBeTypeOf('function');
  });

  it('step 0 -> 1: a document without schemaVersion reads as version 1, unchanged otherwise', () => {
    const old = {
      nodes: [{ id: 'q', type: 'queue', position: { x: 1, y: 2 }, data: { label: 'Q' } }],
      edges: [],
    };
    const upgraded = upgradeGraph(old) as Record<string, unknown>;
    expect(upgraded.schemaVersion).toBe(1);
    expect(upgraded.nodes).toEqual(old.nodes);
    expect(GraphSchema.safeParse(upgraded).success).toBe(true);
  });

  it('leaves a current document as it is', () => {
    const doc = { schemaVersion: GRAPH_SCHEMA_VERSION, nodes: [], edges: [] };
    expect(upgradeGraph(doc)).toEqual(doc);
  });

  it('refuses a document from a newer release with a clear message', () => {
    expect(() => upgradeGraph({ schemaVersion: GRAPH_SCHEMA_VERSION + 1, nodes: [], edges: [] })).toThrow(/newer Conveyor/);
  });
});
