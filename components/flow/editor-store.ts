/**
 * The editor's state for one open pipeline: the graph document (as React Flow
 * nodes and edges), save/deploy status, the issues the server reported and
 * the live figures. Created per editor mount by EditorProvider, never as a
 * module-level singleton, so two editors (or a remount) never share state.
 *
 * Live figures sit in the same store but in their own field: canvas and node
 * views subscribe with selectors, so a stats tick re-renders only the nodes
 * whose own numbers changed and never the canvas.
 */
import { applyEdgeChanges, applyNodeChanges, type Connection, type EdgeChange, type NodeChange } from '@xyflow/react';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { checkConnection } from '@/lib/pipeline/connection-rules';
import type { NodeType } from '@/lib/pipeline/schema';
import { parseGraph, validateGraph, type GraphIssue } from '@/lib/pipeline/validate-graph';
import type { LiveStats, NodeStats, Pipeline, PipelineVersionInfo } from '@/lib/client/types';
import { newId } from '@/lib/client/ids';
import { edgeKindFor, makeNode, toCanvas, toDocument, type FlowEdge, type FlowNode, type FlowNodeData } from './graph-document';
import type { GeneratorView, LocalPause } from './live-ops';

export interface IssueMap {
  nodes: Record<string, string[]>;
  edges: Record<string, string[]>;
  /** Issues that name no node or edge ("the pipeline has no nodes"). */
  graph: string[];
}

export type Busy = 'saving' | 'deploying' | 'undeploying' | null;
/**
 * What refused the graph: a save checks the document's shape only (drafts may
 * break the wiring rules), a deploy checks everything. Shown issues are
 * recomputed with the same scope, so fixing a refused save's field does not
 * bring up deploy rules the user never asked about.
 */
export type IssueScope = 'shape' | 'deploy';
export interface Notice {
  tone: 'info' | 'success' | 'error';
  text: string;
}

export interface EditorState {
  pipelineId: string;
  name: string;
  nodes: FlowNode[];
  edges: FlowEdge[];
  /** Bumped by every change to what gets stored; dirty = revision !== savedRevision. */
  revision: number;
  savedRevision: number;
  deployedVersion: number | null;
  /** When the deployed version was deployed; null when unknown or not deployed. */
  deployedAt: string | null;
  /** Whether the saved draft differs from the deployed version; null when the server does not say. */
  draftChanged: boolean | null;
  issues: IssueMap | null;
  issueScope: IssueScope;
  stats: Record<string, NodeStats>;
  statsAt: string | null;
  workerCount: number | null;
  /** Load generators' progress, by producer node id (polled, or from the stats stream when it carries it). */
  generators: Record<string, GeneratorView>;
  /** True once the stats stream carries generator progress itself, so polling stops. */
  generatorsFromStream: boolean;
  /** Bumped after a start or stop so the generator feed asks at once. */
  generatorKick: number;
  /** The user's own pause/resume clicks, by queue node id (see isQueuePaused). */
  queuePauses: Record<string, LocalPause>;
  busy: Busy;
  notice: Notice | null;

  onNodesChange: (changes: NodeChange<FlowNode>[]) => void;
  onEdgesChange: (changes: EdgeChange<FlowEdge>[]) => void;
  /** Why the wire would be refused, or null. The same rules the server applies. */
  connectionError: (conn: Pick<Connection, 'source' | 'target'>) => string | null;
  connect: (conn: Pick<Connection, 'source' | 'target'>) => string | null;
  addNode: (type: NodeType, position: { x: number; y: number }) => string;
  updateNodeData: (id: string, update: (data: FlowNodeData) => FlowNodeData) => void;
  removeElements: (ids: { nodes?: string[]; edges?: string[] }) => void;
  setName: (name: string) => void;
  markSaved: (revision: number) => void;
  setDeployedVersion: (version: number | null) => void;
  /** Takes deployedAt/draftChanged from a pipeline the server returned, when it carries them. */
  setVersionInfo: (info: PipelineVersionInfo) => void;
  setIssues: (issues: GraphIssue[] | null, scope?: IssueScope) => void;
  setStats: (stats: LiveStats | null) => void;
  setGenerator: (id: string, view: GeneratorView) => void;
  kickGenerators: () => void;
  setQueuePaused: (id: string, paused: boolean) => void;
  setBusy: (busy: Busy) => void;
  setNotice: (notice: Notice | null) => void;
}

export type EditorStore = StoreApi<EditorState>;

export const selectIsDirty = (s: EditorState) => s.revision !== s.savedRevision;

export function groupIssues(issues: readonly GraphIssue[]): IssueMap {
  const map: IssueMap = { nodes: {}, edges: {}, graph: [] };
  for (const issue of issues) {
    if (issue.nodeId) (map.nodes[issue.nodeId] ??= []).push(issue.message);
    else if (issue.edgeId) (map.edges[issue.edgeId] ??= []).push(issue.message);
    else map.graph.push(issue.message);
  }
  return map;
}

/** The issues the server would report for this canvas, computed with the same lib code. */
export function localIssues(nodes: readonly FlowNode[], edges: readonly FlowEdge[], scope: IssueScope = 'deploy'): GraphIssue[] {
  const parsed = parseGraph(toDocument(nodes, edges));
  if (!parsed.ok) return parsed.issues;
  return scope === 'deploy' ? validateGraph(parsed.graph) : [];
}

// Changes React Flow reports that are session state, not document edits.
const isSessionChange = (c: NodeChange<FlowNode> | EdgeChange<FlowEdge>) => c.type === 'select' || c.type === 'dimensions';

