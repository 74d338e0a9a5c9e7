import fs from 'node:fs/promises';
import path from 'node:path';
import type { SchemaFilter } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { parseDatabaseUrl, unsupportedPostgres } from './database-url';
import { LOCKFILE, lockfileContent, migrationFolderName, projectPaths, readMigrationList } from './migrations-folder';
import { withSchemaEngine } from './schema-engine';
import { createSqliteAdapterFactory } from './sqlite-adapter';

/**
 * Migrations without Prisma's native schema engine: the WebAssembly engine
 * applies and diffs them through the better-sqlite3 driver adapter, and
 * records them in Prisma's own `_prisma_migrations` table, so the same
 * folders and table work with `prisma migrate deploy` where the native engine
 * exists.
 */

export interface MigrateOptions {
  /** Folder holding prisma/schema.prisma and prisma/migrations; default process.cwd(). */
  projectRoot?: string;
}

const NO_FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };

/**
 * Applies the folders of prisma/migrations that the database has not
 * recorded yet, in name order; creates the SQLite file and its folder when
 * missing. Idempotent: with nothing pending it applies nothing.
 */
export async function applyMigrations(
  databaseUrl: string,
  options: MigrateOptions = {},
): Promise<{ applied: string[] }> {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.provider !== 'sqlite') throw unsupportedPostgres();
  const { schemaPath, migrationsDir } = projectPaths(options.projectRoot);
  const migrationsList = await readMigrationList(migrationsDir);
  if (migrationsList.migrationDirectories.length === 0) {
    throw new Error(`No migrations found in ${migrationsDir} (is the working directory the project root?).`);
  }
  const schema = { path: schemaPath, content: await fs.readFile(schemaPath, 'utf8') };
  try {
    const { appliedMigrationNames } = await withSchemaEngine(
      { schema, adapterFactory: createSqliteAdapterFactory(target.file) },
      (engine) => engine.applyMigrations({ migrationsList, filters: NO_FILTERS }),
    );
    return { applied: appliedMigrationNames };
  } catch (err) {
    // The engine's message often names neither the database nor the folder.
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`Applying ${migrationsDir} to ${target.file} failed: ${message}`, { cause: err });
  }
}

export type CreatedMigration = { folder: string; file: string; sql: string };

/**
 * Writes the next migration: the SQL that takes a database from the current
 * migration history to prisma/schema.prisma (computed on an in-memory shadow
 * database, so no DATABASE_URL is needed). Returns null, writing nothing,
 * when the schema has no changes.
 */
export async function createMigration(
  name: string,
  options: MigrateOptions & { now?: Date } = {},
): Promise<CreatedMigration | null> {
  const { schemaPath, migrationsDir } = projectPaths(options.projectRoot);
  const folder = migrationFolderName(name, options.now);
  const content = await fs.readFile(schemaPath, 'utf8');
  const migrationsList = await readMigrationList(migrationsDir);
  const hasHistory = migrationsList.migrationDirectories.length > 0;

  const result = await withSchemaEngine(
    { schema: { path: schemaPath, content }, adapterFactory: createSqliteAdapterFactory(':memory:') },
    (engine) =>
      engine.diff({
        from: hasHistory ? { tag: 'migrations', ...migrationsList } : { tag: 'empty' },
        to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content }] },
        script: true,
        exitCode: true,
        filters: NO_FILTERS,
      }),
  );
  // exitCode 2 = non-empty diff (the CLI's --exit-code convention).
  if (result.exitCode !== 2) return null;
  const sql = result.stdout ?? '';

  const folderPath = path.join(migrationsDir, folder);
  await fs.mkdir(migrationsDir, { recursive: true });
  await fs.mkdir(folderPath).catch((err: NodeJS.ErrnoException) => {
    throw err.code === 'EEXIST' ? new Error(`Migration folder ${folderPath} already exists.`) : err;
  });
  const file = path.join(folderPath, 'migration.sql');
  await fs.writeFile(file, sql);
  const lockPath = path.join(migrationsDir, LOCKFILE);
  await fs.writeFile(lockPath, lockfileContent('sqlite'), { flag: 'wx' }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
  return { folder, file, sql };
}
