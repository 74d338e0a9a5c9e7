import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupIntEnv } from '@/lib/testing/int-env';

// The producer routes, called the way Next calls them, against real SQLite and
// Redis. No worker runs here: a started generator stays `running` with nothing
// sent, and a schedule stays `pending` (workers/producers.int.test.ts runs them).
const env = setupIntEnv('producers');

const { applyMigrations } = await import('@/lib/db/migrate');
const { createApiKey } = await import('@/lib/auth/api-keys');
const { getDb } = await import('@/lib/db');
const pipelines = await import('../../route');
const deploy = await import('../deploy/route');
const undeploy = await import('../undeploy/route');
const status = await import('./[nodeId]/route');
const start = await import('./[nodeId]/start/route');
const stop = await import('./[nodeId]/stop/route');
const openapi = await import('../../../openapi.json/route');

let adminKey: string;
let triggerKey: string;
let id: string;
const base = 'http://localhost:3000';
const at = (nodeId: string, pipelineId = id) => ({ params: Promise.resolve({ id: pipelineId, nodeId }) });

function req(method: string, path: string, opts: { key?: string; body?: unknown; raw?: string } = {}) {
  const headers: Record<string, string> = {};
  if (opts.key ?? adminKey) headers.authorization = `Bearer ${opts.key ?? adminKey}`;
  if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] = 'application/json';
  return new Request(base + path, { method, headers, body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)) });
}
const get = (nodeId: string, pipelineId = id, key?: string) =>
  status.GET(req('GET', `/api/v1/pipelines/${pipelineId}/producers/${nodeId}`, { key }), at(nodeId, pipelineId));
const post = (route: typeof start | typeof stop, verb: string, nodeId: string, opts: { body?: unknown; raw?: string; key?: string } = {}) =>
  route.POST(req('POST', `/api/v1/pipelines/${id}/producers/${nodeId}/${verb}`, opts), at(nodeId));

const pos = { x: 0, y: 0 };
const graph = {
  nodes: [
    { id: 'http', type: 'producer', position: pos, data: { label: 'REST', source: { kind: 'http' } } },
    { id: 'gen', type: 'producer', position: pos, data: { label: 'Load', source: { kind: 'generator', ratePerSec: 100, count: 1000, payload: { n: '{{seq}}' } } } },
    { id: 'tick', type: 'producer', position: pos, data: { label: 'Tick', source: { kind: 'schedule', cron: '0 * * * *' } } },
    { id: 'q', type: 'queue', position: pos, data: { label: 'Work' } },
    { id: 'c', type: 'consumer', position: pos, data: { label: 'Do', task: { kind: 'noop' } } },
  ],
  edges: [
    { id: 'e1', source: 'http', target: 'q' },
    { id: 'e2', source: 'gen', target: 'q' },
    { id: 'e3', source: 'tick', target: 'q' },
    { id: 'e4', source: 'q', target: 'c' },
  ],
};

beforeAll(async () => {
  await applyMigrations(env.databaseUrl);
  adminKey = (await createApiKey(getDb(), { name: 'admin', scope: 'admin' })).key;
  const res = await pipelines.POST(req('POST', '/api/v1/pipelines', { body: { name: 'Producers', graph } }), { params: Promise.resolve({}) });
  expect(res.status).toBe(201);
  id = (await res.json()).id;
  triggerKey = (await createApiKey(getDb(), { name: 't', scope: 'trigger', pipelineIds: [id] })).key;
});
afterAll(async () => {
  await getDb().$disconnect();
  await env.cleanup();
});

async function errorOf(res: Response, statusCode: number): Promise<string> {
  expect(res.status).toBe(statusCode);
  return (await res.json()).error.code;
}

