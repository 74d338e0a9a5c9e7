import type { z } from 'zod';
import { checkConnection, edgeKindOf } from './connection-rules';
import { GraphSchema, type Graph } from './schema';
import { upgradeGraph } from './upgrade-graph';
import { CronExpressionParser } from 'cron-parser';

export interface GraphIssue {
  nodeId?: string;
  edgeId?: string;
  message: string;
}

/**
 * Turns zod's paths (nodes.3.data.label) into issues that name the node or
 * edge, so the canvas can mark it.
 */
export function issuesFromZod(input: unknown, error: z.ZodError): GraphIssue[] {
  return error.issues.map((issue) => issueAt(input, issue.path, issue.message));
}

/** The issue for a zod path inside a graph document, naming the node or edge it falls in. */
export function issueAt(input: unknown, path: ReadonlyArray<PropertyKey>, message: string): GraphIssue {
  const raw = (input ?? {}) as { nodes?: Array<{ id?: unknown }>; edges?: Array<{ id?: unknown }> };
  const [head, index, ...rest] = path;
  const where = rest.length ? `${rest.map(String).join('.')}: ` : '';
  if ((head === 'nodes' || head === 'edges') && typeof index === 'number') {
    const id = raw[head]?.[index]?.id;
    if (typeof id === 'string') return head === 'nodes' ? { nodeId: id, message: where + message } : { edgeId: id, message: where + message };
    return { message: `${head}.${index}.${where}${message}` };
  }
  return { message: `${path.map(String).join('.') || 'graph'}: ${message}` };
}

/** Parses an unknown document; shape errors come back per node/edge. */
export function parseGraph(stored: unknown): { ok: true; graph: Graph } | { ok: false; issues: GraphIssue[] } {
  let input: unknown;
  try {
    input = upgradeGraph(stored);
  } catch (e) {
    return { ok: false, issues: [{ message: (e as Error).message }] };
  }
  const result = GraphSchema.safeParse(input);
  if (result.success) return { ok: true, graph: result.data };
  return { ok: false, issues: issuesFromZod(input, result.error) };
}

/**
 * The rules a deployable graph must meet, beyond its shape. Drafts may break
 * them; deploy and validate report every violation at once.
 */
export function validateGraph(graph: Graph): GraphIssue[] {
  const issues: GraphIssue[] = [];
  const byId = new Map<string, Graph['nodes'][number]>();
  for (const node of graph.nodes) {
    if (byId.has(node.id)) issues.push({ nodeId: node.id, message: 'two nodes share this id' });
    byId.set(node.id, node);
  }
  if (graph.nodes.length === 0) issues.push({ message: 'the pipeline has no nodes' });

  // Edges are checked one at a time against the ones accepted before them,
  // with the same rules the canvas applies while the user drags.
  const edgeIds = new Set<string>();
  const accepted: Graph['edges'] = [];
  for (const edge of graph.edges) {
    if (edgeIds.has(edge.id)) {
      issues.push({ edgeId: edge.id, message: 'two edges share this id' });
      continue;
    }
    edgeIds.add(edge.id);
    const error = checkConnection({ nodes: graph.nodes, edges: accepted }, {
      source: edge.source,
      target: edge.target,
      kind: edgeKindOf(edge),
    });
    if (error) issues.push({ edgeId: edge.id, message: error });
    else accepted.push(edge);
  }

  const inputs = (id: string) => accepted.filter((e) => e.target === id && edgeKindOf(e) === 'normal');
  const outputs = (id: string) => accepted.filter((e) => e.source === id && edgeKindOf(e) === 'normal');

  for (const node of graph.nodes) {
    switch (node.type) {
      case 'producer': {
        if (outputs(node.id).length === 0) issues.push({ nodeId: node.id, message: 'connect this producer to a queue' });
        const s = node.data.source;
        if (s.kind === 'schedule' && !s.cron === !s.everyMs) {
          issues.push({ nodeId: node.id, message: 'a schedule needs either a cron expression or an interval, not both' });
        } else if (s.kind === 'schedule' && s.cron) {
          const error = cronError(s.cron);
          if (error) issues.push({ nodeId: node.id, message: `the cron expression is invalid: ${error}` });
        }
        break;
      }
      case 'queue': {
        const hasInput = accepted.some((e) => e.target === node.id);
        if (!hasInput) issues.push({ nodeId: node.id, message: 'nothing feeds this queue' });
        // A queue fed only by dead-letter edges may park its messages for an
        // operator to inspect and replay; any other queue needs a consumer.
        const isParkingDlq = hasInput && inputs(node.id).length === 0;
        if (outputs(node.id).length === 0 && !isParkingDlq) {
          issues.push({ nodeId: node.id, message: 'this queue has no consumer' });
        }
        break;
      }
      case 'consumer': {
        if (inputs(node.id).length === 0) issues.push({ nodeId: node.id, message: 'this consumer has no input queue' });
        const task = node.data.task;
        if (task.kind === 'route') {
          const outIds = new Set(outputs(node.id).map((e) => e.id));
          for (const rule of task.rules) {
            if (!outIds.has(rule.edgeId)) {
              issues.push({ nodeId: node.id, message: `route rule names edge ${rule.edgeId}, which is not an outgoing edge of this consumer` });
            }
          }
        }
        break;
      }
    }
  }

  return issues;
}

/** Why a cron pattern would be refused by BullMQ's scheduler (same parser), or null. */
export function cronError(pattern: string): string | null {
  try {
    CronExpressionParser.parse(pattern, { tz: 'UTC' });
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
