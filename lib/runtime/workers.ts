import type { WorkerStatus } from '../stats/types';
import type { RuntimeContext } from './context';

/**
 * Worker process heartbeats: zset `keys.workers` (id -> last beat, ms) for
 * "who is alive", hash `keys.worker(id)` for what the dashboard shows.
 * A worker counts as live when it beat within WORKER_LIVE_MS.
 */
export const WORKER_LIVE_MS = 5000;
/** The hash outlives a missed beat or two, then expires on its own if the process died. */
const WORKER_HASH_TTL_SEC = 60;
/** Entries of dead workers are pruned from the zset after this long. */
const PRUNE_AFTER_MS = 3600_000;

export interface WorkerIdentity {
  id: string;
  host: string;
  pid: number;
  startedAt: number;
}

export async function writeHeartbeat(ctx: RuntimeContext, w: WorkerIdentity, now = Date.now()): Promise<void> {
  const key = ctx.keys.worker(w.id);
  await ctx.redis
    .multi()
    .zadd(ctx.keys.workers, now, w.id)
    .hset(key, { id: w.id, host: w.host, pid: String(w.pid), startedAt: String(w.startedAt), lastSeenAt: String(now) })
    .expire(key, WORKER_HASH_TTL_SEC)
    .zremrangebyscore(ctx.keys.workers, '-inf', now - PRUNE_AFTER_MS)
    .exec();
}

export async function removeHeartbeat(ctx: RuntimeContext, workerId: string): Promise<void> {
  await ctx.redis.multi().zrem(ctx.keys.workers, workerId).del(ctx.keys.worker(workerId)).exec();
}

/** Worker processes seen in the last WORKER_LIVE_MS, oldest first. */
export async function listWorkers(ctx: RuntimeContext, now = Date.now()): Promise<WorkerStatus[]> {
  const ids = await ctx.redis.zrangebyscore(ctx.keys.workers, now - WORKER_LIVE_MS, '+inf');
  if (ids.length === 0) return [];
  const pipe = ctx.redis.pipeline();
  for (const id of ids) pipe.hgetall(ctx.keys.worker(id));
  const results = (await pipe.exec()) ?? [];
  const iso = (ms: string | undefined) => new Date(Number(ms ?? 0)).toISOString();
  const list: WorkerStatus[] = [];
  results.forEach(([err, value], i) => {
    const h = value as Record<string, string> | null;
    if (err || !h || !h.id) return;
    list.push({ id: ids[i]!, host: h.host ?? '', pid: Number(h.pid ?? 0), startedAt: iso(h.startedAt), lastSeenAt: iso(h.lastSeenAt) });
  });
  return list.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}
