import { requirePipelineAccess } from '@/lib/api/principal';
import { route } from '@/lib/api/route';
import { listRuns } from '@/lib/runs/list-runs';
import { RunListQuery } from '@/lib/runs/schemas';
import { triggerOne } from '@/lib/pipelines/trigger-pipeline';
import { TriggerBody, TriggerQuery } from '@/lib/pipelines/trigger-schemas';

export const POST = route(
  { auth: 'authenticated', body: TriggerBody, query: TriggerQuery },
  async ({ req, params, body, query, principal, services }) => {
    requirePipelineAccess(principal, params.id!);
    return triggerOne(params.id!, { body, wait: query.wait, req }, services);
  },
);

/** Run history from the SQL database, newest first (finished runs only, about a second after they finish). */
export const GET = route({ auth: 'authenticated', query: RunListQuery }, async ({ params, query, principal, services }) => {
  requirePipelineAccess(principal, params.id!);
  return listRuns(params.id!, query, services);
});
