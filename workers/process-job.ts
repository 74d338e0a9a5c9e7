import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { log } from '../lib/log';
import type { CompiledConsumer, CompiledSpec } from '../lib/pipeline/compile';
import { DEFER_MS, waitForRoom } from '../lib/runtime/back-pressure';
import type { RuntimeContext } from '../lib/runtime/context';
import { addDeadLetter, deadLetterTarget } from '../lib/runtime/dead-letter';
import { settleDeduplicated, wasDeduplicated } from '../lib/runtime/dedupe';
import { parseJobData, type JobData } from '../lib/runtime/job-data';
import { childJobId } from '../lib/runtime/job-ids';
import { jobOptionsFor } from '../lib/runtime/job-options';
import { markJobFinished, markJobStarted } from '../lib/runtime/runs';
import { runTask, type TaskResources } from '../lib/tasks';

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
 *    retrying. A last failure in a queue with a dead-letter edge also adds
 *    the message to the dead-letter queue, with its error history
 *    (lib/runtime/dead-letter.ts); the run counts it as pending.
 *
 * Back-pressure: before the task runs, a job whose output queues are at
 * their maxWaiting holds its slot until there is room (polling); after
 * HOLD_MAX_MS it is put back as delayed without using an attempt
 * (lib/runtime/back-pressure.ts). Nothing is dropped. Held time is not
 * counted as service time.
 */
export interface ConsumerBinding {
  pipelineId: string;
  consumerId: string;
  /** The deployed spec the Worker was made from; updated by the supervisor on redeploy. */
  liveSpec: () => CompiledSpec;
  /** Kept by the consumer between jobs (sandboxes, compiled code); the supervisor disposes it with the Worker. */
  resources?: TaskResources;
}

export const isUnrecoverable = (err: unknown) =>
  err instanceof UnrecoverableError || (err as { name?: string } | null)?.name === 'UnrecoverableError';

export function createProcessor(ctx: RuntimeContext, binding: ConsumerBinding) {
  const { pipelineId: pid, consumerId: cid } = binding;

  return async function processJob(job: Job, token?: string, signal?: AbortSignal): Promise<null> {
    const taken = Date.now();
    const live = binding.liveSpec();
    const liveConsumer = live.consumers[cid];
    // A job put back by back-pressure has started before: its queue side was counted then.
    const firstTake = job.attemptsMade === 0 && (job.attemptsStarted ?? 1) <= 1;
    const readyAt = job.timestamp + (job.opts.delay ?? 0);
    const waitMs = firstTake ? Math.max(0, (job.processedOn ?? taken) - readyAt) : undefined;
    const attempts = job.attemptsMade + 1;
    let queueId = liveConsumer?.input ?? '';
    let heldMs = 0;
    let isCounted = false;
    const countStart = () => {
      if (!isCounted) ctx.stats.recordStarted(pid, queueId, cid, waitMs);
      isCounted = true;
    };

    const parsed = parseJobData(job.data);
    if (!parsed.ok) {
      countStart();
      ctx.stats.recordFinished(pid, queueId, cid, 'failed', Date.now() - taken);
      log.warn('malformed job', { pipelineId: pid, consumerId: cid, jobId: job.id, error: parsed.error });
      const err = new UnrecoverableError(parsed.error);
      await deadLetterMalformed(ctx, live, job, queueId, cid, err);
      throw err;
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

      // Back-pressure: wait for room in the output queues before the task runs (lib/runtime/back-pressure.ts).
      const room = await waitForRoom(ctx, spec, consumer.outputs.map((o) => o.queue), { signal });
      heldMs = room.heldMs;
      if (!room.hasRoom) {
        if (firstTake && waitMs !== undefined) {
          ctx.stats.count(pid, queueId, 'out', 1);
          ctx.stats.observe(pid, queueId, 'wait', waitMs);
        }
        await job.moveToDelayed(Date.now() + DEFER_MS, token);
        throw new DelayedError('output queue full: put back without using an attempt');
      }
      countStart();

      await markJobStarted(ctx, data.runId, { jobId: job.id!, nodeId: cid, attempts });
      const result = await runTask(consumer.task, data.payload, {
        runId: data.runId,
        nodeId: cid,
        attempt: attempts,
        signal,
        resources: binding.resources,
        outputs: consumer.outputs.map((o) => o.edgeId),
      });
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
      const entered = await enqueueResults(ctx, spec, job.id!, cid, data, targets.map((t) => t.queue), result.output);

      ctx.stats.recordFinished(pid, queueId, cid, 'completed', Date.now() - taken - heldMs);
      ctx.stats.recordEmitted(pid, cid, entered);
      // The result travels in the child jobs and the run record; not kept again in BullMQ.
      return null;
    } catch (err) {
      if (isDeferral(err)) throw err;
      if (signal?.aborted && !isUnrecoverable(err)) {
        // Cancelled by a forced shutdown (supervisor closeGracefully): not the message's fault. Put it back
        // without using an attempt; if that fails the job stays active and the stalled check hands it on.
        if (isCounted) ctx.stats.recordFinished(pid, queueId, cid, 'retried', Date.now() - taken - heldMs);
        await job.moveToDelayed(Date.now(), token).catch((e) =>
          log.warn('could not put a cancelled job back', { jobId: job.id, error: (e as Error).message }),
        );
        throw new DelayedError('cancelled: the worker is shutting down');
      }
      countStart();
      const isFinal = isUnrecoverable(err) || attempts >= (job.opts.attempts ?? 1);
      ctx.stats.recordFinished(pid, queueId, cid, isFinal ? 'failed' : 'retried', Date.now() - taken - heldMs);
      await recordFailure(ctx, { job, data, spec, live, queueId, consumerId: cid, err, attempts, isFinal, unrecoverable: isUnrecoverable(err) });
      throw err;
    }
  };
}

