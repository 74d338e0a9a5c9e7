import { createHash } from 'node:crypto';

/**
 * Every Redis key and channel Conveyor uses outside BullMQ's own, in one place.
 * `prefix` is REDIS_PREFIX, so several installs can share one Redis.
 */
export function redisKeys(prefix: string) {
  return {
    /** BullMQ's key prefix; queue names carry their own hash tag. */
    bullPrefix: `${prefix}:q`,
    /** hash pipelineId -> deployed version number */
    deployed: `${prefix}:deployed`,
    /** string: JSON CompiledSpec of one version (immutable once written) */
    spec: (pipelineId: string, version: number) => `${prefix}:spec:${pipelineId}:${version}`,
    /** pub/sub channel: a pipeline was deployed or undeployed (message: pipelineId) */
    deploysChannel: `${prefix}:deploys`,
    /** zset workerId -> last heartbeat (ms) */
    workers: `${prefix}:workers`,
    /** hash: id, host, pid, startedAt, lastSeenAt */
    worker: (workerId: string) => `${prefix}:worker:${workerId}`,
    /** hash: the run record, TTL = RUN_RETENTION_HOURS (fields in lib/runtime/run-scripts.ts) */
    run: (runId: string) => `${prefix}:run:${runId}`,
    /**
     * stream: hand-over of finished runs to the SQL run history, one entry `{ run: runId }` added by the
     * run-finishing script; read by lib/runs/ through consumer group `history`, acked and deleted once written.
     */
    runsFinished: `${prefix}:runs:finished`,
    /** pub/sub channel: a run completed or failed (message: runId), published once per run */
    runDoneChannel: `${prefix}:run-done`,
    /** string: runId first created for an Idempotency-Key */
    idempotency: (pipelineId: string, key: string) =>
      `${prefix}:idem:${pipelineId}:${createHash('sha256').update(key).digest('base64url')}`,
    /** hash: counters since deploy, fields `<nodeId>|<metric>`, `<nodeId>|w|<workerId>|<metric>`, `_since` (see lib/stats/fields.ts) */
    statsTotals: (pipelineId: string) => `${prefix}:stats:${pipelineId}:totals`,
    /** hash: one second of counters and histogram buckets, fields `<nodeId>|<metric>`, `<nodeId>|svc|<bucket>`, `<nodeId>|wait|<bucket>`; EXPIRE = STATS_WINDOW_SEC */
    statsSecond: (pipelineId: string, epochSec: number) => `${prefix}:stats:${pipelineId}:s:${epochSec}`,
  };
}
export type RedisKeys = ReturnType<typeof redisKeys>;
