import { route } from '@/lib/api/route';
import { retryQueueJob } from '@/lib/pipelines/queue-operations';

export const POST = route({ auth: 'admin' }, ({ params, services }) => retryQueueJob(params, services));