/** The version fields of a pipeline response, when the server sends them. */
function versionInfo(info: PipelineVersionInfo): Partial<Pick<EditorState, 'deployedAt' | 'draftChanged'>> {
  return {
    ...('deployedAt' in info ? { deployedAt: info.deployedAt ?? null } : {}),
    ...(typeof info.draftChanged === 'boolean' ? { draftChanged: info.draftChanged } : {}),
  };
}

export function createEditorStore(pipeline: Pipeline): EditorStore {
  const { nodes, edges } = toCanvas(pipeline.graph);

  return createStore<EditorState>()((set, get) => {
    /**
     * Applies a document edit. Once issues are on show (after a refused save
     * or deploy) they are recomputed on each edit, so markers go away as the
     * user fixes what they point at.
     */
    const edit = (patch: Partial<EditorState>, { revalidate = true } = {}) => {
      set((s) => {
        const next = { ...s, ...patch };
        const issues = revalidate && s.issues ? groupIssues(localIssues(next.nodes, next.edges, s.issueScope)) : s.issues;
        return { ...patch, issues, revision: s.revision + 1 };
      });
    };

    return {
      pipelineId: pipeline.id,
      name: pipeline.name,
      nodes,
      edges,
      revision: 0,
      savedRevision: 0,
      deployedVersion: pipeline.deployedVersion,
      deployedAt: null,
      draftChanged: null,
      ...versionInfo(pipeline as PipelineVersionInfo),
      issues: null,
      issueScope: 'deploy',
      stats: {},
      statsAt: null,
      workerCount: null,
      generators: {},
      generatorsFromStream: false,
      generatorKick: 0,
      queuePauses: {},
      busy: null,
      notice: null,

      onNodesChange: (changes) => {
        const next = applyNodeChanges(changes, get().nodes);
        if (changes.every(isSessionChange)) set({ nodes: next });
        else edit({ nodes: next }, { revalidate: changes.some((c) => c.type !== 'position') });
      },
      onEdgesChange: (changes) => {
        const next = applyEdgeChanges(changes, get().edges);
        if (changes.every(isSessionChange)) set({ edges: next });
        else edit({ edges: next });
      },
      connectionError: ({ source, target }) => {
        const { nodes, edges } = get();
        const type = (id: string) => nodes.find((n) => n.id === id)?.type;
        return checkConnection(toDocument(nodes, edges), { source, target, kind: edgeKindFor(type(source), type(target)) });
      },
      connect: (conn) => {
        const error = get().connectionError(conn);
        if (error) return error;
        const { nodes, edges } = get();
        const type = (id: string) => nodes.find((n) => n.id === id)?.type;
        const kind = edgeKindFor(type(conn.source), type(conn.target));
        const edge: FlowEdge = {
          id: newId('edge', new Set(edges.map((e) => e.id))),
          source: conn.source,
          target: conn.target,
          ...(kind === 'dead-letter' ? { data: { kind: 'dead-letter' as const } } : {}),
        };
        edit({ edges: [...edges, edge] });
        return null;
      },
      addNode: (type, position) => {
        const id = newId(type, new Set(get().nodes.map((n) => n.id)));
        // The new node becomes the only selection, so its properties open at once.
        const node = { ...makeNode(type, id, position), selected: true } as FlowNode;
        edit({ nodes: [...get().nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node] });
        return id;
      },
      updateNodeData: (id, update) => {
        edit({ nodes: get().nodes.map((n) => (n.id === id ? ({ ...n, data: update(n.data) } as FlowNode) : n)) });
      },
      removeElements: ({ nodes: nodeIds = [], edges: edgeIds = [] }) => {
        const goneNodes = new Set(nodeIds);
        const goneEdges = new Set(edgeIds);
        const { nodes, edges } = get();
        edit({
          nodes: nodes.filter((n) => !goneNodes.has(n.id)),
          edges: edges.filter((e) => !goneEdges.has(e.id) && !goneNodes.has(e.source) && !goneNodes.has(e.target)),
        });
      },
      setName: (name) => edit({ name }, { revalidate: false }),
      markSaved: (revision) => set({ savedRevision: revision }),
      setDeployedVersion: (deployedVersion) =>
        set(
          deployedVersion === null
            ? {
                deployedVersion,
                deployedAt: null,
                // Nothing deployed: nothing to differ from (when the server tracks it at all).
                draftChanged: get().draftChanged === null ? null : false,
                stats: {},
                statsAt: null,
                workerCount: null,
                generators: {},
                generatorsFromStream: false,
                queuePauses: {},
              }
            : { deployedVersion },
        ),
      setVersionInfo: (info) => set(versionInfo(info)),
      setIssues: (issues, scope = 'deploy') => set({ issues: issues ? groupIssues(issues) : null, issueScope: scope }),
      setStats: (stats) => {
        if (!stats) return set({ stats: {}, statsAt: null, workerCount: null });
        const patch: Partial<EditorState> = { stats: stats.nodes, statsAt: stats.at, workerCount: stats.workers.length };
        if (stats.generators && typeof stats.generators === 'object') {
          const generators = { ...get().generators };
          for (const [id, status] of Object.entries(stats.generators)) generators[id] = { status };
          Object.assign(patch, { generators, generatorsFromStream: true });
        }
        set(patch);
      },
      setGenerator: (id, view) => set({ generators: { ...get().generators, [id]: view } }),
      kickGenerators: () => set({ generatorKick: get().generatorKick + 1 }),
      setQueuePaused: (id, paused) => set({ queuePauses: { ...get().queuePauses, [id]: { paused, at: Date.now() } } }),
      setBusy: (busy) => set({ busy }),
      setNotice: (notice) => set({ notice }),
    };
  });
}
