import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupIntEnv } from '@/lib/testing/int-env';

// The route handlers, called the way Next calls them, against real SQLite and
// Redis: the wrapper's auth, body limit, validation and error shape, and the
// pipeline use cases behind them.
const env = setupIntEnv('api');

const { applyMigrations } = await import('@/lib/db/migrate');
const { createApiKey } = await import('@/lib/auth/api-keys');
const { getDb } = await import('@/lib/db');
const pipelines = await import('./pipelines/route');
const pipeline = await import('./pipelines/[id]/route');
const validate = await import('./pipelines/[id]/validate/route');
const deploy = await import('./pipelines/[id]/deploy/route');
const runs = await import('./pipelines/[id]/runs/route');
const openapi = await import('./openapi.json/route');

let adminKey: string;
let triggerKey: string;
const base = 'http://localhost:3000';
const noParams = { params: Promise.resolve({}) };
const withId = (id: string) => ({ params: Promise.resolve({ id }) });

function req(method: string, url: string, opts: { key?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] = 'application/json';
  return new Request(base + url, { method, headers, body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)) });
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

beforeAll(async () => {
  await applyMigrations(env.databaseUrl);
  adminKey = (await createApiKey(getDb(), { name: 'admin', scope: 'admin' })).key;
});
afterAll(async () => {
  await getDb().$disconnect();
  await env.cleanup();
});

describe('authentication', () => {
  it('refuses a request without credentials with 401 in the error shape', async () => {
    const res = await pipelines.GET(req('GET', '/api/v1/pipelines'), noParams);
    expect(res.status).toBe(401);
    const body = await res.json();
    expect(body.error.code).toBe('unauthorized');
    expect(typeof body.error.message).toBe('string');
  });
  it('refuses an unknown key', async () => {
    const res = await pipelines.GET(req('GET', '/api/v1/pipelines', { key: 'cvk_not-a-real-key' }), noParams);
    expect(res.status).toBe(401);
  });
  it('serves the OpenAPI document without a key', async () => {
    const res = await openapi.GET();
    expect(res.status).toBe(200);
    expect((await res.json()).openapi).toBe('3.1.0');
  });
  it('stores only a hash of each key', async () => {
    const rows = await getDb().apiKey.findMany();
    for (const row of rows) {
      expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.hash).not.toContain(adminKey.slice(4));
    }
  });
});

