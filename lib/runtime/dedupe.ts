import { log } from '../log';
import type { RuntimeContext } from './context';
import { markJobFinished } from './runs';

/**
 * A message a queue node dropped as a duplicate (see dedupeOptions in
 * ./job-options.ts). BullMQ tells us by answering an add with the id of the
 * job that holds the deduplication key instead of the id we asked for.
 *
 * Its run counted it as pending when it was sent, so its branch is ended
 * here: a completed step at the queue node whose `error` says what it
 * duplicated. A run whose every copy was dropped completes at once, with
 * no output. Counted once per job id (the run record's done| marker), so a
 * parent delivered twice does not end the branch twice.
 */
export function wasDeduplicated(requestedJobId: string, returnedJobId: string | undefined): boolean {
  return returnedJobId !== undefined && returnedJobId !== requestedJobId;
}

export async function settleDeduplicated(
  ctx: RuntimeContext,
  drop: { runId: string; jobId: string; queueNodeId: string; duplicateOf: string },
): Promise<void> {
  await markJobFinished(ctx, drop.runId, {
    jobId: drop.jobId,
    nodeId: drop.queueNodeId,
    attempts: 0,
    outcome: 'completed',
    enqueued: 0,
    error: `deduplicated: dropped at queue ${drop.queueNodeId} as a duplicate of job ${drop.duplicateOf}`,
  }).catch((e) => log.warn('could not record a deduplicated message in its run', { runId: drop.runId, error: (e as Error).message }));
}
