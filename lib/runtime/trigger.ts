import { AppError } from '../errors';
import type { CompiledProducer, CompiledSpec } from '../pipeline/compile';
import { assertRoom } from './back-pressure';
import type { RuntimeContext } from './context';
import { settleDeduplicated, wasDeduplicated } from './dedupe';
import type { JobData } from './job-data';
import { initialJobId, newRunId } from './job-ids';
import { jobOptionsFor } from './job-options';
import { addRunRecords, markJobFinished, type NewRun } from './runs';
import { log } from '../log';

/** How long an Idempotency-Key maps to its first run (API.md: 24 h). */
export const IDEMPOTENCY_TTL_SEC = 86_400;

export interface TriggerInput {
  spec: CompiledSpec;
  /** Producer the messages enter at; may be left out when the spec has exactly one http producer. */
  producerId?: string;
  /** One run per payload. */
  payloads: unknown[];
  /** Only with a single payload: a repeat within 24 h returns the first run id and enqueues nothing. */
  idempotencyKey?: string;
  /**
   * What to do when an output queue is at its maxWaiting: 'reject' (default,
   * REST triggers) throws 429 back_pressure and enqueues nothing; 'ignore'
   * enqueues anyway (for a caller that paces itself).
   */
  backPressure?: 'reject' | 'ignore';
}

/**
 * Starts one run per payload at a producer: creates the run records, then
 * adds one job per payload to each of the producer's queues. Costs a fixed
 * number of round trips whatever the batch size: one pipeline for the
 * records, one addBulk (a single MULTI) per output queue, in parallel.
 *
 * Records are written before the jobs so a worker never finishes a job whose
 * run it cannot find. Returns the run ids in payload order.
 *
 * Back-pressure: when an output queue is at its maxWaiting the trigger is
 * refused with 429 before anything is written (one extra round trip for all
 * capped queues; none when no output queue has a cap). A repeat of an
 * Idempotency-Key still answers with its first run. Deduplicating queues
 * drop copies of messages they already hold; the run's branch into such a
 * queue ends at once (./dedupe.ts).
 */
