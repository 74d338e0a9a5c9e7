import type { CompiledSpec } from '../pipeline/compile';
import { SINCE_FIELD } from '../stats/fields';
import type { RuntimeContext } from './context';
import { LuaScript } from './lua';
import { stopPipelineGenerators } from './producers/generator-state';

/**
 * Deployed specs in Redis. A version's spec is written once and never
 * changed or deleted, so jobs enqueued under it can finish on it however
 * many redeploys happen meanwhile; `deployed` says which version is live.
 */

/**
 * Publishes `spec` as the live version of its pipeline, in one atomic step:
 * writes the spec, points `deployed` at it, resets the pipeline's stats
 * totals ("counters are totals since deploy") and tells the workers. A
 * version older than the one deployed is written but not made live (two
 * deploys racing must not leave the older one live): returns false then.
 */
const PUBLISH = new LuaScript(
  `
redis.call('SET', KEYS[1], ARGV[1])
local current = tonumber(redis.call('HGET', KEYS[2], ARGV[2]) or '0')
if current and current > tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('DEL', KEYS[3])
redis.call('HSET', KEYS[3], ARGV[4], ARGV[5])
redis.call('PUBLISH', ARGV[6], ARGV[2])
return 1
`,
  3,
);

export async function publishSpec(ctx: RuntimeContext, spec: CompiledSpec): Promise<boolean> {
  const { keys } = ctx;
  const pid = spec.pipelineId;
  const live = await PUBLISH.run(
    ctx.redis,
    [keys.spec(pid, spec.version), keys.deployed, keys.statsTotals(pid)],
    [JSON.stringify(spec), pid, spec.version, SINCE_FIELD, Date.now(), keys.deploysChannel],
  );
  ctx.specs.remember(spec);
  return Number(live) === 1;
}

/**
 * Takes the pipeline out of `deployed`; workers close its consumers and
 * remove its job schedulers within a second. Its running generators are
 * stopped here, so their status says so even when no worker is running.
 */
export async function unpublishSpec(ctx: RuntimeContext, pipelineId: string): Promise<void> {
  const results = await ctx.redis.multi().hdel(ctx.keys.deployed, pipelineId).publish(ctx.keys.deploysChannel, pipelineId).exec();
  throwFirstError(results);
  await stopPipelineGenerators(ctx, pipelineId);
}

export async function getDeployedVersion(ctx: RuntimeContext, pipelineId: string): Promise<number | null> {
  const v = await ctx.redis.hget(ctx.keys.deployed, pipelineId);
  return v === null ? null : Number(v);
}

/** The live spec of a pipeline, or null when it is not deployed. */
export async function getDeployedSpec(ctx: RuntimeContext, pipelineId: string): Promise<CompiledSpec | null> {
  const v = await getDeployedVersion(ctx, pipelineId);
  return v === null ? null : getSpec(ctx, pipelineId, v);
}

/** One version's spec (cached: versions are immutable), or null if it was never published. */
export function getSpec(ctx: RuntimeContext, pipelineId: string, version: number): Promise<CompiledSpec | null> {
  return ctx.specs.get(pipelineId, version);
}

/** Every deployed pipeline and its live version. */
export async function listDeployed(ctx: RuntimeContext): Promise<Map<string, number>> {
  const all = await ctx.redis.hgetall(ctx.keys.deployed);
  return new Map(
    Object.entries(all)
      .map(([pid, v]) => [pid, Number(v)] as const)
      .filter(([, v]) => Number.isInteger(v) && v > 0),
  );
}

function throwFirstError(results: Array<[Error | null, unknown]> | null): void {
  if (!results) throw new Error('the Redis transaction was aborted');
  const failed = results.find(([err]) => err);
  if (failed) throw failed[0];
}
