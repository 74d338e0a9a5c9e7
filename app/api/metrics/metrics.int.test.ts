import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupIntEnv } from '@/lib/testing/int-env';

// GET /api/metrics called the way Next calls it, against real SQLite and Redis,
// with a real worker supervisor processing messages so every figure comes
// from the runtime's own stats.
const env = setupIntEnv('metrics');

const { applyMigrations } = await import('@/lib/db/migrate');
const { createApiKey } = await import('@/lib/auth/api-keys');
const { getDb } = await import('@/lib/db');
const { setEnvForTests, loadEnv } = await import('@/lib/env');
const { getServices } = await import('@/lib/services');
const { createPipeline } = await import('@/lib/pipelines/crud-pipelines');
const { deployPipeline } = await import('@/lib/pipelines/deploy-pipeline');
const { getDeployedSpec } = await import('@/lib/runtime/deploy');
const { getRun } = await import('@/lib/runtime/runs');
const { triggerRuns } = await import('@/lib/runtime/trigger');
const { consumerNode, edge, eventually, httpProducer, queueNode } = await import('@/lib/runtime/testing');
const { WorkerSupervisor } = await import('@/workers/supervisor');
const metrics = await import('./route');

const noParams = { params: Promise.resolve({}) };
const scrape = (key?: string) =>
  metrics.GET(new Request('http://localhost:3000/api/metrics', { headers: key ? { authorization: `Bearer ${key}` } : {} }), noParams);

/** p -> q1 -> c1 (noop) -> q2 (2 attempts) -> c2 (always fails). */
const graph = {
  nodes: [
    httpProducer('p'),
    queueNode('q1'),
    consumerNode('c1', { kind: 'noop' }, { concurrency: 5 }),
    queueNode('q2', { attempts: 2, backoff: { type: 'fixed', delayMs: 10 } }),
    consumerNode('c2', { kind: 'fail', rate: 1 }, { concurrency: 5 }),
  ],
  edges: [edge('p', 'q1'), edge('q1', 'c1'), edge('c1', 'q2'), edge('q2', 'c2')],
};

interface Series {
  labels: Record<string, string>;
  value: number;
}

/** The samples of one metric name in a Prometheus text body. */
function samples(text: string, name: string): Series[] {
  const out: Series[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ labels, value: Number(m[3]) });
  }
  return out;
}

