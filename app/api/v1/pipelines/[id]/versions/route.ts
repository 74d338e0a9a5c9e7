import { route } from '@/lib/api/route';
import { listPipelineVersions } from '@/lib/pipelines/pipeline-versions';

export const GET = route({ auth: 'admin' }, async ({ params, services }) => listPipelineVersions(params.id!, services));
