import { Redis, type RedisOptions } from 'ioredis';

/**
 * Connections. BullMQ workers and subscribers need maxRetriesPerRequest: null
 * (they block); request-path connections fail fast instead, so an HTTP request
 * never hangs on a Redis that is gone.
 */
export type ConnectionRole = 'request' | 'blocking';

export function createRedis(url: string, role: ConnectionRole, extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    lazyConnect: false,
    enableReadyCheck: true,
    connectionName: `conveyor-${role}`,
    ...(role === 'blocking'
      ? { maxRetriesPerRequest: null }
      : { maxRetriesPerRequest: 1, connectTimeout: 5000 }),
    ...extra,
  });
}

export type { Redis };
