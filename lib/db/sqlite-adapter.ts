import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery } from '@prisma/driver-adapter-utils';
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
 * wrapped. The shadow database (`:memory:`, where the schema engine replays
 * the migration history to diff against it) gets a fix instead, see below.
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
    connectToShadowDb: async () => acceptScriptsInExecuteRaw(await inner.connectToShadowDb()),
  };
}

/**
 * The WebAssembly engine replays each migration file on the shadow database
 * with one executeRaw call, but better-sqlite3's prepare() takes a single
 * statement and throws "The supplied SQL string contains more than one
 * statement" (applying to the real database goes through executeScript and
 * is fine). A parameterless statement that better-sqlite3 refuses for that
 * reason is run as a script instead; its row count is not meaningful there.
 */
function acceptScriptsInExecuteRaw(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query: SqlQuery): Promise<number> => {
    try {
      return await executeRaw(query);
    } catch (err) {
      if (query.args.length > 0 || !(err instanceof RangeError) || !/more than one statement/.test(err.message)) throw err;
      await adapter.executeScript(query.sql);
      return 0;
    }
  };
  return adapter;
}
