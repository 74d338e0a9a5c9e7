import { route } from '@/lib/api/route';
import { getPipelineRow } from '@/lib/pipelines/crud-pipelines';
import { startGenerator } from '@/lib/runtime/producers/control';
import { producerParams } from '@/lib/runtime/producers/params';
import { StartGeneratorBody } from '@/lib/runtime/producers/schemas';

export const POST = route({ auth: 'admin', body: StartGeneratorBody }, async ({ params, body, services }) => {
  const { pipelineId, nodeId } = producerParams(params);
  await getPipelineRow(pipelineId, services);
  return startGenerator(services.runtime, pipelineId, nodeId, body ?? {});
});
