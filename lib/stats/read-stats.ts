import type { CompiledSpec } from '../pipeline/compile';
import type { RuntimeContext } from '../runtime/context';
import { readGeneratorStatuses } from '../runtime/producers/generator-state';
import { listWorkers } from '../runtime/workers';
import { aggregateNodeStats, WINDOW_SEC, type NodeKind, type RawStats } from './aggregate';
import type { NodeStats, PipelineStats } from './types';

export type { NodeStats, PipelineStats } from './types';

/**
 * The stats body of one deployed pipeline (API.md), from three batched
 * reads done concurrently: the totals hash and the last 61 per-second hashes
 * in one pipeline, BullMQ's job counts of every queue node (one script call
 * each, all in flight together on the shared connection), and the live
 * workers. The semantics of every figure are in ./types.ts.
 */
export async function readPipelineStats(ctx: RuntimeContext, spec: CompiledSpec, now = Date.now()): Promise<PipelineStats> {
  const nowSec = Math.floor(now / 1000);
  const pid = spec.pipelineId;
  const nodes: Array<{ id: string; kind: NodeKind }> = [
    ...Object.keys(spec.producers).map((id) => ({ id, kind: 'producer' as const })),
    ...Object.keys(spec.queues).map((id) => ({ id, kind: 'queue' as const })),
    ...Object.keys(spec.consumers).map((id) => ({ id, kind: 'consumer' as const })),
  ];

  const generatorNodes = Object.values(spec.producers).flatMap((p) =>
    p.source.kind === 'generator' ? [{ nodeId: p.id, count: p.source.count, ratePerSec: p.source.ratePerSec }] : [],
  );
  const [raw, counts, workers, generators] = await Promise.all([
    readRaw(ctx, pid, nowSec),
    Promise.all(
      Object.values(spec.queues).map(async (q) => {
        const queue = ctx.queues.get(q.queueName);
        const [c, paused] = await Promise.all([queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed'), queue.isPaused()]);
        return [q.id, c, paused] as const;
      }),
    ),
    listWorkers(ctx, now),
    readGeneratorStatuses(ctx, pid, generatorNodes),
  ]);

  const stats: Record<string, NodeStats> = aggregateNodeStats(nodes, raw, nowSec);
  for (const [id, c, paused] of counts) {
    const node = stats[id]!;
    node.paused = paused;
    node.waiting = (c.waiting ?? 0) + (c.prioritized ?? 0);
    node.active = c.active ?? 0;
    node.delayed = c.delayed ?? 0;
  }
  for (const [id, g] of Object.entries(generators)) stats[id]!.generator = g;
  return { at: new Date(now).toISOString(), nodes: stats, workers };
}

async function readRaw(ctx: RuntimeContext, pipelineId: string, nowSec: number): Promise<RawStats> {
  const secs: number[] = [];
  for (let s = nowSec - WINDOW_SEC; s <= nowSec; s++) secs.push(s);
  const pipe = ctx.redis.pipeline();
  pipe.hgetall(ctx.keys.statsTotals(pipelineId));
  for (const s of secs) pipe.hgetall(ctx.keys.statsSecond(pipelineId, s));
  const results = (await pipe.exec()) ?? [];
  const failed = results.find(([err]) => err);
  if (failed) throw failed[0];
  const hash = (i: number) => (results[i]?.[1] ?? {}) as Record<string, string>;
  return { totals: hash(0), seconds: secs.map((sec, i) => ({ sec, fields: hash(i + 1) })) };
}
