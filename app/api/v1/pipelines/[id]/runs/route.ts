import { requirePipelineAccess } from '@/lib/api/principal';
import { route } from '@/lib/api/route';
import { triggerOne } from '@/lib/pipelines/trigger-pipeline';
import { TriggerBody, TriggerQuery } from '@/lib/pipelines/trigger-schemas';

export const POST = route(
  { auth: 'authenticated', body: TriggerBody, query: TriggerQuery },
  async ({ req, params, body, query, principal, services }) => {
    requirePipelineAccess(principal, params.id!);
    return triggerOne(params.id!, { body, wait: query.wait, req }, services);
  },
);