/**
 * A job BullMQ fails without calling the processor: one that stalled more
 * than maxStalledCount times (its workers died or lost their locks mid-job)
 * is failed by the next worker to take it. Nothing else would count that end
 * in the run (it would stay running until it expired) or dead-letter it, so
 * the Worker's `failed` event does it here. Never throws.
 */
export function createUnprocessedFailureHandler(ctx: RuntimeContext, binding: ConsumerBinding) {
  const { pipelineId: pid, consumerId: cid } = binding;
  return (job: Job | undefined, err: Error): void => {
    if (!job?.deferredFailure) return;
    void (async () => {
      const live = binding.liveSpec();
      let queueId = live.consumers[cid]?.input ?? '';
      const parsed = parseJobData(job.data);
      if (!parsed.ok) {
        ctx.stats.recordFinished(pid, queueId, cid, 'failed', 0);
        await deadLetterMalformed(ctx, live, job, queueId, cid, err);
        return;
      }
      const data = parsed.data;
      const jobSpec = data.v === live.version ? live : await ctx.specs.get(pid, data.v);
      const spec = jobSpec?.consumers[cid] ? jobSpec : live;
      queueId = spec.consumers[cid]?.input ?? queueId;
      const attempts = Math.max(1, job.attemptsMade);
      ctx.stats.recordFinished(pid, queueId, cid, 'failed', 0);
      await recordFailure(ctx, { job, data, spec, live, queueId, consumerId: cid, err, attempts, isFinal: true, unrecoverable: true });
    })().catch((e) =>
      log.error('could not record a job BullMQ failed without running it', { jobId: job.id, error: (e as Error).message }),
    );
  };
}

const isDeferral = (err: unknown) => err instanceof DelayedError || (err as { name?: string } | null)?.name === 'DelayedError';

