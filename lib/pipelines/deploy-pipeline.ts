import { compileGraph } from '../pipeline/compile';
import { parseGraph, validateGraph, type GraphIssue } from '../pipeline/validate-graph';
import type { Graph } from '../pipeline/schema';
import type { Db } from '../db';
import { AppError } from '../errors';
import { publishSpec } from '../runtime/deploy';
import type { RuntimeContext } from '../runtime/context';
import { getPipelineRow } from './crud-pipelines';
import { toStoredGraph } from './serialize-pipeline';

export function graphInvalid(issues: GraphIssue[]): AppError {
  return new AppError('graph_invalid', `The graph has ${issues.length} problem${issues.length === 1 ? '' : 's'}.`, {
    details: issues,
  });
}

/** The stored draft, parsed and checked against every rule; throws 422 with per-node details. */
export function checkDeployable(stored: unknown): Graph {
  const parsed = parseGraph(stored);
  if (!parsed.ok) throw graphInvalid(parsed.issues);
  const issues = validateGraph(parsed.graph);
  if (issues.length) throw graphInvalid(issues);
  return parsed.graph;
}

/**
 * Validates the draft, stores it as the next immutable version, compiles it
 * and publishes the spec to Redis, where workers pick it up within a second.
 */
export async function deployPipeline(
  id: string,
  { db, runtime }: { db: Db; runtime: RuntimeContext },
): Promise<{ version: number }> {
  const row = await getPipelineRow(id, { db });
  const graph = checkDeployable(row.graph);

  const latest = await db.pipelineVersion.findFirst({ where: { pipelineId: id }, orderBy: { version: 'desc' } });
  const version = (latest?.version ?? 0) + 1;
  try {
    await db.pipelineVersion.create({ data: { pipelineId: id, version, graph: toStoredGraph(graph) } });
  } catch (e) {
    if ((e as { code?: string }).code === 'P2002') {
      throw new AppError('conflict', 'Another deploy of this pipeline is in progress; try again.');
    }
    throw e;
  }

  let live: boolean;
  try {
    live = await publishSpec(runtime, compileGraph(graph, id, version));
  } catch (e) {
    // Not published means not deployed: drop the version so numbering has no gap users could trip on.
    await db.pipelineVersion.delete({ where: { pipelineId_version: { pipelineId: id, version } } }).catch(() => {});
    throw new AppError('unavailable', `Could not publish to Redis: ${(e as Error).message}`);
  }
  if (!live) {
    // A concurrent deploy published a newer version first; it stays live.
    throw new AppError('conflict', 'Another deploy of this pipeline finished first with a newer version; reload and try again.');
  }
  // Conditional, so a slower deploy of an older version cannot write its number over a newer one's.
  await db.pipeline.updateMany({
    where: { id, OR: [{ deployedVersion: null }, { deployedVersion: { lt: version } }] },
    data: { deployedVersion: version },
  });
  return { version };
}
