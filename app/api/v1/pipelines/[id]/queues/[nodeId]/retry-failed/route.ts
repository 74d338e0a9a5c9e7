import { route } from '@/lib/api/route';
import { retryFailedJobs } from '@/lib/pipelines/queue-operations';

export const POST = route({ auth: 'admin' }, ({ params, services }) => retryFailedJobs(params, services));
