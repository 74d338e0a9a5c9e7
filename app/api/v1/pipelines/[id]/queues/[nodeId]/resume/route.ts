import { route } from '@/lib/api/route';
import { pauseQueue } from '@/lib/pipelines/queue-operations';

export const POST = route({ auth: 'admin' }, ({ params, services }) => pauseQueue(params, false, services));
