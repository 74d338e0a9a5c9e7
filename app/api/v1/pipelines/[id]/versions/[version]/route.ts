import { route } from '@/lib/api/route';
import { getPipelineVersion } from '@/lib/pipelines/pipeline-versions';

export const GET = route({ auth: 'admin' }, async ({ params, services }) =>
  getPipelineVersion(params.id!, params.version!, services),
);
