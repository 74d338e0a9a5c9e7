import { route } from '@/lib/api/route';
import { deployPipeline } from '@/lib/pipelines/deploy-pipeline';

export const POST = route({ auth: 'admin' }, async ({ params, services }) => deployPipeline(params.id!, services));
