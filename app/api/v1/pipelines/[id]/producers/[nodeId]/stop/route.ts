import { route } from '@/lib/api/route';
import { getPipelineRow } from '@/lib/pipelines/crud-pipelines';
import { stopGenerator } from '@/lib/runtime/producers/control';
import { producerParams } from '@/lib/runtime/producers/params';

export const POST = route({ auth: 'admin' }, async ({ params, services }) => {
  const { pipelineId, nodeId } = producerParams(params);
  await getPipelineRow(pipelineId, services);
  return stopGenerator(services.runtime, pipelineId, nodeId);
});
