import path from 'node:path';
import { z } from 'zod';

/**
 * The one place that reads process.env. Both the app and the workers call
 * loadEnv() at start; a bad value stops start-up with a message naming it.
 */
const bool = z
  .enum(['0', '1', 'true', 'false', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** Folder for the SQLite file, the local Redis data dir and the generated secret. */
  DATA_DIR: z.string().default('./data'),
  /** file:<path> (SQLite, default) or postgresql://... */
  DATABASE_URL: z.string().optional(),
  /** redis://host:port/db. When unset, `npm start` starts a local redis-server and sets it. */
  REDIS_URL: z.string().url().optional(),
  /** Prefix for every Redis key Conveyor writes, so several installs can share one Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]{1,32}$/i, 'letters, digits, _ and - only')
    .default('cv'),
  /** Secret for cookies and at-rest encryption; generated into DATA_DIR when unset. */
  SESSION_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: z.string().min(8, 'at least 8 characters').optional(),
  METRICS_PUBLIC: bool,
  /** Seconds of per-second stats buckets kept in Redis. */
  STATS_WINDOW_SEC: z.coerce.number().int().min(60).max(86400).default(900),
  /** How long run records stay in Redis; older finished runs are read from run history (RUN_HISTORY_DAYS). */
  RUN_RETENTION_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24),
  /** How long run history stays in the SQL database (GET /pipelines/:id/runs, and GET /runs/:id once Redis forgot the run). */
  RUN_HISTORY_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  /** Worker process identity shown on the dashboard; defaults to host:pid. */
  WORKER_NAME: z.string().optional(),
  /** Whether cookies get the Secure flag (set when served over HTTPS). */
  COOKIE_SECURE: bool,
  /** Worker processes `npm start` runs beside the app (0: run workers elsewhere). */
  WORKER_PROCESSES: z.coerce.number().int().min(0).max(64).default(1),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type Env = z.infer<typeof EnvSchema> & { DATABASE_URL: string; DATA_DIR: string };

let cached: Env | undefined;

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new EnvError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = result.data;
  const dataDir = path.resolve(env.DATA_DIR);
  return {
    ...env,
    DATA_DIR: dataDir,
    DATABASE_URL: env.DATABASE_URL ?? `file:${path.join(dataDir, 'conveyor.db')}`,
  };
}

/** Parsed once per process. */
export function loadEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Tests and the start script change the environment before loading; this forgets the parse. */
export function resetEnvForTests(): void {
  cached = undefined;
}

/** Integration tests point a process at their own data folder and key prefix. */
export function setEnvForTests(vars: Record<string, string>): Env {
  Object.assign(process.env, vars);
  cached = undefined;
  return loadEnv();
}
