import type { Job } from 'bullmq';
import { z } from 'zod';
import type { CompiledQueue, CompiledSpec } from '../pipeline/compile';
import type { RuntimeContext } from './context';
import type { JobData } from './job-data';
import { childJobId } from './job-ids';
import { jobOptionsFor } from './job-options';

/**
 * Dead letters. A queue node may have one dead-letter edge to another queue
 * node (CompiledQueue.deadLetter). A job of it that fails for good (its
 * attempts are exhausted, or it threw UnrecoverableError, malformed data
 * included) is added to that queue as a dead letter whose payload is an
 * envelope:
 *
 *   { payload: <the original message>, deadLetter: DeadLetterInfo }
 *
 * so the dead-letter queue's own consumers, if it has any, process it like
 * any message and see why it failed (a transform can read msg.deadLetter).
 * The original job is still moved to its queue's failed set, as without a
 * dead-letter edge. The run's step at the consumer is failed, its error says
 * where the message went, and the run is failed: the dead letter is a job of
 * the run still (it carries the run id and counts as pending).
 *
 * Dead letters are never deduplicated and never wait for back-pressure: a
 * failure must not be lost or block the worker. Their job id is derived from
 * the failed job's, so a worker that dies after adding one adds it once.
 */
export const DeadLetterErrorSchema = z.object({ attempt: z.number().int(), message: z.string() });

export const DeadLetterInfoSchema = z.object({
  /** Queue node the message failed in, and where a replay sends it back. */
  queueId: z.string(),
  /** Consumer node whose task failed it. */
  consumerId: z.string(),
  /** The failed BullMQ job. */
  jobId: z.string(),
  runId: z.string(),
  /** Spec version the failed job ran on. */
  version: z.number().int(),
  attemptsMade: z.number().int(),
  /** The last attempt's error message. */
  failedReason: z.string(),
  /** true when it failed without using its attempts (UnrecoverableError). */
  unrecoverable: z.boolean(),
  /** One entry per attempt, oldest first (as far as BullMQ kept their traces). */
  errors: z.array(DeadLetterErrorSchema),
  /** The last attempt's stack trace, trimmed. */
  stacktrace: z.string().optional(),
  failedAt: z.string(),
});
export type DeadLetterInfo = z.infer<typeof DeadLetterInfoSchema>;

export const DeadLetterEnvelopeSchema = z.object({ payload: z.unknown().optional(), deadLetter: DeadLetterInfoSchema });
export type DeadLetterEnvelope = z.infer<typeof DeadLetterEnvelopeSchema>;

const MAX_STACK_LINES = 12;
const MAX_STACK_CHARS = 2000;
const MAX_MESSAGE_CHARS = 1000;
/** `~` is not allowed in node ids, so these never collide with a consumer's child ids. */
const DEAD_LETTER_EDGE = '~dead-letter';
const REPLAY_EDGE = '~replay';

export const deadLetterJobId = (runId: string, failedJobId: string, dlqNodeId: string): string =>
  childJobId(runId, failedJobId, DEAD_LETTER_EDGE, dlqNodeId);

export const replayJobId = (runId: string, deadLetterJobId: string, queueNodeId: string): string =>
  childJobId(runId, deadLetterJobId, REPLAY_EDGE, queueNodeId);

/** Where failures of `queueId` go: the dead-letter queue in `spec` (or, when the job's version has none, in `live`). */
export function deadLetterTarget(queueId: string, ...specs: Array<CompiledSpec | undefined>): { spec: CompiledSpec; queue: CompiledQueue } | null {
  for (const spec of specs) {
    const dlq = spec?.queues[queueId]?.deadLetter;
    if (spec && dlq && spec.queues[dlq]) return { spec, queue: spec.queues[dlq] };
  }
  return null;
}

const trimStack = (stack: string | undefined) =>
  stack ? stack.split('\n').slice(0, MAX_STACK_LINES).join('\n').slice(0, MAX_STACK_CHARS) : undefined;

/** "Error: boom" from a stack trace: the lines before the first frame. */
function headOf(stack: string): string {
  const at = stack.search(/\n\s+at /);
  return (at < 0 ? stack : stack.slice(0, at)).slice(0, MAX_MESSAGE_CHARS);
}

export interface FailedJob {
  job: Job;
  /** The job's own data when it parsed; the raw data otherwise. */
  runId: string;
  version: number;
  payload: unknown;
  queueId: string;
  consumerId: string;
  error: unknown;
  /** Attempts made, this one included. */
  attempts: number;
  unrecoverable: boolean;
}

export function deadLetterEnvelope(f: FailedJob, now = Date.now()): DeadLetterEnvelope {
  const err = f.error as { message?: unknown; stack?: unknown; name?: unknown } | null;
  const message = String(err?.message ?? f.error).slice(0, MAX_MESSAGE_CHARS);
  // BullMQ keeps one stack per failed attempt; the current one is not in yet.
  // After a manual retry older ones are still there: keep the last attempts-1.
  const earlier = f.attempts > 1 ? (f.job.stacktrace ?? []).slice(-(f.attempts - 1)) : [];
  const first = f.attempts - earlier.length;
  const errors = [
    ...earlier.map((stack, i) => ({ attempt: first + i, message: headOf(String(stack)) })),
    { attempt: f.attempts, message: typeof err?.name === 'string' && err.name !== 'Error' ? `${err.name}: ${message}` : message },
  ];
  return {
    payload: f.payload,
    deadLetter: {
      queueId: f.queueId,
      consumerId: f.consumerId,
      jobId: f.job.id!,
      runId: f.runId,
      version: f.version,
      attemptsMade: f.attempts,
      failedReason: message,
      unrecoverable: f.unrecoverable,
      errors,
      ...(typeof err?.stack === 'string' ? { stacktrace: trimStack(err.stack) } : {}),
      failedAt: new Date(now).toISOString(),
    },
  };
}

/** Adds the dead letter of a failed job to `dlq`. Returns its job id. */
export async function addDeadLetter(ctx: RuntimeContext, spec: CompiledSpec, dlq: CompiledQueue, f: FailedJob): Promise<string> {
  const jobId = deadLetterJobId(f.runId, f.job.id!, dlq.id);
  const data: JobData = { runId: f.runId, v: spec.version, payload: deadLetterEnvelope(f), from: f.queueId };
  await ctx.queues.get(dlq.queueName).add(f.queueId, data, { ...jobOptionsFor(dlq), jobId });
  ctx.stats.count(spec.pipelineId, dlq.id, 'in', 1);
  return jobId;
}
