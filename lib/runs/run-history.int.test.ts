import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupIntEnv } from '../testing/int-env';

// The hand-over of finished runs from Redis to SQL, against the real Redis
// (the real Lua finish script) and a real SQLite file. Two flushers with their
// own Redis connections and Prisma clients stand for two app processes.
const env = setupIntEnv('runhistory');

const { applyMigrations } = await import('../db/migrate');
const { createDb } = await import('../db');
const { createRuntimeContext } = await import('../runtime/context');
const { triggerRuns } = await import('../runtime/trigger');
const { getRun, markJobFinished } = await import('../runtime/runs');
const { initialJobId } = await import('../runtime/job-ids');
const { consumerNode, edge, httpProducer, queueNode, specOf, testPipelineId, testRedisUrl, eventually } = await import(
  '../runtime/testing'
);
const { RunHistoryFlusher, HISTORY_GROUP } = await import('./run-history-flusher');
const { writeRunHistory } = await import('./write-run-history');
const { getRunAnywhere } = await import('./get-run');

type Db = import('../db').Db;
type RuntimeContext = import('../runtime/context').RuntimeContext;

const url = testRedisUrl();
let dbA: Db;
let dbB: Db;
let ctxA: RuntimeContext;
let ctxB: RuntimeContext;

beforeAll(async () => {
  await applyMigrations(env.databaseUrl);
  dbA = createDb(env.databaseUrl);
  dbB = createDb(env.databaseUrl);
  ctxA = createRuntimeContext(url, env.prefix, { statsWindowSec: 120, runRetentionHours: 1 });
  ctxB = createRuntimeContext(url, env.prefix, { statsWindowSec: 120, runRetentionHours: 1 });
});
afterAll(async () => {
  await Promise.all([ctxA.close(), ctxB.close(), dbA.$disconnect(), dbB.$disconnect()]);
  await env.cleanup();
});

const flusher = (ctx: RuntimeContext, db: Db, opts: Partial<ConstructorParameters<typeof RunHistoryFlusher>[1]> = {}) =>
  new RunHistoryFlusher({ db, runtime: ctx }, { historyDays: 7, ...opts });

/** p -> q -> c; with fanOut also p -> q2 -> c2. */
function spec(pid: string, fanOut = false) {
  const nodes = [httpProducer('p'), queueNode('q'), consumerNode('c', { kind: 'noop' })];
  const edges = [edge('p', 'q'), edge('q', 'c')];
  if (fanOut) {
    nodes.push(queueNode('q2'), consumerNode('c2', { kind: 'noop' }));
    edges.push(edge('p', 'q2'), edge('q2', 'c2'));
  }
  return specOf({ nodes, edges }, pid);
}

/** Triggers `n` runs and finishes each the way a worker does, through the Lua finish script. */
async function finishRuns(pid: string, n: number): Promise<string[]> {
  const runIds = await triggerRuns(ctxA, { spec: spec(pid), payloads: Array.from({ length: n }, (_, i) => i) });
  await Promise.all(
    runIds.map((id, i) =>
      markJobFinished(ctxA, id, { jobId: initialJobId(id, 'q'), nodeId: 'c', attempts: 1, outcome: 'completed', output: { i } }),
    ),
  );
  return runIds;
}

const pendingCount = async () => {
  const info = (await ctxA.redis.xpending(ctxA.keys.runsFinished, HISTORY_GROUP)) as [number, ...unknown[]];
  return Number(info[0]);
};

