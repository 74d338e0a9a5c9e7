import { UnrecoverableError, type Job } from 'bullmq';
import { log } from '../lib/log';
import type { CompiledConsumer, CompiledSpec } from '../lib/pipeline/compile';
import type { RuntimeContext } from '../lib/runtime/context';
import { parseJobData, type JobData } from '../lib/runtime/job-data';
import { childJobId } from '../lib/runtime/job-ids';
import { jobOptionsFor } from '../lib/runtime/job-options';
import { markJobFinished, markJobStarted } from '../lib/runtime/runs';
import { runTask } from '../lib/tasks';

/**
 * The BullMQ processor of one consumer node. Per job:
 *
 * 1. parse the job data (malformed: UnrecoverableError, never a crash);
 * 2. load the spec version that enqueued the job, so it finishes on that
 *    version (falling back to the live one if that version lacks this
 *    consumer, e.g. the consumer was added to the queue by a redeploy);
 * 3. mark the step running, run the task;
 * 4. count the job's end in the run record, THEN add the result to each
 *    downstream queue. In that order, the run's pending count already
 *    includes the children before any child can finish, so a fast child
 *    can never complete the run early. Child job ids are deterministic, so
 *    a retry after a crash between 4a and 4b re-adds the missing children
 *    and BullMQ ignores the ones it still holds; the run record ignores the
 *    second end (done| marker);
 * 5. on failure, decide like BullMQ does whether this was the last attempt
 *    (UnrecoverableError, or attempts exhausted) and record failed or
 *    retrying. (Dead-lettering, a later issue, belongs in that branch.)
 */
export interface ConsumerBinding {
  pipelineId: string;
  consumerId: string;
  /** The deployed spec the Worker was made from; updated by the supervisor on redeploy. */
  liveSpec: () => CompiledSpec;
}

export const isUnrecoverable = (err: unknown) =>
  err instanceof UnrecoverableError || (err as { name?: string } | null)?.name === 'UnrecoverableError';

export function createProcessor(ctx: RuntimeContext, binding: ConsumerBinding) {
  const { pipelineId: pid, consumerId: cid } = binding;

  return async function processJob(job: Job, _token?: string, signal?: AbortSignal): Promise<null> {
    const started = Date.now();
    const live = binding.liveSpec();
    const liveConsumer = live.consumers[cid];
    const firstTake = job.attemptsMade === 0 && (job.attemptsStarted ?? 1) <= 1;
    const readyAt = job.timestamp + (job.opts.delay ?? 0);
    const waitMs = firstTake ? Math.max(0, (job.processedOn ?? started) - readyAt) : undefined;
    const attempts = job.attemptsMade + 1;
    let queueId = liveConsumer?.input ?? '';
    ctx.stats.recordStarted(pid, queueId, cid, waitMs);

    const parsed = parseJobData(job.data);
    if (!parsed.ok) {
      ctx.stats.recordFinished(pid, queueId, cid, 'failed', Date.now() - started);
      log.warn('malformed job', { pipelineId: pid, consumerId: cid, jobId: job.id, error: parsed.error });
      throw new UnrecoverableError(parsed.error);
    }
    const data = parsed.data;
    let spec = live;
    let consumer: CompiledConsumer | undefined = liveConsumer;

    try {
      const jobSpec = data.v === live.version ? live : await ctx.specs.get(pid, data.v);
      if (jobSpec?.consumers[cid]) {
        spec = jobSpec;
        consumer = jobSpec.consumers[cid];
      }
      if (!consumer) throw new UnrecoverableError(`consumer ${cid} is in neither version ${data.v} nor the deployed version`);
      queueId = consumer.input;

      await markJobStarted(ctx, data.runId, { jobId: job.id!, nodeId: cid, attempts });
      const result = await runTask(consumer.task, data.payload, { runId: data.runId, nodeId: cid, attempt: attempts, signal });
      const targets = result.edgeIds
        ? consumer.outputs.filter((o) => result.edgeIds!.includes(o.edgeId))
        : consumer.outputs;
      const atSink = consumer.outputs.length === 0;

      await markJobFinished(ctx, data.runId, {
        jobId: job.id!,
        nodeId: cid,
        attempts,
        outcome: 'completed',
        enqueued: targets.length,
        output: atSink ? result.output : undefined,
      });
      await enqueueResults(ctx, spec, job.id!, cid, data, targets.map((t) => t.queue), result.output);

      ctx.stats.recordFinished(pid, queueId, cid, 'completed', Date.now() - started);
      ctx.stats.recordEmitted(pid, cid, targets.map((t) => t.queue));
      // The result travels in the child jobs and the run record; not kept again in BullMQ.
      return null;
    } catch (err) {
      const isFinal = isUnrecoverable(err) || attempts >= (job.opts.attempts ?? 1);
      // Bounded: run records are read whole by GET /runs/:id.
      const message = String((err as Error)?.message ?? err).slice(0, 2000);
      ctx.stats.recordFinished(pid, queueId, cid, isFinal ? 'failed' : 'retried', Date.now() - started);
      await markJobFinished(ctx, data.runId, {
        jobId: job.id!,
        nodeId: cid,
        attempts,
        outcome: isFinal ? 'failed' : 'retrying',
        error: message,
      }).catch((e) => log.warn('could not record a job failure in its run', { runId: data.runId, error: (e as Error).message }));
      throw err;
    }
  };
}

/** Adds `output` to each queue node of `queueIds`, with ids derived from the parent job's. */
async function enqueueResults(
  ctx: RuntimeContext,
  spec: CompiledSpec,
  parentJobId: string,
  consumerId: string,
  parent: JobData,
  queueIds: readonly string[],
  output: unknown,
): Promise<void> {
  if (queueIds.length === 0) return;
  const data: JobData = { runId: parent.runId, v: parent.v, payload: output, from: consumerId };
  await Promise.all(
    queueIds.map((queueId) => {
      const queue = spec.queues[queueId];
      if (!queue) throw new UnrecoverableError(`spec version ${spec.version} has no queue ${queueId}`);
      return ctx.queues.get(queue.queueName).add(consumerId, data, {
        ...jobOptionsFor(queue),
        jobId: childJobId(parent.runId, parentJobId, consumerId, queueId),
      });
    }),
  );
}
