import { randomBytes } from 'node:crypto';
import type { RuntimeContext } from '../context';
import { GEN_ACQUIRE, GEN_COMMIT, GEN_START, GEN_STOP, RELEASE_IF_HELD } from './generator-scripts';
import { generatorMember, parseGeneratorMember, producerKeys } from './keys';

/**
 * A generator's progress in Redis, shared by the app (start, stop, status)
 * and the workers (lease, commit). Layout and atomic steps: ./generator-scripts.ts.
 *
 * Must not import ../deploy (deploy.ts imports this file to stop generators on undeploy).
 */
export type GeneratorState = 'idle' | 'running' | 'stopped' | 'done';

export interface GeneratorStatus {
  state: GeneratorState;
  /** Messages triggered by the current (or last) start. */
  sent: number;
  count: number;
  ratePerSec: number;
  startedAt?: string;
  finishedAt?: string;
  /** Worker process driving it, while one holds the lease. */
  worker?: string;
  /** Why a stopped generator stopped: `stopped by request`, `pipeline undeployed`, ... */
  reason?: string;
}

export const STOP_REASONS = {
  request: 'stopped by request',
  undeployed: 'pipeline undeployed',
  removed: 'the node is no longer a generator in the deployed version',
} as const;

function keysOf(ctx: RuntimeContext, pipelineId: string, nodeId: string) {
  const k = producerKeys(ctx.config.prefix);
  return {
    member: generatorMember(pipelineId, nodeId),
    scriptKeys: [k.generator(pipelineId, nodeId), k.generatorLease(pipelineId, nodeId), k.generatorsRunning],
    channel: k.generatorsChannel,
  };
}

/** Starts a generator unless it is running; announces it so a worker takes it within a tick. */
export async function startGeneratorState(
  ctx: RuntimeContext,
  pipelineId: string,
  nodeId: string,
  settings: { count: number; ratePerSec: number },
  now = Date.now(),
): Promise<'started' | 'already_running'> {
  const k = keysOf(ctx, pipelineId, nodeId);
  const startId = randomBytes(8).toString('hex');
  const started = await GEN_START.run(ctx.redis, k.scriptKeys, [k.member, startId, settings.count, settings.ratePerSec, now]);
  if (Number(started) !== 1) return 'already_running';
  await ctx.redis.publish(k.channel, k.member);
  return 'started';
}

/** Stops a running generator (its worker notices within a tick). False when it was not running. */
export async function stopGeneratorState(
  ctx: RuntimeContext,
  pipelineId: string,
  nodeId: string,
  reason: string,
  now = Date.now(),
): Promise<boolean> {
  const k = keysOf(ctx, pipelineId, nodeId);
  const stopped = await GEN_STOP.run(ctx.redis, k.scriptKeys, [k.member, now, reason, ctx.config.runRetentionSec]);
  return Number(stopped) === 1;
}

/** Members (`pipelineId/nodeId`) of every running generator. */
export function listRunningGenerators(ctx: RuntimeContext): Promise<string[]> {
  return ctx.redis.smembers(producerKeys(ctx.config.prefix).generatorsRunning);
}

/** Stops every running generator of a pipeline (on undeploy). Returns how many it stopped. */
export async function stopPipelineGenerators(ctx: RuntimeContext, pipelineId: string, reason: string = STOP_REASONS.undeployed): Promise<number> {
  const members = await listRunningGenerators(ctx);
  let stopped = 0;
  for (const m of members) {
    const parsed = parseGeneratorMember(m);
    if (parsed?.pipelineId !== pipelineId) continue;
    if (await stopGeneratorState(ctx, pipelineId, parsed.nodeId, reason)) stopped++;
  }
  return stopped;
}

const iso = (ms: string | undefined) => (ms ? new Date(Number(ms)).toISOString() : undefined);

function toStatus(h: Record<string, string>, leaseHeld: boolean, defaults: { count: number; ratePerSec: number }): GeneratorStatus {
  const state = h.state === 'running' || h.state === 'stopped' || h.state === 'done' ? h.state : 'idle';
  if (state === 'idle') return { state, sent: 0, count: defaults.count, ratePerSec: defaults.ratePerSec };
  const status: GeneratorStatus = {
    state,
    sent: Number(h.sent ?? 0),
    count: Number(h.count ?? defaults.count),
    ratePerSec: Number(h.ratePerSec ?? defaults.ratePerSec),
  };
  const startedAt = iso(h.startedAt);
  const finishedAt = iso(h.finishedAt);
  if (startedAt) status.startedAt = startedAt;
  if (finishedAt) status.finishedAt = finishedAt;
  if (state === 'running' && leaseHeld && h.worker) status.worker = h.worker;
  if (state === 'stopped' && h.reason) status.reason = h.reason;
  return status;
}