export async function triggerRuns(ctx: RuntimeContext, input: TriggerInput): Promise<string[]> {
  const { spec, payloads } = input;
  const producer = pickProducer(spec, input.producerId);
  if (payloads.length === 0) return [];
  if (producer.outputs.length === 0) {
    throw new AppError('bad_request', `Producer ${producer.id} is not wired to any queue.`);
  }
  for (const q of producer.outputs) {
    if (!spec.queues[q]) throw new AppError('internal', `The deployed spec names an unknown queue ${q}.`);
  }

  const now = Date.now();
  const runIds = payloads.map(() => newRunId(now));
  let idemKey: string | undefined;
  if (input.idempotencyKey !== undefined) {
    if (payloads.length !== 1) throw new AppError('bad_request', 'An Idempotency-Key applies to a single run, not a batch.');
    idemKey = ctx.keys.idempotency(spec.pipelineId, input.idempotencyKey);
    const claimed = await ctx.redis.set(idemKey, runIds[0]!, 'EX', IDEMPOTENCY_TTL_SEC, 'NX');
    if (claimed === null) {
      const first = await ctx.redis.get(idemKey);
      if (first !== null) return [first];
      // Expired between the two calls: this request becomes the first.
      await ctx.redis.set(idemKey, runIds[0]!, 'EX', IDEMPOTENCY_TTL_SEC);
    }
  }

  if (input.backPressure !== 'ignore') {
    try {
      await assertRoom(ctx, spec, producer.outputs);
    } catch (e) {
      if (idemKey) await ctx.redis.del(idemKey).catch(() => {});
      throw e;
    }
  }

  let added: Array<Array<{ queueId: string; runId: string; requested: string; got: string | undefined }>>;
  try {
    const records: NewRun[] = runIds.map((runId) => ({
      runId,
      pipelineId: spec.pipelineId,
      version: spec.version,
      producerId: producer.id,
      pending: producer.outputs.length,
      createdAt: now,
    }));
    const pipe = ctx.redis.pipeline();
    addRunRecords(ctx, pipe, records);
    const results = await pipe.exec();
    const failed = results?.find(([err]) => err);
    if (failed) throw failed[0];

    // Each output queue is its own write: one can fail while another succeeded.
    const settled = await Promise.allSettled(
      producer.outputs.map(async (queueId) => {
        const queue = spec.queues[queueId]!;
        const jobs = await ctx.queues.get(queue.queueName).addBulk(
          payloads.map((payload, i) => {
            const data: JobData = { runId: runIds[i]!, v: spec.version, payload, from: producer.id };
            return { name: producer.id, data, opts: { ...jobOptionsFor(queue, { payload }), jobId: initialJobId(runIds[i]!, queueId) } };
          }),
        );
        return jobs.map((job, i) => ({ queueId, runId: runIds[i]!, requested: initialJobId(runIds[i]!, queueId), got: job.id }));
      }),
    );
    const rejected = settled.flatMap((r, i) => (r.status === 'rejected' ? [{ queueId: producer.outputs[i]!, reason: r.reason as Error }] : []));
    if (rejected.length === settled.length && rejected[0]) {
      // Nothing entered: forget the runs, so nothing waits on them.
      await ctx.redis.unlink(...runIds.map((id) => ctx.keys.run(id))).catch(() => {});
      throw rejected[0].reason;
    }
    added = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    // Some copies entered and some did not: the runs stand, and the branches that
    // never started end failed with the reason, so no run waits forever on them.
    await Promise.all(
      rejected.flatMap(({ queueId, reason }) =>
        runIds.map((runId) =>
          markJobFinished(ctx, runId, {
            jobId: initialJobId(runId, queueId),
            nodeId: queueId,
            attempts: 0,
            outcome: 'failed',
            error: `could not enqueue into queue ${queueId}: ${reason?.message ?? reason}`,
          }).catch((e) => log.warn('could not record an enqueue failure in its run', { runId, error: (e as Error).message })),
        ),
      ),
    );
  } catch (e) {
    // Let a retry with the same key try again instead of returning a run that never started.
    if (idemKey) await ctx.redis.del(idemKey).catch(() => {});
    throw new AppError('unavailable', `Could not enqueue the run${payloads.length === 1 ? '' : 's'}: ${(e as Error).message}`);
  }

  // Copies a deduplicating queue dropped: end their branch of the run, and count only what entered.
  const dropped = added.flat().filter((a) => wasDeduplicated(a.requested, a.got));
  await Promise.all(
    dropped.map((d) => settleDeduplicated(ctx, { runId: d.runId, jobId: d.requested, queueNodeId: d.queueId, duplicateOf: d.got! })),
  );
  ctx.stats.recordProduced(spec.pipelineId, producer.id, payloads.length, []);
  for (const perQueue of added) {
    const entered = perQueue.filter((a) => !wasDeduplicated(a.requested, a.got)).length;
    if (perQueue[0]) ctx.stats.count(spec.pipelineId, perQueue[0].queueId, 'in', entered);
  }
  return runIds;
}

function pickProducer(spec: CompiledSpec, producerId: string | undefined): CompiledProducer {
  if (producerId !== undefined) {
    const p = spec.producers[producerId];
    if (!p) throw new AppError('not_found', `This pipeline has no producer ${producerId}.`);
    return p;
  }
  const http = Object.values(spec.producers).filter((p) => p.source.kind === 'http');
  if (http.length === 1) return http[0]!;
  throw new AppError(
    'bad_request',
    http.length === 0
      ? 'This pipeline has no http producer; name the producer to trigger with producerId.'
      : `This pipeline has ${http.length} http producers; say which one with producerId.`,
  );
}
