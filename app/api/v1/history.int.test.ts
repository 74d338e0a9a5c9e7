import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupIntEnv } from '@/lib/testing/int-env';

// Versions, draft-vs-deployed fields and run history through the route
// handlers, called the way Next calls them, against real SQLite and Redis.
const env = setupIntEnv('history');

const { applyMigrations } = await import('@/lib/db/migrate');
const { createApiKey } = await import('@/lib/auth/api-keys');
const { getDb } = await import('@/lib/db');
const { getServices } = await import('@/lib/services');
const { markJobFinished } = await import('@/lib/runtime/runs');
const { initialJobId } = await import('@/lib/runtime/job-ids');
const { RunHistoryFlusher } = await import('@/lib/runs/run-history-flusher');
const pipelines = await import('./pipelines/route');
const pipeline = await import('./pipelines/[id]/route');
const deploy = await import('./pipelines/[id]/deploy/route');
const versions = await import('./pipelines/[id]/versions/route');
const version = await import('./pipelines/[id]/versions/[version]/route');
const runs = await import('./pipelines/[id]/runs/route');
const run = await import('./runs/[runId]/route');

let adminKey: string;
const base = 'http://localhost:3000';
const params = (p: Record<string, string>) => ({ params: Promise.resolve(p) });

function req(method: string, url: string, opts: { key?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = {};
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  return new Request(base + url, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
}

const graph = {
  nodes: [
    { id: 'p1', type: 'producer', position: { x: 0, y: 0 }, data: { label: 'In', source: { kind: 'http' } } },
    { id: 'q1', type: 'queue', position: { x: 200, y: 0 }, data: { label: 'Work' } },
    { id: 'c1', type: 'consumer', position: { x: 400, y: 0 }, data: { label: 'Do', task: { kind: 'noop' } } },
  ],
  edges: [
    { id: 'e1', source: 'p1', target: 'q1' },
    { id: 'e2', source: 'q1', target: 'c1' },
  ],
};

async function call(handler: (r: Request, c: ReturnType<typeof params>) => Promise<Response>, r: Request, p: Record<string, string> = {}) {
  const res = await handler(r, params(p));
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

let id: string;

beforeAll(async () => {
  await applyMigrations(env.databaseUrl);
  adminKey = (await createApiKey(getDb(), { name: 'admin', scope: 'admin' })).key;
  const created = await call(pipelines.POST, req('POST', '/api/v1/pipelines', { key: adminKey, body: { name: 'Orders', graph } }));
  id = created.body.id;
});
afterAll(async () => {
  await getServices().runtime.close();
  await getDb().$disconnect();
  await env.cleanup();
});

describe('versions and draft-vs-deployed fields', () => {
  it('reports an undeployed pipeline as such', async () => {
    const { body } = await call(pipeline.GET, req('GET', `/api/v1/pipelines/${id}`, { key: adminKey }), { id });
    expect(body).toMatchObject({ deployedVersion: null, deployedAt: null, draftChanged: false });
    const list = await call(versions.GET, req('GET', `/api/v1/pipelines/${id}/versions`, { key: adminKey }), { id });
    expect(list).toEqual({ status: 200, body: { items: [] } });
  });

  it('lists and reads versions; draftChanged follows data edits but not moves', async () => {
    expect((await call(deploy.POST, req('POST', `/api/v1/pipelines/${id}/deploy`, { key: adminKey }), { id })).body).toEqual({ version: 1 });
    let p = (await call(pipeline.GET, req('GET', `/api/v1/pipelines/${id}`, { key: adminKey }), { id })).body;
    expect(p).toMatchObject({ deployedVersion: 1, draftChanged: false });
    expect(Date.parse(p.deployedAt)).toBeGreaterThan(Date.now() - 60_000);

    // Moving a node is cosmetic.
    const moved = structuredClone(graph);
    moved.nodes[1]!.position = { x: 250, y: 80 };
    p = (await call(pipeline.PUT, req('PUT', `/api/v1/pipelines/${id}`, { key: adminKey, body: { graph: moved } }), { id })).body;
    expect(p.draftChanged).toBe(false);

    // Changing a node's data is a real change, in GET and in the list too.
    const edited = structuredClone(moved);
    (edited.nodes[1]!.data as Record<string, unknown>).attempts = 5;
    p = (await call(pipeline.PUT, req('PUT', `/api/v1/pipelines/${id}`, { key: adminKey, body: { graph: edited } }), { id })).body;
    expect(p.draftChanged).toBe(true);
    const listed = (await call(pipelines.GET, req('GET', '/api/v1/pipelines', { key: adminKey }))).body.items;
    expect(listed.find((x: { id: string }) => x.id === id)).toMatchObject({ deployedVersion: 1, draftChanged: true });

    expect((await call(deploy.POST, req('POST', `/api/v1/pipelines/${id}/deploy`, { key: adminKey }), { id })).body).toEqual({ version: 2 });
    p = (await call(pipeline.GET, req('GET', `/api/v1/pipelines/${id}`, { key: adminKey }), { id })).body;
    expect(p).toMatchObject({ deployedVersion: 2, draftChanged: false });

    const list = await call(versions.GET, req('GET', `/api/v1/pipelines/${id}/versions`, { key: adminKey }), { id });
    expect(list.status).toBe(200);
    expect(list.body.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(Object.keys(list.body.items[0]).sort()).toEqual(['createdAt', 'version']);

    const v1 = await call(version.GET, req('GET', `/api/v1/pipelines/${id}/versions/1`, { key: adminKey }), { id, version: '1' });
    expect(v1.status).toBe(200);
    expect(v1.body.version).toBe(1);
    expect(v1.body.graph.nodes[1].data).toEqual({ label: 'Work' });
    expect(v1.body.graph.schemaVersion).toBe(1);
    const v2 = await call(version.GET, req('GET', `/api/v1/pipelines/${id}/versions/2`, { key: adminKey }), { id, version: '2' });
    expect(v2.body.graph.nodes[1]).toMatchObject({ data: { label: 'Work', attempts: 5 }, position: { x: 250, y: 80 } });
  });

  it('answers 404 for an unknown version or pipeline, 400 for a malformed version, 403 for a trigger key', async () => {
    expect((await call(version.GET, req('GET', `/api/v1/pipelines/${id}/versions/9`, { key: adminKey }), { id, version: '9' })).status).toBe(404);
    expect((await call(version.GET, req('GET', `/api/v1/pipelines/${id}/versions/x`, { key: adminKey }), { id, version: 'x' })).status).toBe(400);
    expect((await call(versions.GET, req('GET', '/api/v1/pipelines/nope/versions', { key: adminKey }), { id: 'nope' })).status).toBe(404);
    const triggerKey = (await createApiKey(getDb(), { name: 't', scope: 'trigger', pipelineIds: [id] })).key;
    expect((await call(versions.GET, req('GET', `/api/v1/pipelines/${id}/versions`, { key: triggerKey }), { id })).status).toBe(403);
  });
});

describe('run history', () => {
  const runIds: string[] = [];

  beforeAll(async () => {
    const { runtime } = getServices();
    // 5 runs: 3 complete, 2 fail; finished the way workers finish them, then flushed.
    for (let i = 0; i < 5; i++) {
      const res = await call(runs.POST, req('POST', `/api/v1/pipelines/${id}/runs`, { key: adminKey, body: { payload: i } }), { id });
      const runId = res.body.runId as string;
      runIds.push(runId);
      const failed = i % 2 === 1;
      await markJobFinished(runtime, runId, {
        jobId: initialJobId(runId, 'q1'),
        nodeId: 'c1',
        attempts: 1,
        outcome: failed ? 'failed' : 'completed',
        ...(failed ? { error: `bad ${i}` } : { output: { i } }),
      });
      await new Promise((r) => setTimeout(r, 3)); // distinct createdAt, so newest-first is observable
    }
    await new RunHistoryFlusher({ db: getDb(), runtime }, { historyDays: 7 }).drain();
  });

  it('lists runs newest first, page by page, filtered by status', async () => {
    const page1 = await call(runs.GET, req('GET', `/api/v1/pipelines/${id}/runs?limit=2`, { key: adminKey }), { id });
    expect(page1.status).toBe(200);
    expect(page1.body.items.map((r: { id: string }) => r.id)).toEqual([runIds[4], runIds[3]]);
    expect(page1.body.items[0]).toMatchObject({ pipelineId: id, version: 2, status: 'completed', output: { i: 4 } });
    expect(page1.body.items[1].steps[0]).toMatchObject({ nodeId: 'c1', status: 'failed', error: 'bad 3' });

    const cursor = encodeURIComponent(page1.body.nextCursor);
    const page2 = await call(runs.GET, req('GET', `/api/v1/pipelines/${id}/runs?limit=2&cursor=${cursor}`, { key: adminKey }), { id });
    expect(page2.body.items.map((r: { id: string }) => r.id)).toEqual([runIds[2], runIds[1]]);
    const page3 = await call(
      runs.GET,
      req('GET', `/api/v1/pipelines/${id}/runs?limit=2&cursor=${encodeURIComponent(page2.body.nextCursor)}`, { key: adminKey }),
      { id },
    );
    expect(page3.body.items.map((r: { id: string }) => r.id)).toEqual([runIds[0]]);
    expect(page3.body.nextCursor).toBeUndefined();

    const failed = await call(runs.GET, req('GET', `/api/v1/pipelines/${id}/runs?status=failed`, { key: adminKey }), { id });
    expect(failed.body.items.map((r: { id: string }) => r.id)).toEqual([runIds[3], runIds[1]]);
  });

  it('refuses a bad query with 400, an unknown pipeline with 404, and other pipelines to a trigger key', async () => {
    expect((await call(runs.GET, req('GET', `/api/v1/pipelines/${id}/runs?limit=0`, { key: adminKey }), { id })).status).toBe(400);
    expect((await call(runs.GET, req('GET', `/api/v1/pipelines/${id}/runs?status=lost`, { key: adminKey }), { id })).status).toBe(400);
    expect((await call(runs.GET, req('GET', `/api/v1/pipelines/${id}/runs?cursor=zzz`, { key: adminKey }), { id })).status).toBe(400);
    expect((await call(runs.GET, req('GET', '/api/v1/pipelines/nope/runs', { key: adminKey }), { id: 'nope' })).status).toBe(404);

    const mine = (await createApiKey(getDb(), { name: 'mine', scope: 'trigger', pipelineIds: [id] })).key;
    const other = (await createApiKey(getDb(), { name: 'other', scope: 'trigger', pipelineIds: ['elsewhere'] })).key;
    expect((await call(runs.GET, req('GET', `/api/v1/pipelines/${id}/runs`, { key: mine }), { id })).status).toBe(200);
    expect((await call(runs.GET, req('GET', `/api/v1/pipelines/${id}/runs`, { key: other }), { id })).status).toBe(403);
    expect((await call(run.GET, req('GET', `/api/v1/runs/${runIds[0]}`, { key: other }), { runId: runIds[0]! })).status).toBe(403);
  });

  it('serves GET /runs/:id from SQL once Redis forgot the run', async () => {
    const runId = runIds[3]!;
    const fromRedis = await call(run.GET, req('GET', `/api/v1/runs/${runId}`, { key: adminKey }), { runId });
    expect(fromRedis.status).toBe(200);
    const { runtime } = getServices();
    await runtime.redis.del(runtime.keys.run(runId));
    const fromSql = await call(run.GET, req('GET', `/api/v1/runs/${runId}`, { key: adminKey }), { runId });
    expect(fromSql).toEqual(fromRedis);
    expect(fromSql.body).toMatchObject({ status: 'failed', steps: [{ nodeId: 'c1', status: 'failed', error: 'bad 3' }] });
    const missing = await call(run.GET, req('GET', '/api/v1/runs/run_nope', { key: adminKey }), { runId: 'run_nope' });
    expect(missing.status).toBe(404);
  });
});
