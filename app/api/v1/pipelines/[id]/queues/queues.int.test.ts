import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupIntEnv } from '@/lib/testing/int-env';

// The queue-operation routes and the trigger's back-pressure answer, called
// the way Next calls them, against real SQLite and Redis. No worker runs, so
// jobs stay where the routes put them; what workers do with them is tested
// in workers/*.int.test.ts.
const env = setupIntEnv('queues');

const { applyMigrations } = await import('@/lib/db/migrate');
const { createApiKey } = await import('@/lib/auth/api-keys');
const { getDb } = await import('@/lib/db');
const { getServices } = await import('@/lib/services');
const { deadLetterEnvelope } = await import('@/lib/runtime/dead-letter');
const pipelines = await import('../../route');
const deploy = await import('../deploy/route');
const runs = await import('../runs/route');
const jobs = await import('./[nodeId]/jobs/route');
const job = await import('./[nodeId]/jobs/[jobId]/route');
const retry = await import('./[nodeId]/jobs/[jobId]/retry/route');
const retryFailed = await import('./[nodeId]/retry-failed/route');
const pause = await import('./[nodeId]/pause/route');
const resume = await import('./[nodeId]/resume/route');
const replay = await import('./[nodeId]/replay/route');

let adminKey: string;
let triggerKey: string;
let id: string;
const base = 'http://localhost:3000';
const at = (params: Record<string, string>) => ({ params: Promise.resolve({ id, ...params }) });

