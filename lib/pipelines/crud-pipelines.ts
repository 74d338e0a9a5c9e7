import type { Db } from '../db';
import { AppError } from '../errors';
import type { CreatePipelineInput, PipelineDto, UpdatePipelineInput } from './schemas';
import { toPipelineDto, toPipelineDtos, toStoredGraph } from './serialize-pipeline';

// The small CRUD use cases share one file; deploy and undeploy have their own.

export async function createPipeline(input: CreatePipelineInput, { db }: { db: Db }): Promise<PipelineDto> {
  const row = await db.pipeline.create({
    data: { name: input.name, description: input.description ?? '', graph: toStoredGraph(input.graph) },
  });
  return toPipelineDto({ ...row, deployed: null });
}

export async function listPipelines({ db }: { db: Db }): Promise<PipelineDto[]> {
  return toPipelineDtos(db, await db.pipeline.findMany({ orderBy: { updatedAt: 'desc' } }));
}

export async function getPipelineRow(id: string, { db }: { db: Db }) {
  const row = await db.pipeline.findUnique({ where: { id } });
  if (!row) throw new AppError('not_found', `No pipeline has the id ${id}.`);
  return row;
}

export async function getPipeline(id: string, deps: { db: Db }): Promise<PipelineDto> {
  const [dto] = await toPipelineDtos(deps.db, [await getPipelineRow(id, deps)]);
  return dto!;
}

export async function updatePipeline(id: string, input: UpdatePipelineInput, deps: { db: Db }): Promise<PipelineDto> {
  await getPipelineRow(id, deps);
  const row = await deps.db.pipeline.update({
    where: { id },
    data: {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.graph !== undefined ? { graph: toStoredGraph(input.graph) } : {}),
    },
  });
  const [dto] = await toPipelineDtos(deps.db, [row]);
  return dto!;
}
