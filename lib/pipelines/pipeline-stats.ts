import type { RuntimeContext } from '../runtime/context';
import { getDeployedSpec } from '../runtime/deploy';
import { listWorkers } from '../runtime/workers';
import { readPipelineStats, type PipelineStats } from '../stats/read-stats';

/**
 * Stats of one pipeline, computed at most once per `maxAgeMs` however many
 * browsers watch it: every SSE stream of a pipeline shares one read.
 */
const cache = new Map<string, { at: number; value: Promise<PipelineStats> }>();

export async function pipelineStats(pipelineId: string, runtime: RuntimeContext, maxAgeMs = 900): Promise<PipelineStats> {
  const hit = cache.get(pipelineId);
  if (hit && Date.now() - hit.at < maxAgeMs) return hit.value;
  const value = compute(pipelineId, runtime);
  cache.set(pipelineId, { at: Date.now(), value });
  value.catch(() => cache.delete(pipelineId));
  if (cache.size > 1000) for (const [k, v] of cache) if (Date.now() - v.at > 60_000) cache.delete(k);
  return value;
}

async function compute(pipelineId: string, runtime: RuntimeContext): Promise<PipelineStats> {
  const spec = await getDeployedSpec(runtime, pipelineId);
  if (spec) return readPipelineStats(runtime, spec);
  return { at: new Date().toISOString(), nodes: {}, workers: await listWorkers(runtime) };
}
