import type { Redis } from 'ioredis';
import type { CompiledSpec } from '../pipeline/compile';
import type { RedisKeys } from './keys';

/**
 * Compiled specs by (pipeline, version). A version is immutable once
 * published, so a spec read once is good forever; only misses go to Redis.
 * Bounded so a long-lived process with many redeploys does not grow forever.
 */
export class SpecCache {
  private readonly specs = new Map<string, CompiledSpec>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly maxEntries = 500,
  ) {}

  async get(pipelineId: string, version: number): Promise<CompiledSpec | null> {
    const id = `${pipelineId}@${version}`;
    const hit = this.specs.get(id);
    if (hit) return hit;
    const raw = await this.redis.get(this.keys.spec(pipelineId, version));
    if (raw === null) return null;
    const spec = parseSpec(raw, pipelineId, version);
    this.specs.set(id, spec);
    if (this.specs.size > this.maxEntries) this.specs.delete(this.specs.keys().next().value!);
    return spec;
  }

  /** Puts a spec just published by this process, saving the read back. */
  remember(spec: CompiledSpec): void {
    this.specs.set(`${spec.pipelineId}@${spec.version}`, spec);
  }
}

/**
 * Specs are written by publishSpec from compileGraph's output; this guards
 * against a key someone edited by hand or a spec from an incompatible release.
 */
export function parseSpec(raw: string, pipelineId: string, version: number): CompiledSpec {
  const spec = JSON.parse(raw) as Partial<CompiledSpec>;
  if (
    spec?.pipelineId !== pipelineId ||
    spec.version !== version ||
    typeof spec.producers !== 'object' ||
    typeof spec.queues !== 'object' ||
    typeof spec.consumers !== 'object'
  ) {
    throw new Error(`The stored spec of pipeline ${pipelineId} version ${version} is not a compiled spec.`);
  }
  return spec as CompiledSpec;
}
