import type { Db } from '../db';
import { GRAPH_SCHEMA_VERSION, type Graph } from '../pipeline/schema';
import { upgradeGraph } from '../pipeline/upgrade-graph';
import type { Prisma } from '../generated/prisma/client';
import { isDraftChanged } from './draft-changed';
import type { PipelineDto } from './schemas';

interface PipelineRow {
  id: string;
  name: string;
  description: string;
  graph: unknown;
  deployedVersion: number | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The deployed version's graph and date, as withDeployed() adds them. */
export type DeployedSnapshot = { graph: unknown; createdAt: Date } | null;

/**
 * Adds each row's deployed version (graph and date) with one query for all
 * rows, so a list of N pipelines costs two statements, not N + 1.
 * (A Prisma relation Pipeline(id, deployedVersion) -> PipelineVersion would
 * make `id` a relation scalar, and Prisma then stops generating its cuid.)
 */
export async function withDeployed<R extends PipelineRow>(
  db: Db,
  rows: readonly R[],
): Promise<Array<R & { deployed: DeployedSnapshot }>> {
  const pairs = rows.flatMap((r) => (r.deployedVersion === null ? [] : [{ pipelineId: r.id, version: r.deployedVersion }]));
  const versions = pairs.length
    ? await db.pipelineVersion.findMany({
        where: { OR: pairs },
        select: { pipelineId: true, version: true, graph: true, createdAt: true },
      })
    : [];
  const byKey = new Map(versions.map((v) => [`${v.pipelineId}\u0000${v.version}`, v]));
  return rows.map((r) => ({ ...r, deployed: byKey.get(`${r.id}\u0000${r.deployedVersion}`) ?? null }));
}

export function toPipelineDto(row: PipelineRow & { deployed: DeployedSnapshot }): PipelineDto {
  // Documents saved by an earlier release are upgraded as they are read.
  const graph = upgradeGraph(row.graph) as Graph;
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    graph,
    deployedVersion: row.deployedVersion,
    deployedAt: row.deployed ? row.deployed.createdAt.toISOString() : null,
    draftChanged: row.deployed ? isDraftChanged(graph, row.deployed.graph) : false,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Rows to DTOs, reading the deployed versions in one query. */
export async function toPipelineDtos(db: Db, rows: readonly PipelineRow[]): Promise<PipelineDto[]> {
  return (await withDeployed(db, rows)).map(toPipelineDto);
}

/** What gets stored: the parsed graph (session fields already stripped) with its schema version. */
export function toStoredGraph(graph: Graph): Prisma.InputJsonValue {
  // A zod-parsed graph is plain JSON; the cast only bridges optional properties.
  return { schemaVersion: GRAPH_SCHEMA_VERSION, nodes: graph.nodes, edges: graph.edges } as Prisma.InputJsonValue;
}