/** A job whose data did not parse has no run to count in; it is still dead-lettered, raw data as its payload. */
async function deadLetterMalformed(ctx: RuntimeContext, live: CompiledSpec, job: Job, queueId: string, consumerId: string, err: Error) {
  const dlq = deadLetterTarget(queueId, live);
  if (!dlq) return;
  const raw = job.data as { runId?: unknown } | null;
  const runId = typeof raw?.runId === 'string' && raw.runId !== '' ? raw.runId.slice(0, 200) : 'run_unknown';
  await addDeadLetter(ctx, dlq.spec, dlq.queue, {
    job,
    runId,
    version: live.version,
    payload: job.data,
    queueId,
    consumerId,
    error: err,
    attempts: job.attemptsMade + 1,
    unrecoverable: true,
  }).catch((e) => log.error('could not add a dead letter', { jobId: job.id, error: (e as Error).message }));
}

/**
 * Adds `output` to each queue node of `queueIds`, with ids derived from the
 * parent job's. Returns the queue nodes it entered: a deduplicating queue
 * may drop it, and that branch of the run ends there (lib/runtime/dedupe.ts).
 */
async function enqueueResults(
  ctx: RuntimeContext,
  spec: CompiledSpec,
  parentJobId: string,
  consumerId: string,
  parent: JobData,
  queueIds: readonly string[],
  output: unknown,
): Promise<string[]> {
  if (queueIds.length === 0) return [];
  const data: JobData = { runId: parent.runId, v: parent.v, payload: output, from: consumerId };
  const entered = await Promise.all(
    queueIds.map(async (queueId) => {
      const queue = spec.queues[queueId];
      if (!queue) throw new UnrecoverableError(`spec version ${spec.version} has no queue ${queueId}`);
      const jobId = childJobId(parent.runId, parentJobId, consumerId, queueId);
      const job = await ctx.queues.get(queue.queueName).add(consumerId, data, { ...jobOptionsFor(queue, { payload: output }), jobId });
      if (!wasDeduplicated(jobId, job.id)) return queueId;
      await settleDeduplicated(ctx, { runId: parent.runId, jobId, queueNodeId: queueId, duplicateOf: job.id! });
      return null;
    }),
  );
  return entered.filter((q): q is string => q !== null);
}

/**
 * Counts a failed attempt in its run and, when it was the last one and the
 * queue has a dead-letter edge, dead-letters the job (the dead letter stays a
 * pending job of the run until it is processed or replayed). Never throws: a
 * Redis hiccup here leaves the job in BullMQ's failed set, where operators see it.
 */
async function recordFailure(
  ctx: RuntimeContext,
  f: {
    job: Job;
    data: JobData;
    spec: CompiledSpec;
    live: CompiledSpec;
    queueId: string;
    consumerId: string;
    err: unknown;
    attempts: number;
    isFinal: boolean;
    unrecoverable: boolean;
  },
): Promise<void> {
  // Bounded: run records are read whole by GET /runs/:id.
  const message = String((f.err as Error)?.message ?? f.err).slice(0, 2000);
  const dlq = f.isFinal ? deadLetterTarget(f.queueId, f.spec, f.live) : null;
  const plural = f.attempts === 1 ? '' : 's';
  await markJobFinished(ctx, f.data.runId, {
    jobId: f.job.id!,
    nodeId: f.consumerId,
    attempts: f.attempts,
    outcome: f.isFinal ? 'failed' : 'retrying',
    enqueued: dlq ? 1 : 0,
    error: dlq ? `${message} (dead-lettered to ${dlq.queue.id} after ${f.attempts} attempt${plural})` : message,
  }).catch((e) => log.warn('could not record a job failure in its run', { runId: f.data.runId, error: (e as Error).message }));
  if (!dlq) return;
  await addDeadLetter(ctx, dlq.spec, dlq.queue, {
    job: f.job,
    runId: f.data.runId,
    version: f.spec.version,
    payload: f.data.payload,
    queueId: f.queueId,
    consumerId: f.consumerId,
    error: f.err,
    attempts: f.attempts,
    unrecoverable: f.unrecoverable,
  }).catch((e) =>
    log.error('could not add a dead letter; the job stays in its failed set', { runId: f.data.runId, jobId: f.job.id, error: (e as Error).message }),
  );
}