describe('pipelines', () => {
  let id: string;

  it('creates, reads and lists a pipeline, dropping React Flow session fields', async () => {
    const withSession = {
      ...graph,
      nodes: graph.nodes.map((n) => ({ ...n, selected: true, measured: { width: 10, height: 10 }, dragging: false })),
    };
    const res = await pipelines.POST(req('POST', '/api/v1/pipelines', { key: adminKey, body: { name: 'Orders', graph: withSession } }), noParams);
    expect(res.status).toBe(201);
    const created = await res.json();
    id = created.id;
    expect(created).toMatchObject({ name: 'Orders', description: '', deployedVersion: null });
    expect(created.graph.nodes[0]).toEqual(graph.nodes[0]);
    expect(created.graph.schemaVersion).toBe(1);

    const list = await (await pipelines.GET(req('GET', '/api/v1/pipelines', { key: adminKey }), noParams)).json();
    expect(list.items.map((p: { id: string }) => p.id)).toContain(id);
    const one = await pipeline.GET(req('GET', `/api/v1/pipelines/${id}`, { key: adminKey }), withId(id));
    expect((await one.json()).name).toBe('Orders');
  });

  it('answers 404 for an unknown id and 400 with per-node details for a bad node', async () => {
    const missing = await pipeline.GET(req('GET', '/api/v1/pipelines/nope', { key: adminKey }), withId('nope'));
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('not_found');

    const bad = { ...graph, nodes: [...graph.nodes, { id: 'c2', type: 'consumer', position: { x: 0, y: 0 }, data: { label: 'x', task: { kind: 'teleport' } } }] };
    const res = await pipeline.PUT(req('PUT', `/api/v1/pipelines/${id}`, { key: adminKey, body: { graph: bad } }), withId(id));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('invalid_body');
    expect(body.error.details).toContainEqual(expect.objectContaining({ nodeId: 'c2' }));
  });

  it('refuses malformed JSON with 400 and a body over 1 MiB with 413', async () => {
    const malformed = await pipelines.POST(req('POST', '/api/v1/pipelines', { key: adminKey, raw: '{"name":' }), noParams);
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.code).toBe('bad_request');
    const huge = 'x'.repeat(1024 * 1024 + 10);
    const tooBig = await pipelines.POST(req('POST', '/api/v1/pipelines', { key: adminKey, raw: JSON.stringify({ name: huge }) }), noParams);
    expect(tooBig.status).toBe(413);
    expect((await tooBig.json()).error.code).toBe('payload_too_large');
  });

  it('reports an invalid graph per node on validate and deploy with 422', async () => {
    const dangling = { ...graph, nodes: [...graph.nodes, { id: 'q9', type: 'queue', position: { x: 0, y: 0 }, data: { label: 'Lonely' } }] };
    await pipeline.PUT(req('PUT', `/api/v1/pipelines/${id}`, { key: adminKey, body: { graph: dangling } }), withId(id));
    const res = await validate.POST(req('POST', `/api/v1/pipelines/${id}/validate`, { key: adminKey }), withId(id));
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error.code).toBe('graph_invalid');
    expect(body.error.details).toEqual(
      expect.arrayContaining([
        { nodeId: 'q9', message: 'nothing feeds this queue' },
        { nodeId: 'q9', message: 'this queue has no consumer' },
      ]),
    );
    const dep = await deploy.POST(req('POST', `/api/v1/pipelines/${id}/deploy`, { key: adminKey }), withId(id));
    expect(dep.status).toBe(422);
  });

  it('answers 409 not_deployed when triggering an undeployed pipeline', async () => {
    await pipeline.PUT(req('PUT', `/api/v1/pipelines/${id}`, { key: adminKey, body: { graph } }), withId(id));
    const res = await runs.POST(req('POST', `/api/v1/pipelines/${id}/runs`, { key: adminKey, body: { payload: 1 } }), withId(id));
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe('not_deployed');
  });

  it('deploys numbered versions and triggers a run', async () => {
    const v1 = await deploy.POST(req('POST', `/api/v1/pipelines/${id}/deploy`, { key: adminKey }), withId(id));
    expect(v1.status).toBe(200);
    expect(await v1.json()).toEqual({ version: 1 });
    const v2 = await deploy.POST(req('POST', `/api/v1/pipelines/${id}/deploy`, { key: adminKey }), withId(id));
    expect(await v2.json()).toEqual({ version: 2 });
    const versions = await getDb().pipelineVersion.findMany({ where: { pipelineId: id } });
    expect(versions.map((v) => v.version).sort()).toEqual([1, 2]);

    const res = await runs.POST(req('POST', `/api/v1/pipelines/${id}/runs`, { key: adminKey, body: { payload: { n: 1 } } }), withId(id));
    expect(res.status).toBe(202);
    expect((await res.json()).runId).toMatch(/^run_/);
  });

  it('lets a trigger key trigger only the pipelines it names', async () => {
    triggerKey = (await createApiKey(getDb(), { name: 't', scope: 'trigger', pipelineIds: [id] })).key;
    const ok = await runs.POST(req('POST', `/api/v1/pipelines/${id}/runs`, { key: triggerKey, body: { payload: 2 } }), withId(id));
    expect(ok.status).toBe(202);
    const other = await runs.POST(req('POST', `/api/v1/pipelines/other/runs`, { key: triggerKey, body: { payload: 2 } }), withId('other'));
    expect(other.status).toBe(403);
    const list = await pipelines.GET(req('GET', '/api/v1/pipelines', { key: triggerKey }), noParams);
    expect(list.status).toBe(403);
  });

  it('rejects a cross-site write made with a session cookie', async () => {
    const { createSession } = await import('@/lib/auth/sessions');
    const user = await getDb().user.create({ data: { email: 'u@example.com', passwordHash: 'x' } });
    const { token } = await createSession(getDb(), user.id);
    const cookie = `cv_session=${token}`;
    const same = await pipelines.POST(
      req('POST', '/api/v1/pipelines', { body: { name: 'A', graph }, headers: { cookie, origin: base, host: 'localhost:3000' } }),
      noParams,
    );
    expect(same.status).toBe(201);
    const forged = await pipelines.POST(
      req('POST', '/api/v1/pipelines', { body: { name: 'B', graph }, headers: { cookie, origin: 'https://evil.example', host: 'localhost:3000' } }),
      noParams,
    );
    expect(forged.status).toBe(403);
  });
});
