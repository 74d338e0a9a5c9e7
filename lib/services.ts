import { getDb, type Db } from './db';
import { loadEnv, type Env } from './env';
import { AppError } from './errors';
import { createRuntimeContext, type RuntimeContext } from './runtime/context';

/**
 * The app process's long-lived resources: one Prisma client, one Redis
 * connection and one BullMQ Queue per queue name, shared by every request.
 * Cached on globalThis so Next's dev reload does not open new ones each time.
 */
export interface Services {
  env: Env;
  db: Db;
  runtime: RuntimeContext;
}

const holder = globalThis as unknown as { __conveyorServices?: Services };

export function getServices(): Services {
  if (holder.__conveyorServices) return holder.__conveyorServices;
  const env = loadEnv();
  if (!env.REDIS_URL) {
    throw new AppError('unavailable', 'REDIS_URL is not set: start Conveyor with `npm start`, which provides Redis, or set REDIS_URL.');
  }
  holder.__conveyorServices = {
    env,
    db: getDb(),
    runtime: createRuntimeContext(env.REDIS_URL, env.REDIS_PREFIX),
  };
  return holder.__conveyorServices;
}
