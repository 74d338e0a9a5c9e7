import { upgradeGraph } from '../pipeline/upgrade-graph';

/**
 * Whether a draft graph differs from a deployed one in anything that would
 * run differently. Positions are ignored: moving a node on the canvas is a
 * cosmetic edit, and a "draft changed, deploy?" hint after tidying the layout
 * would be noise. Everything else counts, labels included (they show on the
 * dashboard). Node and edge order do not count; key order and the document's
 * schema version (both sides are upgraded first) do not either.
 */
export function isDraftChanged(draft: unknown, deployed: unknown): boolean {
  return fingerprint(draft) !== fingerprint(deployed);
}

type Doc = { nodes?: unknown; edges?: unknown };

function fingerprint(graph: unknown): string {
  const doc = (upgradeGraph(graph) ?? {}) as Doc;
  const nodes = (Array.isArray(doc.nodes) ? doc.nodes : []).map((n) => {
    if (typeof n !== 'object' || n === null) return n;
    const { position: _, ...rest } = n as Record<string, unknown>;
    return rest;
  });
  const edges = Array.isArray(doc.edges) ? doc.edges : [];
  return stableJson({ nodes: byId(nodes), edges: byId(edges) });
}

const idOf = (x: unknown) => String((x as { id?: unknown } | null)?.id ?? '');
const byId = (items: unknown[]) => [...items].sort((a, b) => (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0));

/** JSON with object keys sorted and undefined properties dropped, so equal documents give equal strings. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : stableJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
