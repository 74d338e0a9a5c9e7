import { GRAPH_SCHEMA_VERSION, type Graph } from '../pipeline/schema';
import { upgradeGraph } from '../pipeline/upgrade-graph';
import type { Prisma } from '../generated/prisma/client';
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

export function toPipelineDto(row: PipelineRow): PipelineDto {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    // Documents saved by an earlier release are upgraded as they are read.
    graph: upgradeGraph(row.graph) as Graph,
    deployedVersion: row.deployedVersion,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** What gets stored: the parsed graph (session fields already stripped) with its schema version. */
export function toStoredGraph(graph: Graph): Prisma.InputJsonValue {
  // A zod-parsed graph is plain JSON; the cast only bridges optional properties.
  return { schemaVersion: GRAPH_SCHEMA_VERSION, nodes: graph.nodes, edges: graph.edges } as Prisma.InputJsonValue;
}
