import { route } from '@/lib/api/route';
import { undeployPipeline } from '@/lib/pipelines/undeploy-pipeline';

export const POST = route({ auth: 'admin' }, async ({ params, services }) => {
  await undeployPipeline(params.id!, services);
  return { undeployed: true };
});
