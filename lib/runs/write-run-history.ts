import type { Db } from '../db';
import { Prisma } from '../generated/prisma/client';
import type { Run } from '../runtime/runs';
import { runError } from './run-rows';

/** Rows per statement: 9 parameters each stays far below SQLite's 32766 and PostgreSQL's 65535. */
const ROWS_PER_STATEMENT = 1000;

/**
 * Writes a batch of finished runs, one multi-row statement per 1000 runs.
 *
 * An upsert, not an insert: the same run may come twice (a batch written but
 * not acknowledged before a crash is delivered again; a late branch of a
 * failed run hands it over again with its final steps), and must leave one
 * row, the latest. Prisma's createMany has no skipDuplicates on SQLite, and
 * 500 separate upserts in a transaction measured ~10x slower (100-300 ms
 * against 12-30 ms) while holding the database's one write lock, so this is
 * raw SQL. The syntax (INSERT ... ON CONFLICT DO UPDATE, quoted Prisma
 * names, parameters for JSON and dates) is the same on SQLite and PostgreSQL;
 * Date parameters are stored in the format Prisma itself writes.
 */
export async function writeRunHistory(db: Db, runs: readonly Run[]): Promise<number> {
  let written = 0;
  for (let i = 0; i < runs.length; i += ROWS_PER_STATEMENT) {
    const chunk = runs.slice(i, i + ROWS_PER_STATEMENT);
    const values = chunk.map(
      (run) => Prisma.sql`(${run.id}, ${run.pipelineId}, ${run.version}, ${run.status}, ${JSON.stringify(run.steps)}, ${
        run.output === undefined || run.output === null ? null : JSON.stringify(run.output)
      }, ${runError(run)}, ${new Date(run.createdAt)}, ${run.finishedAt ? new Date(run.finishedAt) : null})`,
    );
    written += await db.$executeRaw`
      INSERT INTO "Run" ("id", "pipelineId", "version", "status", "steps", "output", "error", "createdAt", "finishedAt")
      VALUES ${Prisma.join(values)}
      ON CONFLICT ("id") DO UPDATE SET
        "status" = excluded."status",
        "steps" = excluded."steps",
        "output" = excluded."output",
        "error" = excluded."error",
        "finishedAt" = excluded."finishedAt"`;
  }
  return written;
}
