import { noContent } from '@/lib/api/http';
import { route } from '@/lib/api/route';
import { deleteQueueJob } from '@/lib/pipelines/queue-operations';

export const DELETE = route({ auth: 'admin' }, async ({ params, services }) => {
  await deleteQueueJob(params, services);
  return noContent();
});
