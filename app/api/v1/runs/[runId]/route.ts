import { requirePipelineAccess } from '@/lib/api/principal';
import { route } from '@/lib/api/route';
import { AppError } from '@/lib/errors';
import { getRun } from '@/lib/runtime/runs';

export const GET = route({ auth: 'authenticated' }, async ({ params, principal, services }) => {
  const run = await getRun(services.runtime, params.runId!);
  if (!run) throw new AppError('not_found', `No run has the id ${params.runId}, or it has expired.`);
  requirePipelineAccess(principal, run.pipelineId);
  return run;
});