function req(method: string, url: string, opts: { key?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = {};
  if (opts.key ?? adminKey) headers.authorization = `Bearer ${opts.key ?? adminKey}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  return new Request(base + url, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
}

const node = (nid: string, type: string, data: Record<string, unknown>) => ({ id: nid, type, position: { x: 0, y: 0 }, data: { label: nid, ...data } });
const graph = {
  nodes: [
    node('p', 'producer', { source: { kind: 'http' } }),
    node('q', 'queue', { maxWaiting: 3 }),
    node('c', 'consumer', { task: { kind: 'noop' } }),
    node('dlq', 'queue', {}),
    node('dc', 'consumer', { task: { kind: 'noop' } }),
  ],
  edges: [
    { id: 'e1', source: 'p', target: 'q' },
    { id: 'e2', source: 'q', target: 'c' },
    { id: 'e3', source: 'q', target: 'dlq', data: { kind: 'dead-letter' } },
    { id: 'e4', source: 'dlq', target: 'dc' },
  ],
};

beforeAll(async () => {
  await applyMigrations(env.databaseUrl);
  adminKey = (await createApiKey(getDb(), { name: 'admin', scope: 'admin' })).key;
  const created = await (await pipelines.POST(req('POST', '/api/v1/pipelines', { body: { name: 'Queues', graph } }), at({}))).json();
  id = created.id;
  triggerKey = (await createApiKey(getDb(), { name: 'trigger', scope: 'trigger', pipelineIds: [id] })).key;
  expect((await deploy.POST(req('POST', `/api/v1/pipelines/${id}/deploy`), at({}))).status).toBe(200);
});
afterAll(async () => {
  await getServices().runtime.close();
  await getDb().$disconnect();
  await env.cleanup();
});

const trigger = (payload: unknown) => runs.POST(req('POST', `/api/v1/pipelines/${id}/runs`, { body: { payload } }), at({}));

describe('back-pressure on triggers', () => {
  it('answers 429 back_pressure with Retry-After once the queue holds maxWaiting messages', async () => {
    for (let i = 0; i < 3; i++) expect((await trigger({ i })).status).toBe(202);
    const res = await trigger({ i: 3 });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    const body = await res.json();
    expect(body.error.code).toBe('back_pressure');
    expect(body.error.details).toEqual([{ nodeId: 'q', waiting: 3, maxWaiting: 3 }]);
  });
});

describe('queue operations', () => {
  it('lists jobs by state with a cursor, in the Job shape', async () => {
    const res = await jobs.GET(req('GET', `/api/v1/pipelines/${id}/queues/q/jobs?state=waiting&limit=2`), at({ nodeId: 'q' }));
    expect(res.status).toBe(200);
    const page = await res.json();
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).toBe('2');
    expect(page.items[0]).toEqual({
      id: expect.stringMatching(/^run_[a-z0-9]+\.q$/),
      runId: expect.stringMatching(/^run_/),
      state: 'waiting',
      from: 'p',
      version: 1,
      payload: { i: 0 },
      attemptsMade: 0,
      maxAttempts: 1,
      priority: 0,
      createdAt: expect.any(String),
      processedAt: null,
      finishedAt: null,
    });
    const rest = await (await jobs.GET(req('GET', `/api/v1/pipelines/${id}/queues/q/jobs?state=waiting&limit=2&cursor=2`), at({ nodeId: 'q' }))).json();
    expect(rest.items.map((j: { payload: unknown }) => j.payload)).toEqual([{ i: 2 }]);
    expect(rest.nextCursor).toBeUndefined();
    const none = await (await jobs.GET(req('GET', `/api/v1/pipelines/${id}/queues/q/jobs?state=failed`), at({ nodeId: 'q' }))).json();
    expect(none).toEqual({ items: [] });
  });

  it('answers 400 for a bad query, 404 for a node that is not a queue or an unknown one, 403 for a trigger key', async () => {
    const bad = await jobs.GET(req('GET', `/api/v1/pipelines/${id}/queues/q/jobs?state=lost`), at({ nodeId: 'q' }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('bad_request');
    expect((await jobs.GET(req('GET', `/api/v1/pipelines/${id}/queues/q/jobs?limit=0`), at({ nodeId: 'q' }))).status).toBe(400);
    for (const nodeId of ['c', 'p', 'nope', 'not a node!']) {
      const res = await pause.POST(req('POST', `/api/v1/pipelines/${id}/queues/${nodeId}/pause`), at({ nodeId }));
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe('not_found');
    }
    const otherPipeline = await pause.POST(req('POST', '/api/v1/pipelines/nope/queues/q/pause'), { params: Promise.resolve({ id: 'nope', nodeId: 'q' }) });
    expect(otherPipeline.status).toBe(404);
    const forbidden = await jobs.GET(req('GET', `/api/v1/pipelines/${id}/queues/q/jobs`, { key: triggerKey }), at({ nodeId: 'q' }));
    expect(forbidden.status).toBe(403);
  });

  it('pauses and resumes, retries only failed jobs, deletes with 204', async () => {
    const paused = await pause.POST(req('POST', `/api/v1/pipelines/${id}/queues/q/pause`), at({ nodeId: 'q' }));
    expect(paused.status).toBe(200);
    expect(await paused.json()).toEqual({ paused: true });
    const resumed = await resume.POST(req('POST', `/api/v1/pipelines/${id}/queues/q/resume`), at({ nodeId: 'q' }));
    expect(await resumed.json()).toEqual({ paused: false });

    const page = await (await jobs.GET(req('GET', `/api/v1/pipelines/${id}/queues/q/jobs`), at({ nodeId: 'q' }))).json();
    const jobId = page.items[0].id as string;
    const notFailed = await retry.POST(req('POST', `/api/v1/pipelines/${id}/queues/q/jobs/${jobId}/retry`), at({ nodeId: 'q', jobId }));
    expect(notFailed.status).toBe(409);
    expect((await notFailed.json()).error.code).toBe('conflict');
    const missing = await retry.POST(req('POST', `/api/v1/pipelines/${id}/queues/q/jobs/nope/retry`), at({ nodeId: 'q', jobId: 'nope' }));
    expect(missing.status).toBe(404);

    const del = await job.DELETE(req('DELETE', `/api/v1/pipelines/${id}/queues/q/jobs/${jobId}`), at({ nodeId: 'q', jobId }));
    expect(del.status).toBe(204);
    expect((await job.DELETE(req('DELETE', `/api/v1/pipelines/${id}/queues/q/jobs/${jobId}`), at({ nodeId: 'q', jobId }))).status).toBe(404);
    // Room again: the trigger is accepted.
    expect((await trigger({ i: 4 })).status).toBe(202);

    const none = await retryFailed.POST(req('POST', `/api/v1/pipelines/${id}/queues/q/retry-failed`), at({ nodeId: 'q' }));
    expect(none.status).toBe(200);
    expect(await none.json()).toEqual({ retried: 0 });
  });

  it('replays dead letters into their queue (by id), skipping what is not one', async () => {
    const { runtime } = getServices();
    const dlq = runtime.queues.get(`{${id}.dlq}`);
    const runId = 'run_0000000000000000000000';
    const fake = { id: `${runId}.q`, stacktrace: [] } as never;
    const payload = deadLetterEnvelope({ job: fake, runId, version: 1, payload: { i: 9 }, queueId: 'q', consumerId: 'c', error: new Error('boom'), attempts: 1, unrecoverable: false });
    await dlq.add('q', { runId, v: 1, payload, from: 'q' }, { jobId: 'dl-1' });
    await dlq.add('x', { runId, v: 1, payload: 'plain message', from: 'p' }, { jobId: 'plain-1' });

    const res = await replay.POST(req('POST', `/api/v1/pipelines/${id}/queues/dlq/replay`, { body: { jobIds: ['dl-1', 'plain-1', 'gone'] } }), at({ nodeId: 'dlq' }));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.replayed).toEqual([{ jobId: 'dl-1', queueId: 'q', newJobId: expect.stringMatching(`^${runId}\\.q\\.`), runId }]);
    expect(body.skipped).toEqual([
      { jobId: 'plain-1', reason: 'not a dead letter' },
      { jobId: 'gone', reason: 'no such job in this queue' },
    ]);
    const back = await runtime.queues.get(`{${id}.q}`).getJob(body.replayed[0].newJobId);
    expect(back?.data).toEqual({ runId, v: 1, payload: { i: 9 }, from: 'dlq' });
    expect(await dlq.getJob('dl-1')).toBeUndefined();

    const invalid = await replay.POST(req('POST', `/api/v1/pipelines/${id}/queues/dlq/replay`, { body: { jobIds: [] } }), at({ nodeId: 'dlq' }));
    expect(invalid.status).toBe(400);
    const all = await replay.POST(req('POST', `/api/v1/pipelines/${id}/queues/dlq/replay`), at({ nodeId: 'dlq' }));
    expect(await all.json()).toEqual({ replayed: [], skipped: [{ jobId: 'plain-1', reason: 'not a dead letter' }], more: false });
  });
});
