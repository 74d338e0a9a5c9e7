import { noContent } from '@/lib/api/http';
import { route } from '@/lib/api/route';
import { getPipeline, updatePipeline } from '@/lib/pipelines/crud-pipelines';
import { UpdatePipelineBody } from '@/lib/pipelines/schemas';
import { deletePipeline } from '@/lib/pipelines/undeploy-pipeline';

export const GET = route({ auth: 'admin' }, async ({ params, services }) => getPipeline(params.id!, services));

export const PUT = route({ auth: 'admin', body: UpdatePipelineBody }, async ({ params, body, services }) =>
  updatePipeline(params.id!, body, services),
);

export const DELETE = route({ auth: 'admin' }, async ({ params, services }) => {
  await deletePipeline(params.id!, services);
  return noContent();
});
