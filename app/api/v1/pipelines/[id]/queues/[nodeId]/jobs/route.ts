import { route } from '@/lib/api/route';
import { listQueueJobs } from '@/lib/pipelines/queue-operations';
import { ListJobsQuery } from '@/lib/runtime/queue-ops';

export const GET = route({ auth: 'admin', query: ListJobsQuery }, ({ params, query, services }) =>
  listQueueJobs(params, query, services),
);
