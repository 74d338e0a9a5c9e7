import type { Job } from 'bullmq';
import { z } from 'zod';
import type { RuntimeContext } from './context';
import { DeadLetterEnvelopeSchema, replayJobId } from './dead-letter';
import { parseJobData, type JobData } from './job-data';
import { jobOptionsFor } from './job-options';
import { getQueueJob, type QueueTarget } from './queue-ops';
import { reopenRun } from './reopen-run';

/**
 * Replay: moves dead letters from a dead-letter queue back into the queue
 * they failed in, as fresh jobs (attempts reset, the queue's current
 * options, no deduplication) carrying the same run id, on the spec version
 * the queue node is resolved in (the deployed one: replaying after a fix
 * was deployed is the point). The dead letter is removed from the
 * dead-letter queue once its replacement is in.
 *
 * The run is reopened: the failure the dead letter stood for no longer
 * counts, so once nothing else of it failed the run is running again and
 * completes when the replayed message does. Each dead letter is replayed at
 * most once (a marker in the run record; the new job's id is derived from
 * the dead letter's), so a replay request sent twice does not double it.
 *
 * Dead letters being processed by the dead-letter queue's own consumers
 * (active) are skipped; so is anything in the queue that is not a dead
 * letter, and dead letters whose queue is no longer in the pipeline.
 */
export const MAX_REPLAY = 10_000;
export const ReplayBody = z
  .object({ jobIds: z.array(z.string().min(1).max(400)).min(1).max(1000).optional() })
  .optional()
  .transform((b) => b ?? {});

export const ReplayResultSchema = z.object({
  replayed: z.array(z.object({ jobId: z.string(), queueId: z.string(), newJobId: z.string(), runId: z.string() })),
  skipped: z.array(z.object({ jobId: z.string(), reason: z.string() })),
  /** More dead letters than MAX_REPLAY were held: call again for the rest. */
  more: z.boolean(),
});
export type ReplayResult = z.infer<typeof ReplayResultSchema>;

const HELD_STATES = ['waiting', 'prioritized', 'delayed', 'failed', 'completed'] as const;

export async function replayDeadLetters(ctx: RuntimeContext, dlq: QueueTarget, jobIds?: readonly string[]): Promise<ReplayResult> {
  const queue = ctx.queues.get(dlq.queue.queueName);
  let ids: string[];
  let more = false;
  if (jobIds) {
    ids = [...new Set(jobIds)];
  } else {
    ids = [...new Set(await queue.getRanges([...HELD_STATES], 0, MAX_REPLAY, true))];
    more = ids.length > MAX_REPLAY;
    ids = ids.slice(0, MAX_REPLAY);
  }
  const result: ReplayResult = { replayed: [], skipped: [], more };
  for (let i = 0; i < ids.length; i += 50) {
    const chunk = ids.slice(i, i + 50);
    const outcomes = await Promise.all(chunk.map((id) => replayOne(ctx, dlq, id, getQueueJob(queue, id))));
    for (const o of outcomes) 'reason' in o ? result.skipped.push(o) : result.replayed.push(o);
  }
  return result;
}

type Outcome = { jobId: string; reason: string } | { jobId: string; queueId: string; newJobId: string; runId: string };

async function replayOne(ctx: RuntimeContext, dlq: QueueTarget, jobId: string, found: Promise<Job | undefined>): Promise<Outcome> {
  const job = await found;
  if (!job) return { jobId, reason: 'no such job in this queue' };
  const state = await job.getState();
  if (state === 'active') return { jobId, reason: 'being processed by a consumer of the dead-letter queue' };
  const data = parseJobData(job.data);
  const envelope = data.ok ? DeadLetterEnvelopeSchema.safeParse(data.data.payload) : null;
  if (!data.ok || !envelope?.success) return { jobId, reason: 'not a dead letter' };
  const info = envelope.data.deadLetter;
  const target = dlq.spec.queues[info.queueId];
  if (!target) return { jobId, reason: `queue ${info.queueId} is not in version ${dlq.spec.version} of the pipeline` };

  const runId = data.data.runId;
  const newJobId = replayJobId(runId, jobId, target.id);
  // An unprocessed dead letter was pending in its run and is replaced by the new job;
  // a processed one (completed or failed by the dead-letter queue's consumers) was not.
  const wasProcessed = state === 'completed' || state === 'failed';
  await reopenRun(ctx, runId, {
    marker: `replay|${jobId}`,
    supersede: [info.jobId, jobId],
    pendingDelta: wasProcessed ? 1 : 0,
  });
  const message: JobData = { runId, v: dlq.spec.version, payload: envelope.data.payload, from: dlq.queue.id };
  await ctx.queues.get(target.queueName).add(dlq.queue.id, message, { ...jobOptionsFor(target), jobId: newJobId });
  ctx.stats.count(dlq.spec.pipelineId, target.id, 'in', 1);
  // The replacement is in; the dead letter goes. If it was taken by a consumer in between it stays (and is also processed there).
  await job.remove().catch(() => {});
  return { jobId, queueId: target.id, newJobId, runId };
}
