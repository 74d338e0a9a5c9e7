import { listWorkers } from './runtime/workers';
import { getServices } from './services';

export interface Health {
  status: 'ok' | 'degraded';
  redis: string;
  db: string;
  workers: number;
}

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms))]);

/** Each part answers for itself; a failing part is named with its error. */
export async function checkHealth(): Promise<Health> {
  let services;
  try {
    services = getServices();
  } catch (e) {
    return { status: 'degraded', redis: `error: ${(e as Error).message}`, db: 'unknown', workers: 0 };
  }
  const [redis, db, workers] = await Promise.all([
    withTimeout(services.runtime.redis.ping(), 2000).then(
      () => 'ok',
      (e: Error) => `error: ${e.message}`,
    ),
    withTimeout(services.db.$queryRawUnsafe('SELECT 1'), 2000).then(
      () => 'ok',
      (e: Error) => `error: ${e.message}`,
    ),
    withTimeout(listWorkers(services.runtime), 2000).then(
      (list) => list.length,
      () => 0,
    ),
  ]);
  return { status: redis === 'ok' && db === 'ok' ? 'ok' : 'degraded', redis, db, workers };
}
