import { randomBytes } from 'node:crypto';
import type { Job, Queue, RepeatOptions } from 'bullmq';
import { z } from 'zod';
import type { CompiledSpec } from '../../pipeline/compile';
import type { RuntimeContext } from '../context';
import { getDeployedSpec } from '../deploy';
import { triggerRuns } from '../trigger';
import { RELEASE_IF_HELD } from './generator-scripts';
import { producerKeys, schedulerIdFor } from './keys';
import { compilePayloadTemplate } from './template';

/**
 * Schedule producers: one BullMQ job scheduler per producer node, all on one
 * internal queue (producerKeys.ticksQueue). A scheduler's job is a tick; the
 * worker that takes it starts one run at the producer with triggerRuns,
 * exactly as POST /runs would (run record, a copy to every output queue, the
 * producer's `out` stat).
 *
 * Who owns the schedulers: the worker supervisors, not the deploy request.
 * Each reconciles the schedulers against every deployed spec (a level, not
 * an event: a deploy whose announcement was missed, a scheduler lost with a
 * flushed Redis or a node removed by a redeploy all converge), one
 * supervisor at a time under a short lock. BullMQ keys schedulers by id, so
 * even two reconcilers at once could not make a second copy; the lock keeps
 * one that read an older `deployed` from undoing a newer one's work.
 *
 * Cron patterns are read in UTC, whichever host computes the next fire time.
 */

/** What a tick carries; the payload is read from the live spec when it fires. */
export const TickDataSchema = z.object({ pipelineId: z.string().min(1), producerId: z.string().min(1) });
export type TickData = z.infer<typeof TickDataSchema>;

export const TICK_JOB_NAME = 'tick';
export const SCHEDULE_TZ = 'UTC';

export interface DesiredSchedule {
  id: string;
  repeat: { pattern: string; tz: string } | { every: number };
  data: TickData;
}

/** The job scheduler every schedule producer of the deployed specs should have, by scheduler id. */
export function desiredSchedules(specs: Iterable<CompiledSpec>): Map<string, DesiredSchedule> {
  const out = new Map<string, DesiredSchedule>();
  for (const spec of specs) {
    for (const p of Object.values(spec.producers)) {
      const s = p.source;
      if (s.kind !== 'schedule' || p.outputs.length === 0) continue;
      const repeat = s.cron ? { pattern: s.cron, tz: SCHEDULE_TZ } : s.everyMs ? { every: s.everyMs } : null;
      if (!repeat) continue;
      out.set(schedulerIdFor(spec.pipelineId, p.id), { id: schedulerIdFor(spec.pipelineId, p.id), repeat, data: { pipelineId: spec.pipelineId, producerId: p.id } });
    }
  }
  return out;
}

/** Ticks are bookkeeping: keep a few for operators, retry a transient failure twice. */
const TICK_JOB_OPTS = {
  attempts: 3,
  backoff: { type: 'exponential' as const, delay: 500 },
  removeOnComplete: { count: 100 },
  removeOnFail: { count: 1000 },
};

export interface ReconcileResult {
  upserted: string[];
  removed: string[];
  /** Schedulers BullMQ refused (e.g. a cron pattern it cannot parse), with why. */
  failed: Array<{ id: string; error: string }>;
}

/**
 * Makes the ticks queue hold exactly the desired schedulers: upserts the
 * missing or changed ones, removes the rest. Upserting one that already
 * matches is skipped, so its next tick keeps its time. Returns null without
 * doing anything when another supervisor holds the lock.
 */
export async function reconcileSchedules(
  ctx: RuntimeContext,
  queue: Queue,
  desired: Map<string, DesiredSchedule>,
  opts: { lockMs?: number } = {},
): Promise<ReconcileResult | null> {
  const lockKey = producerKeys(ctx.config.prefix).schedulesLock;
  const token = randomBytes(8).toString('hex');
  const locked = await ctx.redis.set(lockKey, token, 'PX', opts.lockMs ?? 10_000, 'NX');
  if (locked === null) return null;
  try {
    const existing = await queue.getJobSchedulers(0, -1);
    const result: ReconcileResult = { upserted: [], removed: [], failed: [] };
    const seen = new Set<string>();
    for (const s of existing) {
      const want = desired.get(s.key);
      if (!want) {
        await queue.removeJobScheduler(s.key);
        result.removed.push(s.key);
        continue;
      }
      seen.add(s.key);
      const same =
        ('every' in want.repeat ? s.every === want.repeat.every && !s.pattern : s.pattern === want.repeat.pattern && s.tz === want.repeat.tz && !s.every) &&
        JSON.stringify(s.template?.data ?? null) === JSON.stringify(want.data);
      if (!same) await upsert(queue, want, result);
    }
    for (const [id, want] of desired) if (!seen.has(id)) await upsert(queue, want, result);
    return result;
  } finally {
    // Only our own lock: if it expired and another took it, leave theirs.
    await RELEASE_IF_HELD.run(ctx.redis, [lockKey], [token]);
  }
}

async function upsert(queue: Queue, want: DesiredSchedule, result: ReconcileResult): Promise<void> {
  try {
    await queue.upsertJobScheduler(want.id, want.repeat as Omit<RepeatOptions, 'key'>, {
      name: TICK_JOB_NAME,
      data: want.data,
      opts: TICK_JOB_OPTS,
    });
    result.upserted.push(want.id);
  } catch (e) {
    result.failed.push({ id: want.id, error: (e as Error).message });
  }
}

/** When a tick was due: BullMQ names scheduler jobs `repeat:<schedulerId>:<ms>`. */
export function tickFireTime(job: Pick<Job, 'id' | 'timestamp' | 'delay'>): number {
  const ms = Number(job.id?.slice(job.id.lastIndexOf(':') + 1));
  return Number.isFinite(ms) && ms > 0 ? ms : job.timestamp + (job.delay ?? 0);
}

export type TickOutcome = { runId: string } | { skipped: string };

/**
 * Fires one tick: one run at the schedule producer of the live spec. A tick
 * of a pipeline that is no longer deployed, or whose node is no longer a
 * schedule, is skipped (the next reconcile removes its scheduler). The tick's
 * job id is the run's idempotency key, so a tick BullMQ delivers twice (a
 * worker died mid-tick) still starts one run.
 */
export async function fireScheduleTick(
  ctx: RuntimeContext,
  tick: { data: unknown; jobId: string; firedAt: number; iteration: number },
): Promise<TickOutcome> {
  const parsed = TickDataSchema.safeParse(tick.data);
  if (!parsed.success) return { skipped: 'malformed tick' };
  const { pipelineId, producerId } = parsed.data;
  const spec = await getDeployedSpec(ctx, pipelineId);
  if (!spec) return { skipped: 'pipeline not deployed' };
  const producer = spec.producers[producerId];
  if (producer?.source.kind !== 'schedule') return { skipped: 'producer is no longer a schedule' };
  const payload = compilePayloadTemplate(producer.source.payload)({ seq: tick.iteration, now: tick.firedAt });
  const [runId] = await triggerRuns(ctx, { spec, producerId, payloads: [payload], idempotencyKey: `schedule:${tick.jobId}` });
  return { runId: runId! };
}
