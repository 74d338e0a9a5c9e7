import type { Db } from '../db';
import { AppError } from '../errors';
import { fromRunRow } from './run-rows';
import type { RunList, RunListInput } from './schemas';

/**
 * A pipeline's run history from the SQL database, newest first, one page at
 * a time. Keyset pagination on (createdAt, id): a page stays correct while
 * new runs arrive and old ones are pruned, unlike an offset. Runs still in
 * flight, or finished less than a flush ago, are not listed yet.
 */
export async function listRuns(pipelineId: string, query: RunListInput, { db }: { db: Db }): Promise<RunList> {
  const pipeline = await db.pipeline.findUnique({ where: { id: pipelineId }, select: { id: true } });
  if (!pipeline) throw new AppError('not_found', `No pipeline has the id ${pipelineId}.`);
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  const rows = await db.run.findMany({
    where: {
      pipelineId,
      ...(query.status ? { status: query.status } : {}),
      ...(after
        ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }
        : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(fromRunRow),
    ...(rows.length > query.limit && last ? { nextCursor: encodeCursor(last.createdAt, last.id) } : {}),
  };
}

function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.getTime()}.${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const dot = text.indexOf('.');
  const ms = Number(text.slice(0, dot));
  const id = text.slice(dot + 1);
  if (dot < 1 || !Number.isSafeInteger(ms) || !id) throw new AppError('bad_request', 'The cursor is not one this API gave out.');
  return { createdAt: new Date(ms), id };
}
