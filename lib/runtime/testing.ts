import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { loadEnv } from '../env';
import { compileGraph, type CompiledSpec } from '../pipeline/compile';
import type { ConsumerData, Graph, PipelineEdge, PipelineNode, QueueData, Task } from '../pipeline/schema';
import { parseGraph, validateGraph } from '../pipeline/validate-graph';

/**
 * Helpers for integration tests against the real Redis (REDIS_URL, else the
 * local one). Each test file uses its own REDIS_PREFIX and deletes its keys.
 * Not imported by production code.
 */
export const testRedisUrl = (): string => loadEnv().REDIS_URL ?? 'redis://127.0.0.1:6379';

export const testPrefix = (): string => `cvtest-${randomBytes(5).toString('hex')}`;

/** Deletes every key under `prefix:` (BullMQ's included: they live under `prefix:q:`). */
export async function deletePrefix(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl);
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

// ---- graphs ---------------------------------------------------------------------

const pos = { x: 0, y: 0 };

export const httpProducer = (id: string): PipelineNode => ({
  id,
  type: 'producer',
  position: pos,
  data: { label: id, source: { kind: 'http' } },
});

export const queueNode = (id: string, data: Omit<QueueData, 'label'> = {}): PipelineNode => ({
  id,
  type: 'queue',
  position: pos,
  data: { label: id, ...data },
});

export const consumerNode = (id: string, task: Task, extra: Omit<ConsumerData, 'label' | 'task'> = {}): PipelineNode => ({
  id,
  type: 'consumer',
  position: pos,
  data: { label: id, task, ...extra },
});

export const edge = (source: string, target: string): PipelineEdge => ({ id: `${source}-${target}`, source, target });

/** Compiles a graph after checking it against the real validation rules, so a test never runs an invalid pipeline. */
export function specOf(graph: Pick<Graph, 'nodes' | 'edges'>, pipelineId: string, version = 1): CompiledSpec {
  const parsed = parseGraph(graph);
  if (!parsed.ok) throw new Error(`test graph does not parse: ${JSON.stringify(parsed.issues)}`);
  const issues = validateGraph(parsed.graph);
  if (issues.length) throw new Error(`test graph is invalid: ${JSON.stringify(issues)}`);
  return compileGraph(parsed.graph, pipelineId, version);
}

export const testPipelineId = (): string => `p${randomBytes(4).toString('hex')}`;

/** Polls `check` until it returns a truthy value or `timeoutMs` passes (then throws with `what`). */
export async function eventually<T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
