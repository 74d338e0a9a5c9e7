import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setEnvForTests } from '../env';
import { deletePrefix, testRedisUrl } from '../runtime/testing';

/**
 * Integration tests run against the machine's real Redis and a real SQLite
 * file. Each test file gets its own data folder and Redis key prefix, and
 * removes both afterwards.
 */

export function setupIntEnv(name: string) {
  const dataDir = mkdtempSync(path.join(tmpdir(), `conveyor-${name}-`));
  const prefix = `cvtest-${name}-${Math.random().toString(36).slice(2, 8)}`;
  const redisUrl = testRedisUrl();
  const env = setEnvForTests({
    DATA_DIR: dataDir,
    DATABASE_URL: `file:${path.join(dataDir, 'test.db')}`,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'error',
  });
  return {
    dataDir,
    prefix,
    databaseUrl: env.DATABASE_URL,
    async cleanup() {
      await deletePrefix(redisUrl, prefix);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