/**
 * Status of several generators of one pipeline in one round trip; `defaults`
 * (the node's ratePerSec and count) fill in for one never started.
 */
export async function readGeneratorStatuses(
  ctx: RuntimeContext,
  pipelineId: string,
  nodes: ReadonlyArray<{ nodeId: string; count: number; ratePerSec: number }>,
): Promise<Record<string, GeneratorStatus>> {
  if (nodes.length === 0) return {};
  const k = producerKeys(ctx.config.prefix);
  const pipe = ctx.redis.pipeline();
  for (const n of nodes) {
    pipe.hgetall(k.generator(pipelineId, n.nodeId));
    pipe.exists(k.generatorLease(pipelineId, n.nodeId));
  }
  const results = (await pipe.exec()) ?? [];
  const failed = results.find(([err]) => err);
  if (failed) throw failed[0];
  const out: Record<string, GeneratorStatus> = {};
  nodes.forEach((n, i) => {
    const h = (results[2 * i]?.[1] ?? {}) as Record<string, string>;
    const held = Number(results[2 * i + 1]?.[1] ?? 0) === 1;
    out[n.nodeId] = toStatus(h, held, n);
  });
  return out;
}

export async function readGeneratorStatus(
  ctx: RuntimeContext,
  pipelineId: string,
  node: { nodeId: string; count: number; ratePerSec: number },
): Promise<GeneratorStatus> {
  return (await readGeneratorStatuses(ctx, pipelineId, [node]))[node.nodeId]!;
}

// ---- the worker side: lease and progress ---------------------------------------

export interface GeneratorLease {
  pipelineId: string;
  nodeId: string;
  member: string;
  token: string;
  startId: string;
  sent: number;
  count: number;
  ratePerSec: number;
}

export type AcquireResult = { outcome: 'ok'; lease: GeneratorLease } | { outcome: 'held' | 'idle' };

/** Takes the lease of a running generator nobody holds. */
export async function acquireGenerator(
  ctx: RuntimeContext,
  member: string,
  workerId: string,
  ttlMs: number,
): Promise<AcquireResult> {
  const parsed = parseGeneratorMember(member);
  if (!parsed) {
    await ctx.redis.srem(producerKeys(ctx.config.prefix).generatorsRunning, member);
    return { outcome: 'idle' };
  }
  const k = keysOf(ctx, parsed.pipelineId, parsed.nodeId);
  const token = `${randomBytes(8).toString('hex')}`;
  const r = (await GEN_ACQUIRE.run(ctx.redis, k.scriptKeys, [member, token, ttlMs, workerId])) as string[];
  if (r[0] !== 'ok') return { outcome: r[0] === 'held' ? 'held' : 'idle' };
  return {
    outcome: 'ok',
    lease: {
      ...parsed,
      member,
      token,
      startId: r[1]!,
      sent: Number(r[2]),
      count: Number(r[3]),
      ratePerSec: Number(r[4]),
    },
  };
}

export type CommitOutcome = 'running' | 'done' | 'stopped' | 'gone' | 'lost';

/** Counts `n` messages just triggered (0: only renews the lease); returns the authoritative total. */
export async function commitGenerator(
  ctx: RuntimeContext,
  lease: GeneratorLease,
  n: number,
  ttlMs: number,
  now = Date.now(),
): Promise<{ outcome: CommitOutcome; sent: number }> {
  const k = keysOf(ctx, lease.pipelineId, lease.nodeId);
  const r = (await GEN_COMMIT.run(ctx.redis, k.scriptKeys, [
    lease.member,
    lease.token,
    lease.startId,
    n,
    now,
    ttlMs,
    ctx.config.runRetentionSec,
  ])) as string[];
  return { outcome: r[0] as CommitOutcome, sent: Number(r[1]) };
}

/** Lets go of the lease (graceful stop) and tells the other workers, so one takes over at once. */
export async function releaseGenerator(ctx: RuntimeContext, lease: GeneratorLease): Promise<void> {
  const k = keysOf(ctx, lease.pipelineId, lease.nodeId);
  await RELEASE_IF_HELD.run(ctx.redis, [k.scriptKeys[1]!], [lease.token]);
  await ctx.redis.publish(k.channel, lease.member);
}
