import { requirePipelineAccess } from '@/lib/api/principal';
import { route } from '@/lib/api/route';
import { triggerBatch } from '@/lib/pipelines/trigger-pipeline';
import { TriggerBatchBody } from '@/lib/pipelines/trigger-schemas';

export const POST = route({ auth: 'authenticated', body: TriggerBatchBody }, async ({ params, body, principal, services }) => {
  requirePipelineAccess(principal, params.id!);
  return triggerBatch(params.id!, body, services);
});
