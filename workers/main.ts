import { EnvError, loadEnv, type Env } from '../lib/env';
import { log } from '../lib/log';
import { WorkerSupervisor } from './supervisor';

/**
 * The worker process: `tsx workers/main.ts` (npm run worker). Needs only
 * REDIS_URL; everything else it needs is in Redis. Start as many as you
 * like, on as many hosts as you like, against the same Redis.
 */
function readEnv(): Env & { REDIS_URL: string } {
  let env: Env;
  try {
    env = loadEnv();
  } catch (e) {
    process.stderr.write(`${e instanceof EnvError ? e.message : String(e)}\n`);
    process.exit(1);
  }
  if (!env.REDIS_URL) {
    process.stderr.write(
      'REDIS_URL is not set: the worker needs it to reach the Redis the app uses (e.g. REDIS_URL=redis://127.0.0.1:6379).\n',
    );
    process.exit(1);
  }
  return env as Env & { REDIS_URL: string };
}

async function main(): Promise<void> {
  const env = readEnv();
  const supervisor = new WorkerSupervisor({
    redisUrl: env.REDIS_URL,
    prefix: env.REDIS_PREFIX,
    workerId: env.WORKER_NAME,
    statsWindowSec: env.STATS_WINDOW_SEC,
    runRetentionHours: env.RUN_RETENTION_HOURS,
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      log.warn('second signal: exiting without waiting for active jobs', { signal });
      process.exit(1);
    }
    stopping = true;
    log.info('shutting down: finishing active jobs', { signal });
    supervisor.stop().then(
      () => process.exit(0),
      (e) => {
        log.error('shutdown failed', { error: String((e as Error)?.stack ?? e) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (reason) => log.error('unhandled rejection', { error: String((reason as Error)?.stack ?? reason) }));

  await supervisor.start();
}

main().catch((e) => {
  log.error('worker failed to start', { error: String((e as Error)?.stack ?? e) });
  process.exit(1);
});