describe('hand-over of finished runs', () => {
  it('writes 300 finished runs once each, with two flushers draining concurrently', async () => {
    const pid = testPipelineId();
    const runIds = await finishRuns(pid, 300);
    expect(await ctxA.redis.xlen(ctxA.keys.runsFinished)).toBe(300);

    const a = flusher(ctxA, dbA, { batchSize: 40 });
    const b = flusher(ctxB, dbB, { batchSize: 40 });
    const [ra, rb] = await Promise.all([a.drain(), b.drain()]);

    // Each entry went to exactly one flusher, and each run is one row.
    expect(ra.entries + rb.entries).toBe(300);
    expect(ra.written + rb.written).toBe(300);
    const rows = await dbA.run.findMany({ where: { pipelineId: pid } });
    expect(rows).toHaveLength(300);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(runIds));
    const first = rows.find((r) => r.id === runIds[7])!;
    expect(first).toMatchObject({ status: 'completed', version: 1, output: { i: 7 }, error: null });
    expect(first.steps).toEqual([expect.objectContaining({ nodeId: 'c', status: 'completed', attempts: 1 })]);

    // Nothing left behind: acknowledged and deleted.
    expect(await ctxA.redis.xlen(ctxA.keys.runsFinished)).toBe(0);
    expect(await pendingCount()).toBe(0);
  });

  it('reads a run back from SQL exactly as Redis showed it, once Redis forgot it', async () => {
    const pid = testPipelineId();
    const [id] = await finishRuns(pid, 1);
    const live = await getRun(ctxA, id!);
    await flusher(ctxA, dbA).drain();
    await ctxA.redis.del(ctxA.keys.run(id!));
    expect(await getRun(ctxA, id!)).toBeNull();
    expect(await getRunAnywhere(id!, { db: dbA, runtime: ctxA })).toEqual(live);
    expect(await getRunAnywhere('run_unknown', { db: dbA, runtime: ctxA })).toBeNull();
  });

  it('loses nothing when a flusher dies between reading and acknowledging', async () => {
    const pid = testPipelineId();
    const runIds = await finishRuns(pid, 20);
    // A flusher reads every entry and dies before writing anything...
    await ctxA.redis.xgroup('CREATE', ctxA.keys.runsFinished, HISTORY_GROUP, '0', 'MKSTREAM').catch(() => {});
    await ctxA.redis.xreadgroup('GROUP', HISTORY_GROUP, 'dead-1', 'COUNT', 10, 'STREAMS', ctxA.keys.runsFinished, '>');
    // ...another one writes the rest and dies before acknowledging.
    const res = (await ctxA.redis.xreadgroup('GROUP', HISTORY_GROUP, 'dead-2', 'COUNT', 10, 'STREAMS', ctxA.keys.runsFinished, '>')) as [
      string,
      [string, string[]][],
    ][];
    const secondHalf = res[0]![1].map(([, fields]) => fields[1]!);
    await writeRunHistory(dbA, (await Promise.all(secondHalf.map((id) => getRun(ctxA, id)))).map((r) => r!));
    expect(await dbA.run.count({ where: { pipelineId: pid } })).toBe(10);

    // A live flusher sees nothing new, then claims the abandoned entries once idle long enough.
    const live = flusher(ctxB, dbB, { claimIdleMs: 50, claimEveryMs: 0 });
    await new Promise((r) => setTimeout(r, 80));
    const result = await live.drain();
    expect(result.entries).toBe(20);
    const rows = await dbA.run.findMany({ where: { pipelineId: pid }, select: { id: true } });
    expect(rows.map((r) => r.id).sort()).toEqual([...runIds].sort());
    expect(await pendingCount()).toBe(0);
  });

  it('refreshes the row of a failed run when its other branch ends later', async () => {
    const pid = testPipelineId();
    const [id] = await triggerRuns(ctxA, { spec: spec(pid, true), payloads: ['x'] });
    await markJobFinished(ctxA, id!, { jobId: initialJobId(id!, 'q'), nodeId: 'c', attempts: 3, outcome: 'failed', error: 'boom' });
    const f = flusher(ctxA, dbA);
    await f.drain();
    let row = await dbA.run.findUniqueOrThrow({ where: { id: id! } });
    expect(row).toMatchObject({ status: 'failed', error: 'boom' });
    expect((row.steps as unknown[]).length).toBe(1);

    await markJobFinished(ctxA, id!, { jobId: initialJobId(id!, 'q2'), nodeId: 'c2', attempts: 1, outcome: 'completed', output: 'late' });
    await f.drain();
    row = await dbA.run.findUniqueOrThrow({ where: { id: id! } });
    expect(row).toMatchObject({ status: 'failed', error: 'boom', output: 'late' });
    expect(row.steps).toEqual(
      expect.arrayContaining([expect.objectContaining({ nodeId: 'c2', status: 'completed' })]),
    );
    expect(await dbA.run.count({ where: { pipelineId: pid } })).toBe(1);
  });

  it('acknowledges entries whose run record already expired, writing nothing', async () => {
    const pid = testPipelineId();
    const [id] = await finishRuns(pid, 1);
    await ctxA.redis.del(ctxA.keys.run(id!));
    const result = await flusher(ctxA, dbA).drain();
    expect(result).toEqual({ entries: 1, written: 0, expired: 1 });
    expect(await dbA.run.count({ where: { pipelineId: pid } })).toBe(0);
    expect(await ctxA.redis.xlen(ctxA.keys.runsFinished)).toBe(0);
  });

  it('recreates its consumer group when the stream was deleted under it', async () => {
    const f = flusher(ctxA, dbA);
    await f.drain();
    await ctxA.redis.del(ctxA.keys.runsFinished);
    const pid = testPipelineId();
    await finishRuns(pid, 3);
    expect((await f.drain()).written).toBe(3);
  });

  it('runs on its own once started, and stops gracefully', async () => {
    const f = flusher(ctxA, dbA, { intervalMs: 20 });
    f.start();
    const pid = testPipelineId();
    await finishRuns(pid, 5);
    await eventually('the started flusher to write 5 runs', async () => (await dbA.run.count({ where: { pipelineId: pid } })) === 5);
    await f.stop();
    await finishRuns(pid, 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(await dbA.run.count({ where: { pipelineId: pid } })).toBe(5);
    await f.drain();
  });
});

