import type { Db } from '../db';
import type { RuntimeContext } from '../runtime/context';
import { getRun, type Run } from '../runtime/runs';
import { fromRunRow } from './run-rows';

/**
 * GET /runs/:id: the live record in Redis first (it has the latest steps,
 * and runs still in flight are only there), then the run history in SQL,
 * which keeps finished runs RUN_HISTORY_DAYS after Redis forgot them.
 * When Redis is unreachable the history still answers for finished runs;
 * only a run found in neither place rethrows the Redis error.
 */
export async function getRunAnywhere(runId: string, { db, runtime }: { db: Db; runtime: RuntimeContext }): Promise<Run | null> {
  let redisError: unknown;
  try {
    const live = await getRun(runtime, runId);
    if (live) return live;
  } catch (e) {
    redisError = e;
  }
  const row = await db.run.findUnique({ where: { id: runId } });
  if (row) return fromRunRow(row);
  if (redisError) throw redisError;
  return null;
}
