import { route } from '@/lib/api/route';
import { getPipelineRow } from '@/lib/pipelines/crud-pipelines';
import { checkDeployable } from '@/lib/pipelines/deploy-pipeline';

export const POST = route({ auth: 'admin' }, async ({ params, services }) => {
  checkDeployable((await getPipelineRow(params.id!, services)).graph);
  return { valid: true };
});
