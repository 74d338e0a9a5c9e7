import { describe, expect, it } from 'vitest';
import type { Pipeline } from '@/lib/client/types';
import { createEditorStore, selectIsDirty } from './editor-store';

// Asserted rather than annotated: the version fields are additive and may be absent on older servers.
const pipeline = (extra: Record<string, unknown> = { deployedAt: null, draftChanged: false }): Pipeline =>
  ({
    id: 'pl1',
    name: 'Test',
    description: '',
    graph: { schemaVersion: 1, nodes: [], edges: [] },
    deployedVersion: null,
    createdAt: new Date(0).toISOString(),
    updatedAt: new Date(0).toISOString(),
    ...extra,
  }) as unknown as Pipeline;

function wired() {
  const store = createEditorStore(pipeline());
  const s = store.getState;
  const p = s().addNode('producer', { x: 0, y: 0 });
  const q = s().addNode('queue', { x: 200, y: 0 });
  const c = s().addNode('consumer', { x: 400, y: 0 });
  return { store, s, p, q, c };
}

describe('editor store', () => {
  it('gives dropped nodes valid, unique, type-prefixed ids and selects the newest only', () => {
    const { s, p, q } = wired();
    expect(p).toMatch(/^producer-[a-z0-9]{6}$/);
    expect(q).toMatch(/^queue-[a-z0-9]{6}$/);
    expect(s().nodes.filter((n) => n.selected).map((n) => n.type)).toEqual(['consumer']);
  });

  it('refuses wires with the shared connection rules and infers dead-letter edges', () => {
    const { s, p, q, c } = wired();
    expect(s().connect({ source: p, target: c })).toBe('a producer feeds queues only');
    expect(s().connect({ source: p, target: q })).toBeNull();
    expect(s().connect({ source: q, target: c })).toBeNull();
    expect(s().connect({ source: c, target: q })).toBe('this connection would make a cycle');
    const dlq = s().addNode('queue', { x: 200, y: 200 });
    expect(s().connect({ source: q, target: dlq })).toBeNull();
    expect(s().edges.at(-1)?.data).toEqual({ kind: 'dead-letter' });
    expect(s().edges.every((e) => /^edge-[a-z0-9]{6}$/.test(e.id))).toBe(true);
  });

  it('tracks dirtiness by revision: selection is not an edit, and edits during a save stay unsaved', () => {
    const { s, p } = wired();
    s().markSaved(s().revision);
    expect(selectIsDirty(s())).toBe(false);
    s().onNodesChange([{ type: 'select', id: p, selected: true }]);
    expect(selectIsDirty(s())).toBe(false);
    const savingRevision = s().revision;
    s().onNodesChange([{ type: 'position', id: p, position: { x: 8, y: 8 } }]);
    s().markSaved(savingRevision);
    expect(selectIsDirty(s())).toBe(true);
  });

  it('removes a node together with its edges', () => {
    const { s, p, q } = wired();
    s().connect({ source: p, target: q });
    s().removeElements({ nodes: [q] });
    expect(s().nodes.map((n) => n.id)).not.toContain(q);
    expect(s().edges).toHaveLength(0);
  });

  it('keeps shown issues current as the user fixes them', () => {
    const { s, p, q, c } = wired();
    s().setIssues([{ nodeId: q, message: 'nothing feeds this queue' }]);
    s().connect({ source: p, target: q });
    expect(s().issues?.nodes[q]).toEqual(['this queue has no consumer']);
    s().connect({ source: q, target: c });
    expect(s().issues).toEqual({ nodes: {}, edges: {}, graph: [] });
  });

  it('after a refused save, recomputes shape issues only, not the deploy rules', () => {
    const { s, c } = wired();
    s().updateNodeData(c, (d) => ({ ...d, task: { kind: 'fail', rate: 2 } }) as typeof d);
    s().setIssues([{ nodeId: c, message: 'data.task.rate: Too big' }], 'shape');
    s().updateNodeData(c, (d) => ({ ...d, task: { kind: 'fail', rate: 0.5 } }) as typeof d);
    expect(s().issues).toEqual({ nodes: {}, edges: {}, graph: [] });
  });

  it('reads draftChanged only when the server sends it', () => {
    expect(createEditorStore(pipeline({})).getState().draftChanged).toBeNull();
    const store = createEditorStore(pipeline({ deployedVersion: 2, deployedAt: '2025-01-01T00:00:00.000Z', draftChanged: true }));
    expect(store.getState().draftChanged).toBe(true);
    expect(store.getState().deployedAt).toBe('2025-01-01T00:00:00.000Z');
    store.getState().setVersionInfo({ draftChanged: false });
    expect(store.getState().draftChanged).toBe(false);
    store.getState().setVersionInfo({});
    expect(store.getState().draftChanged).toBe(false);
  });

  it('takes generator progress from the stats stream when it carries it', () => {
    const store = createEditorStore(pipeline({ deployedVersion: 1 }));
    const s = store.getState;
    s().setStats({ at: 'now', nodes: {}, workers: [] });
    expect(s().generatorsFromStream).toBe(false);
    s().setStats({ at: 'now', nodes: {}, workers: [], generators: { g1: { state: 'running', sent: 3, count: 20, ratePerSec: 5 } } });
    expect(s().generatorsFromStream).toBe(true);
    expect(s().generators.g1?.status?.sent).toBe(3);
    s().setDeployedVersion(null);
    expect(s().generators).toEqual({});
    expect(s().generatorsFromStream).toBe(false);
  });
});
