import { route } from '@/lib/api/route';
import { json } from '@/lib/api/http';
import { createPipeline, listPipelines } from '@/lib/pipelines/crud-pipelines';
import { CreatePipelineBody } from '@/lib/pipelines/schemas';

export const GET = route({ auth: 'admin' }, async ({ services }) => ({ items: await listPipelines(services) }));

export const POST = route({ auth: 'admin', body: CreatePipelineBody }, async ({ body, services }) =>
  json(await createPipeline(body, services), 201),
);
