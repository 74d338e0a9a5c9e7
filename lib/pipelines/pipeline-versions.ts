import { z } from 'zod';
import type { Db } from '../db';
import { AppError } from '../errors';
import { GraphSchema, type Graph } from '../pipeline/schema';
import { upgradeGraph } from '../pipeline/upgrade-graph';

/** GET /pipelines/:id/versions and GET /pipelines/:id/versions/:version: the immutable deployed snapshots. */

export const PipelineVersionSummarySchema = z.object({ version: z.number().int(), createdAt: z.string() });
export const PipelineVersionListSchema = z.object({ items: z.array(PipelineVersionSummarySchema) });
export const PipelineVersionSchema = z.object({ version: z.number().int(), graph: GraphSchema, createdAt: z.string() });
export type PipelineVersionDto = z.infer<typeof PipelineVersionSchema>;

/** Every version, newest first. */
export async function listPipelineVersions(
  pipelineId: string,
  { db }: { db: Db },
): Promise<z.infer<typeof PipelineVersionListSchema>> {
  const row = await db.pipeline.findUnique({
    where: { id: pipelineId },
    select: { versions: { select: { version: true, createdAt: true }, orderBy: { version: 'desc' } } },
  });
  if (!row) throw new AppError('not_found', `No pipeline has the id ${pipelineId}.`);
  return { items: row.versions.map((v) => ({ version: v.version, createdAt: v.createdAt.toISOString() })) };
}

/** `version` as it comes in the URL. */
export async function getPipelineVersion(pipelineId: string, version: string, { db }: { db: Db }): Promise<PipelineVersionDto> {
  if (!/^[1-9][0-9]{0,8}$/.test(version)) throw new AppError('bad_request', 'A version is a positive whole number.');
  const row = await db.pipelineVersion.findUnique({
    where: { pipelineId_version: { pipelineId, version: Number(version) } },
    select: { version: true, graph: true, createdAt: true },
  });
  if (!row) throw new AppError('not_found', `Pipeline ${pipelineId} has no version ${version}.`);
  // Versions stored by an earlier release are upgraded as they are read, like drafts.
  return { version: row.version, graph: upgradeGraph(row.graph) as Graph, createdAt: row.createdAt.toISOString() };
}
