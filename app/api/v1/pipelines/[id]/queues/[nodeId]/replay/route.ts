import { route } from '@/lib/api/route';
import { replayQueue } from '@/lib/pipelines/queue-operations';
import { ReplayBody } from '@/lib/runtime/replay-dead-letters';

export const POST = route({ auth: 'admin', body: ReplayBody }, ({ params, body, services }) => replayQueue(params, body, services));
