import { AppError } from '../../errors';
import { ProducerParams } from './schemas';

/** The route params of /pipelines/:id/producers/:nodeId; a node id that cannot exist is an unknown node (404). */
export function producerParams(params: Record<string, string>): { pipelineId: string; nodeId: string } {
  const parsed = ProducerParams.safeParse(params);
  if (!parsed.success) throw new AppError('not_found', `This pipeline has no producer ${params.nodeId ?? ''}.`);
  return { pipelineId: parsed.data.id, nodeId: parsed.data.nodeId };
}
