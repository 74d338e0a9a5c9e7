import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { ensureSqliteParentDir } from './database-url';

/** How long a writer waits for another process's lock before SQLITE_BUSY (app, scripts and migrate share the file). */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * Per-connection settings a server wants. WAL lets readers run while one
 * writer commits (and is stored in the file, so it sticks); NORMAL sync is
 * safe with WAL and much faster than FULL; foreign keys make onDelete:
 * Cascade real (better-sqlite3 enables them by default; this says so).
 */
const CONNECTION_PRAGMAS = [
  `PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS};`,
  'PRAGMA journal_mode = WAL;',
  'PRAGMA synchronous = NORMAL;',
  'PRAGMA foreign_keys = ON;',
].join('\n');

/**
 * Prisma's better-sqlite3 adapter factory, with our pragmas run on every
 * connection it opens. The adapter has no hook for this, so connect() is
 * wrapped; the shadow database (`:memory:`, used by the schema engine's
 * diff) is left as the adapter makes it.
 */
export function createSqliteAdapterFactory(file: string): SqlMigrationAwareDriverAdapterFactory {
  ensureSqliteParentDir(file);
  const inner = new PrismaBetterSqlite3({ url: file, timeout: BUSY_TIMEOUT_MS });
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    async connect(): Promise<SqlDriverAdapter> {
      const adapter = await inner.connect();
      if (file !== ':memory:') await adapter.executeScript(CONNECTION_PRAGMAS);
      return adapter;
    },
    connectToShadowDb: () => inner.connectToShadowDb(),
  };
}
