import type { Db } from '../db';

/**
 * Deletes run history created before `olderThan`, `batchSize` rows per
 * statement and at most `maxBatches` statements per call, so one call never
 * holds SQLite's write lock for long however far behind retention is; the
 * next call continues. Returns the rows deleted. Several app instances may
 * run it at once: deleting a row twice deletes it once.
 */
export async function pruneRunHistory(
  db: Db,
  { olderThan, batchSize = 1000, maxBatches = 20 }: { olderThan: Date; batchSize?: number; maxBatches?: number },
): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < maxBatches; i++) {
    const rows = await db.run.findMany({ where: { createdAt: { lt: olderThan } }, select: { id: true }, take: batchSize });
    if (rows.length === 0) break;
    const { count } = await db.run.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
    deleted += count;
    if (rows.length < batchSize) break;
  }
  return deleted;
}
