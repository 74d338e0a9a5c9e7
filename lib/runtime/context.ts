import { loadEnv } from '../env';
import { log } from '../log';
import { createRedis, type ConnectionRole, type Redis } from '../redis';
import { StatsRecorder } from '../stats/recorder';
import { redisKeys, type RedisKeys } from './keys';
import { SharedSubscriber } from './pubsub';
import { QueueCache } from './queue-cache';
import { SpecCache } from './spec-cache';

/**
 * Everything the runtime needs to talk to the data plane, built once per
 * process (the app and each worker process): one command connection, one
 * BullMQ Queue per queue name, one subscriber connection (opened on first
 * use), a cache of immutable specs and the process's stats recorder.
 */
export interface RuntimeContext {
  /** Command connection. In the app it fails fast (request role); see createRuntimeContext. */
  redis: Redis;
  keys: RedisKeys;
  queues: QueueCache;
  specs: SpecCache;
  pubsub: SharedSubscriber;
  /** Flushes to Redis once a second; stopped (and flushed) by close(). */
  stats: StatsRecorder;
  config: RuntimeConfig;
  close(): Promise<void>;
}

export interface RuntimeConfig {
  redisUrl: string;
  prefix: string;
  /** STATS_WINDOW_SEC */
  statsWindowSec: number;
  /** RUN_RETENTION_HOURS, in seconds: TTL of run records. */
  runRetentionSec: number;
}

export interface RuntimeOptions {
  /** Defaults to STATS_WINDOW_SEC from the environment. */
  statsWindowSec?: number;
  /** Defaults to RUN_RETENTION_HOURS from the environment. */
  runRetentionHours?: number;
  /** Worker process id, for per-worker stats. Omit in the app. */
  workerId?: string;
  /**
   * 'request' (default, the app): commands fail fast when Redis is gone, so an
   * HTTP request never hangs. 'blocking' (workers): commands wait for the
   * reconnect instead, so a Redis blip does not burn a job's attempts.
   */
  role?: ConnectionRole;
  /** Stats flush period; tests shorten it. */
  statsFlushIntervalMs?: number;
}

export function createRuntimeContext(redisUrl: string, prefix: string, options: RuntimeOptions = {}): RuntimeContext {
  const needsEnv = options.statsWindowSec === undefined || options.runRetentionHours === undefined;
  const env = needsEnv ? loadEnv() : undefined;
  const statsWindowSec = options.statsWindowSec ?? env!.STATS_WINDOW_SEC;
  const runRetentionHours = options.runRetentionHours ?? env!.RUN_RETENTION_HOURS;

  const redis = createRedis(redisUrl, options.role ?? 'request');
  // One warning per outage, not one per reconnect attempt; commands still reject to their callers.
  let down = false;
  redis.on('error', (err: Error) => {
    if (!down) log.warn('redis connection error', { error: err.message });
    down = true;
  });
  redis.on('ready', () => {
    if (down) log.info('redis connection restored');
    down = false;
  });
  const keys = redisKeys(prefix);
  const stats = new StatsRecorder({
    redis,
    keys,
    windowSec: statsWindowSec,
    workerId: options.workerId,
    flushIntervalMs: options.statsFlushIntervalMs,
  });
  stats.start();
  const queues = new QueueCache(redis, keys.bullPrefix);
  const pubsub = new SharedSubscriber(redisUrl);
  let closing: Promise<void> | undefined;

  return {
    redis,
    keys,
    queues,
    specs: new SpecCache(redis, keys),
    pubsub,
    stats,
    config: { redisUrl, prefix, statsWindowSec, runRetentionSec: runRetentionHours * 3600 },
    close() {
      closing ??= (async () => {
        await stats.stop();
        await queues.close();
        await pubsub.close();
        await redis.quit().catch(() => redis.disconnect());
      })();
      return closing;
    },
  };
}