/** The one sample of `name` whose labels include `where`. */
function valueOf(text: string, name: string, where: Record<string, string> = {}): number | undefined {
  const found = samples(text, name).filter((s) => Object.entries(where).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${name} ${JSON.stringify(where)} matches ${found.length} series`);
  return found[0]?.value;
}

let adminKey: string;
let triggerKey: string;
let pipelineId: string;
const N = 5;
let supervisor: InstanceType<typeof WorkerSupervisor> | undefined;

beforeAll(async () => {
  await applyMigrations(env.databaseUrl);
  adminKey = (await createApiKey(getDb(), { name: 'admin', scope: 'admin' })).key;
  const services = getServices();
  pipelineId = (await createPipeline({ name: 'Orders', graph }, services)).id;
  triggerKey = (await createApiKey(getDb(), { name: 't', scope: 'trigger', pipelineIds: [pipelineId] })).key;
  await deployPipeline(pipelineId, services);
});
afterAll(async () => {
  await supervisor?.stop();
  await getServices().runtime.close();
  await getDb().$disconnect();
  await env.cleanup();
});

describe('GET /api/metrics', () => {
  it('needs an admin key unless METRICS_PUBLIC is on', async () => {
    expect(loadEnv().METRICS_PUBLIC).toBe(false);
    const anonymous = await scrape();
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.code).toBe('unauthorized');
    const trigger = await scrape(triggerKey);
    expect(trigger.status).toBe(403);
    expect((await trigger.json()).error.code).toBe('forbidden');
    const admin = await scrape(adminKey);
    expect(admin.status).toBe(200);
    expect(admin.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');

    setEnvForTests({ METRICS_PUBLIC: '1' });
    try {
      const open = await scrape();
      expect(open.status).toBe(200);
      expect(await open.text()).toContain('conveyor_pipelines_deployed 1');
    } finally {
      setEnvForTests({ METRICS_PUBLIC: '' });
    }
    expect((await scrape()).status).toBe(401);
  });

  it(`reports every node's counters, queue depths, rates and latencies after ${N} messages`, async () => {
    const services = getServices();
    const spec = (await getDeployedSpec(services.runtime, pipelineId))!;
    supervisor = new WorkerSupervisor({
      redisUrl: loadEnv().REDIS_URL!,
      prefix: env.prefix,
      workerId: 'metrics-test-worker',
      statsWindowSec: 300,
      runRetentionHours: 1,
      shutdownGraceMs: 5000,
    });
    await supervisor.start();

    const runIds = await triggerRuns(services.runtime, { spec, payloads: Array.from({ length: N }, (_, i) => ({ i })) });
    await eventually(
      `${N} runs to fail at c2`,
      async () => (await Promise.all(runIds.map((id) => getRun(services.runtime, id)))).every((r) => r?.status === 'failed'),
      20_000,
    );
    await Promise.all([services.runtime.stats.flush(), supervisor.runtime.stats.flush()]);

    // Rates leave out the current second and stats reads are cached for 900 ms: poll until both have passed.
    const text = await eventually('a scrape with every count and a rate', async () => {
      const res = await scrape(adminKey);
      expect(res.status).toBe(200);
      const body = await res.text();
      const c1 = { node_id: 'c1' };
      return valueOf(body, 'conveyor_node_completed_total', c1) === N && valueOf(body, 'conveyor_node_rate_per_second', c1)! > 0
        ? body
        : null;
    });

    const at = (nodeId: string) => ({ pipeline_id: pipelineId, node_id: nodeId });
    expect(samples(text, 'conveyor_node_messages_in_total').find((s) => s.labels.node_id === 'c1')?.labels).toEqual({
      pipeline_id: pipelineId,
      pipeline: 'Orders',
      node_id: 'c1',
      node_type: 'consumer',
    });
    const expected: Array<[string, string, number]> = [
      ['conveyor_node_messages_out_total', 'p', N],
      ['conveyor_node_messages_in_total', 'p', 0],
      ['conveyor_node_messages_in_total', 'q1', N],
      ['conveyor_node_messages_out_total', 'q1', N],
      ['conveyor_node_messages_in_total', 'c1', N],
      ['conveyor_node_messages_out_total', 'c1', N],
      ['conveyor_node_completed_total', 'c1', N],
      ['conveyor_node_failed_total', 'c1', 0],
      ['conveyor_node_retried_total', 'c1', 0],
      ['conveyor_node_messages_in_total', 'q2', N],
      ['conveyor_node_messages_out_total', 'q2', N],
      ['conveyor_node_messages_in_total', 'c2', 2 * N], // every attempt counts
      ['conveyor_node_messages_out_total', 'c2', 0],
      ['conveyor_node_completed_total', 'c2', 0],
      ['conveyor_node_retried_total', 'c2', N],
      ['conveyor_node_failed_total', 'c2', N],
      ['conveyor_queue_waiting', 'q1', 0],
      ['conveyor_queue_active', 'q1', 0],
      ['conveyor_queue_delayed', 'q2', 0],
    ];
    for (const [name, nodeId, value] of expected) expect({ name, nodeId, value: valueOf(text, name, at(nodeId)) }).toEqual({ name, nodeId, value });
    expect(samples(text, 'conveyor_node_messages_in_total')).toHaveLength(5);
    expect(samples(text, 'conveyor_node_completed_total').map((s) => s.labels.node_id).sort()).toEqual(['c1', 'c2']);
    expect(samples(text, 'conveyor_queue_waiting').map((s) => s.labels.node_id).sort()).toEqual(['q1', 'q2']);
    expect(valueOf(text, 'conveyor_node_rate_per_second', at('p'))).toBeGreaterThan(0);

    for (const name of ['conveyor_node_service_seconds', 'conveyor_node_wait_seconds']) {
      for (const nodeId of ['q1', 'c1', 'q2', 'c2']) {
        const q = (quantile: string) => valueOf(text, name, { ...at(nodeId), quantile });
        expect([q('0.5'), q('0.95'), q('0.99')].every((v) => v !== undefined && v >= 0)).toBe(true);
        expect(q('0.99')!).toBeGreaterThanOrEqual(q('0.5')!);
      }
      expect(samples(text, name).filter((s) => s.labels.node_id === 'p')).toEqual([]);
    }
    expect(valueOf(text, 'conveyor_node_service_seconds', { ...at('c1'), quantile: '0.5' })).toBeLessThan(1);

    expect(valueOf(text, 'conveyor_workers')).toBe(1);
    expect(valueOf(text, 'conveyor_pipelines_deployed')).toBe(1);
    expect(text).toMatch(/^# TYPE conveyor_node_messages_in_total counter$/m);
    expect(text).toMatch(/^# HELP conveyor_node_completed_total .*a deploy resets them to 0\.$/m);
    expect(text).toMatch(/^conveyor_process_cpu_seconds_total \S+$/m); // default process metrics, prefixed
  });

  it('shows waiting jobs and no live worker once the worker has stopped', async () => {
    await supervisor!.stop();
    supervisor = undefined;
    const services = getServices();
    const spec = (await getDeployedSpec(services.runtime, pipelineId))!;
    await triggerRuns(services.runtime, { spec, payloads: [1, 2, 3] });
    await services.runtime.stats.flush();

    const text = await eventually('a scrape with 3 waiting jobs', async () => {
      const body = await (await scrape(adminKey)).text();
      return valueOf(body, 'conveyor_queue_waiting', { node_id: 'q1' }) === 3 ? body : null;
    });
    expect(valueOf(text, 'conveyor_node_messages_in_total', { node_id: 'q1' })).toBe(N + 3);
    expect(valueOf(text, 'conveyor_node_messages_out_total', { node_id: 'q1' })).toBe(N);
    expect(valueOf(text, 'conveyor_workers')).toBe(0);
  });

  it('starts counting again at a redeploy', async () => {
    await deployPipeline(pipelineId, getServices());
    const text = await eventually('a scrape after the redeploy', async () => {
      const body = await (await scrape(adminKey)).text();
      return valueOf(body, 'conveyor_node_messages_in_total', { node_id: 'q1' }) === 0 ? body : null;
    });
    expect(valueOf(text, 'conveyor_node_completed_total', { node_id: 'c1' })).toBe(0);
    // The jobs themselves are still there: a redeploy keeps waiting jobs.
    expect(valueOf(text, 'conveyor_queue_waiting', { node_id: 'q1' })).toBe(3);
  });
});
