import fs from 'node:fs';
import path from 'node:path';

/** A DATABASE_URL we cannot use; start-up stops with this message. */
export class DatabaseConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseConfigError';
  }
}

export type DatabaseTarget =
  | { provider: 'sqlite'; /** absolute file path, or ':memory:' */ file: string }
  | { provider: 'postgresql'; url: string };

/**
 * Reads DATABASE_URL: `file:<path>` (absolute, or relative to the working
 * directory, which is the project root for all our entry points), `file://`
 * URLs, or `postgresql://` / `postgres://`. Query strings on file URLs
 * (Prisma's old `?connection_limit=` and the like) are ignored.
 */
export function parseDatabaseUrl(databaseUrl: string): DatabaseTarget {
  const url = databaseUrl.trim();
  if (/^postgres(ql)?:\/\//i.test(url)) return { provider: 'postgresql', url };
  if (!/^file:/i.test(url)) {
    throw new DatabaseConfigError(
      `DATABASE_URL must start with file: (SQLite) or postgresql:// (got "${redact(url)}").`,
    );
  }
  let rest = url.slice('file:'.length).replace(/[?#].*$/, '');
  if (rest.startsWith('//')) {
    // file:///abs/path or file://localhost/abs/path
    rest = decodeURIComponent(rest.replace(/^\/\/(localhost)?/, ''));
  }
  if (rest === '') throw new DatabaseConfigError('DATABASE_URL file: has no path.');
  if (rest === ':memory:') return { provider: 'sqlite', file: rest };
  return { provider: 'sqlite', file: path.resolve(rest) };
}

/** better-sqlite3 does not create missing folders: make the file's parent. */
export function ensureSqliteParentDir(file: string): void {
  if (file === ':memory:') return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
}

/** PostgreSQL is a later issue: the message says what is missing instead of failing deep inside Prisma. */
export function unsupportedPostgres(): DatabaseConfigError {
  return new DatabaseConfigError(
    'DATABASE_URL points at PostgreSQL, which this build does not support yet: it needs the ' +
      '@prisma/adapter-pg driver adapter and a PostgreSQL-provider Prisma schema and migrations. ' +
      'Use a file: URL (SQLite) for now, or leave DATABASE_URL unset for <DATA_DIR>/conveyor.db.',
  );
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
