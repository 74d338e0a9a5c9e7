import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';

/**
 * Integration tests run against the machine's real Redis and a real SQLite
 * file. Each test file gets its own data folder and Redis key prefix, and
 * removes both afterwards.
 */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function setupIntEnv(name: string) {
  const dataDir = mkdtempSync(path.join(tmpdir(), `conveyor-${name}-`));
  const prefix = `cvtest-${name}-${Math.random().toString(36).slice(2, 8)}`;
  process.env.DATA_DIR = dataDir;
  process.env.DATABASE_URL = `file:${path.join(dataDir, 'test.db')}`;
  process.env.REDIS_URL = TEST_REDIS_URL;
  process.env.REDIS_PREFIX = prefix;
  process.env.LOG_LEVEL = 'error';
  return {
    dataDir,
    prefix,
    databaseUrl: process.env.DATABASE_URL,
    async cleanup() {
      await deleteKeys(TEST_REDIS_URL, `${prefix}:*`);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function deleteKeys(url: string, pattern: string): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
