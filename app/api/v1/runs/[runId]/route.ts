import { requirePipelineAccess } from '@/lib/api/principal';
import { route } from '@/lib/api/route';
import { AppError } from '@/lib/errors';
import { getRunAnywhere } from '@/lib/runs/get-run';

export const GET = route({ auth: 'authenticated' }, async ({ params, principal, services }) => {
  const run = await getRunAnywhere(params.runId!, services);
  if (!run) throw new AppError('not_found', `No run has the id ${params.runId}, or it is older than the run history keeps.`);
  requirePipelineAccess(principal, run.pipelineId);
  return run;
});
