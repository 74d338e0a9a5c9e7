import type { Db } from '../db';
import { pipelineStats } from '../pipelines/pipeline-stats';
import type { RuntimeContext } from '../runtime/context';
import { getSpec, listDeployed } from '../runtime/deploy';
import { listWorkers } from '../runtime/workers';
import type { NodeKind } from '../stats/aggregate';
import type { MetricsSnapshot, NodeSample } from './apply-snapshot';

/** Pipelines whose stats are read at once; each read is ~61 pipelined HGETALLs plus a job-count call per queue. */
const CONCURRENT_PIPELINES = 8;

/**
 * Everything a scrape reports, read from Redis (deployed specs, stats,
 * BullMQ job counts, worker heartbeats) plus the pipeline names, in one SQL
 * query for all pipelines. Stats come through pipelineStats, so a scrape and
 * the dashboards watching a pipeline share one read per second.
 */
export async function readMetricsSnapshot({ db, runtime }: { db: Db; runtime: RuntimeContext }): Promise<MetricsSnapshot> {
  const [deployed, workers] = await Promise.all([listDeployed(runtime), listWorkers(runtime)]);
  const ids = [...deployed.keys()];
  const [rows, perPipeline] = await Promise.all([
    ids.length ? db.pipeline.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }) : [],
    mapLimit(ids, CONCURRENT_PIPELINES, (id) => readPipelineNodes(runtime, id, deployed.get(id)!)),
  ]);
  const names = new Map(rows.map((r) => [r.id, r.name]));

  const nodes: NodeSample[] = [];
  for (const [i, pipelineId] of ids.entries()) {
    for (const { nodeId, kind, stats } of perPipeline[i]!) {
      nodes.push({
        // A pipeline deleted from the database but still in Redis (mid-delete) keeps its series, unnamed.
        labels: { pipeline_id: pipelineId, pipeline: names.get(pipelineId) ?? '', node_id: nodeId, node_type: kind },
        stats,
      });
    }
  }
  return { pipelinesDeployed: ids.length, workers: workers.length, nodes };
}

async function readPipelineNodes(runtime: RuntimeContext, pipelineId: string, version: number) {
  // Specs are immutable and cached per version, so this is a Redis read only the first time.
  const [spec, stats] = await Promise.all([getSpec(runtime, pipelineId, version), pipelineStats(pipelineId, runtime)]);
  if (!spec) return [];
  const kinds = new Map<string, NodeKind>([
    ...Object.keys(spec.producers).map((id) => [id, 'producer'] as const),
    ...Object.keys(spec.queues).map((id) => [id, 'queue'] as const),
    ...Object.keys(spec.consumers).map((id) => [id, 'consumer'] as const),
  ]);
  // A redeploy between the two reads can leave a node in one but not the other; it shows from the next scrape.
  return Object.entries(stats.nodes).flatMap(([nodeId, s]) => {
    const kind = kinds.get(nodeId);
    return kind ? [{ nodeId, kind, stats: s }] : [];
  });
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