describe('retention', () => {
  it('deletes rows older than RUN_HISTORY_DAYS only, in bounded batches', async () => {
    const pid = testPipelineId();
    const day = 86_400_000;
    const now = Date.now();
    const run = (id: string, ageDays: number) => ({
      id,
      pipelineId: pid,
      version: 1,
      status: 'completed' as const,
      steps: [],
      createdAt: new Date(now - ageDays * day).toISOString(),
      finishedAt: new Date(now - ageDays * day + 5).toISOString(),
    });
    await writeRunHistory(dbA, [
      ...Array.from({ length: 5 }, (_, i) => run(`run_old${i}`, 8 + i)),
      run('run_edge', 6.9),
      run('run_new', 0),
    ]);
    const f = flusher(ctxA, dbA, { historyDays: 7, pruneBatchSize: 2 });
    expect(await f.prune(now)).toBe(5);
    const left = await dbA.run.findMany({ where: { pipelineId: pid }, select: { id: true }, orderBy: { id: 'asc' } });
    expect(left.map((r) => r.id)).toEqual(['run_edge', 'run_new']);
    expect(await f.prune(now)).toBe(0);
  });
});

describe('backlog', () => {
  // Its speed is measured by npm run bench; this checks a backlog of many batches drains whole.
  it('drains a backlog of 5000 runs in batches of 500, each written once', async () => {
    const pid = testPipelineId();
    for (let i = 0; i < 5; i++) await finishRuns(pid, 1000);
    const f = flusher(ctxA, dbA);
    const result = await f.drain();
    expect(result.written).toBe(5000);
    expect(await dbA.run.count({ where: { pipelineId: pid } })).toBe(5000);
    expect(await ctxA.redis.xlen(ctxA.keys.runsFinished)).toBe(0);
  });
});
