import { route } from '@/lib/api/route';
import { getPipelineRow } from '@/lib/pipelines/crud-pipelines';
import { statsEventStream } from '@/lib/pipelines/stats-stream';

export const dynamic = 'force-dynamic';

export const GET = route({ auth: 'admin' }, async ({ req, params, services }) => {
  await getPipelineRow(params.id!, services);
  return new Response(statsEventStream(params.id!, services.runtime, req.signal), {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
});
