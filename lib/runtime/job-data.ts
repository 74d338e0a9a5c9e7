import { z } from 'zod';

/**
 * The data of every BullMQ job Conveyor enqueues. Workers parse it with
 * safeParse: a job that does not match fails with UnrecoverableError (a
 * retry cannot fix it) instead of crashing the worker or running garbage.
 */
export const JobDataSchema = z.object({
  /** The run this message belongs to; every downstream job carries it. */
  runId: z.string().min(1).max(200),
  /** Spec version that enqueued the job: it finishes on that version. */
  v: z.number().int().min(1),
  /**
   * The message. JSON only (BullMQ serializes job data with JSON.stringify),
   * so an undefined payload arrives as a missing key: optional, not malformed.
   */
  payload: z.unknown().optional(),
  /** Node id (producer or consumer) that emitted the message. */
  from: z.string().max(64).optional(),
});
export type JobData = z.infer<typeof JobDataSchema>;

export type ParsedJobData = { ok: true; data: JobData } | { ok: false; error: string };

export function parseJobData(raw: unknown): ParsedJobData {
  const result = JobDataSchema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  return { ok: false, error: `malformed job data: ${issues}` };
}
