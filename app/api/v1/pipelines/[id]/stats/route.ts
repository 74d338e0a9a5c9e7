import { route } from '@/lib/api/route';
import { getPipelineRow } from '@/lib/pipelines/crud-pipelines';
import { pipelineStats } from '@/lib/pipelines/pipeline-stats';

export const GET = route({ auth: 'admin' }, async ({ params, services }) => {
  await getPipelineRow(params.id!, services);
  return pipelineStats(params.id!, services.runtime, 0);
});
