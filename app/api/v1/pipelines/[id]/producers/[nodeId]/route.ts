import { route } from '@/lib/api/route';
import { getPipelineRow } from '@/lib/pipelines/crud-pipelines';
import { getProducerStatus } from '@/lib/runtime/producers/control';
import { producerParams } from '@/lib/runtime/producers/params';

export const GET = route({ auth: 'admin' }, async ({ params, services }) => {
  const { pipelineId, nodeId } = producerParams(params);
  await getPipelineRow(pipelineId, services);
  return getProducerStatus(services.runtime, pipelineId, nodeId);
});