describe('producer routes', () => {
  it('answers 404 for an unknown pipeline and 409 not_deployed before deploy', async () => {
    expect(await errorOf(await get('gen', 'no-such-pipeline'), 404)).toBe('not_found');
    expect(await errorOf(await get('gen'), 409)).toBe('not_deployed');
    expect(await errorOf(await post(start, 'start', 'gen'), 409)).toBe('not_deployed');
    expect(await errorOf(await post(stop, 'stop', 'gen'), 409)).toBe('not_deployed');
  });

  it('needs an admin key', async () => {
    expect(await errorOf(await get('gen', id, 'cvk_not-a-key'), 401)).toBe('unauthorized');
    expect(await errorOf(await get('gen', id, triggerKey), 403)).toBe('forbidden');
    expect(await errorOf(await post(start, 'start', 'gen', { key: triggerKey }), 403)).toBe('forbidden');
  });

  it('answers 404 for an unknown node or one that is not a producer, 400 for starting a non-generator', async () => {
    expect((await deploy.POST(req('POST', `/api/v1/pipelines/${id}/deploy`), { params: Promise.resolve({ id }) })).status).toBe(200);
    expect(await errorOf(await get('nope'), 404)).toBe('not_found');
    expect(await errorOf(await get('q'), 404)).toBe('not_found');
    expect(await errorOf(await get('bad:id'), 404)).toBe('not_found');
    expect(await errorOf(await post(start, 'start', 'c'), 404)).toBe('not_found');
    expect(await errorOf(await post(start, 'start', 'http'), 400)).toBe('bad_request');
    expect(await errorOf(await post(start, 'start', 'tick'), 400)).toBe('bad_request');
    expect(await errorOf(await post(stop, 'stop', 'tick'), 400)).toBe('bad_request');
  });

  it('reports each kind of producer', async () => {
    expect(await (await get('http')).json()).toEqual({ kind: 'http' });
    expect(await (await get('tick')).json()).toEqual({ kind: 'schedule', state: 'pending', cron: '0 * * * *' });
    const res = await get('gen');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ kind: 'generator', state: 'idle', sent: 0, count: 1000, ratePerSec: 100 });
  });

  it('validates the start body', async () => {
    expect(await errorOf(await post(start, 'start', 'gen', { body: { rate: 5 } }), 400)).toBe('invalid_body');
    expect(await errorOf(await post(start, 'start', 'gen', { body: { count: 0 } }), 400)).toBe('invalid_body');
    expect(await errorOf(await post(start, 'start', 'gen', { body: { ratePerSec: 1e9 } }), 400)).toBe('invalid_body');
    expect(await errorOf(await post(start, 'start', 'gen', { raw: '{' }), 400)).toBe('bad_request');
  });

  it('starts with overrides, refuses a second start with 409, stops', async () => {
    const res = await post(start, 'start', 'gen', { body: { ratePerSec: 5, count: 20 } });
    expect(res.status).toBe(200);
    const started = await res.json();
    expect(started).toMatchObject({ kind: 'generator', state: 'running', sent: 0, count: 20, ratePerSec: 5 });
    expect(Date.parse(started.startedAt)).toBeGreaterThan(Date.now() - 5000);
    expect(await errorOf(await post(start, 'start', 'gen'), 409)).toBe('conflict');

    const stopped = await (await post(stop, 'stop', 'gen')).json();
    expect(stopped).toMatchObject({ kind: 'generator', state: 'stopped', count: 20, ratePerSec: 5, reason: 'stopped by request' });
    expect(stopped.finishedAt).toBeDefined();
    // Stopping again is harmless; a start without a body uses the node's settings.
    expect((await post(stop, 'stop', 'gen')).status).toBe(200);
    expect(await (await post(start, 'start', 'gen')).json()).toMatchObject({ state: 'running', count: 1000, ratePerSec: 100 });
  });

  it('undeploy stops a running generator', async () => {
    expect((await undeploy.POST(req('POST', `/api/v1/pipelines/${id}/undeploy`), { params: Promise.resolve({ id }) })).status).toBe(200);
    const { runtime } = (await import('@/lib/services')).getServices();
    const { readGeneratorStatus } = await import('@/lib/runtime/producers/generator-state');
    expect(await readGeneratorStatus(runtime, id, { nodeId: 'gen', count: 0, ratePerSec: 0 })).toMatchObject({
      state: 'stopped',
      reason: 'pipeline undeployed',
    });
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = await (await openapi.GET()).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/pipelines/{id}/producers/{nodeId}',
        '/api/v1/pipelines/{id}/producers/{nodeId}/start',
        '/api/v1/pipelines/{id}/producers/{nodeId}/stop',
      ]),
    );
  });
});
