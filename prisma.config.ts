import { defineConfig } from 'prisma/config';
import { loadEnv } from './lib/env';

/**
 * Prisma 7's CLI configuration. Our own tooling does not need it (generate
 * reads the schema, lib/db/migrate.ts drives the WebAssembly engine); it is
 * here so the standard commands (`prisma migrate deploy|status`, `prisma
 * studio`) work unchanged wherever Prisma's native schema engine is available.
 */
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: databaseUrl() },
});

/**
 * The same DATABASE_URL the app uses (default <DATA_DIR>/conveyor.db). An
 * invalid environment must not break `prisma generate`, which runs on every
 * `npm install` and needs no database: the app reports it at start instead.
 */
function databaseUrl(): string | undefined {
  try {
    return loadEnv().DATABASE_URL;
  } catch {
    return undefined;
  }
}
