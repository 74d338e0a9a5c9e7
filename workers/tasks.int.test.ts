import { describe, expect, it } from 'vitest';
import type { CompiledSpec } from '../lib/pipeline/compile';
import type { Task } from '../lib/pipeline/schema';
import { publishSpec, unpublishSpec } from '../lib/runtime/deploy';
import { parseJobData } from '../lib/runtime/job-data';
import { consumerNode, edge, httpProducer, queueNode, specOf, testPipelineId } from '../lib/runtime/testing';
import { triggerRuns } from '../lib/runtime/trigger';
import { useSupervisorHarness } from './supervisor-harness';

/**
 * The pipeline language's consumers (lib/tasks) on a deployed pipeline: real
 * Redis, an in-process WorkerSupervisor, the real sandbox. It lives in
 * workers/ because lib/ may not import workers/ (scripts/check-imports.ts).
 */
const h = useSupervisorHarness({ finishTimeoutMs: 30_000, finishPollMs: 100 });
/** Every test here runs one supervisor at a time, under this id. */
const WORKER = 'w-tasks';

/** Payloads of the completed jobs of a queue node, by run id. */
async function deliveredTo(spec: CompiledSpec, queueId: string): Promise<Map<string, unknown>> {
  const jobs = await h.app.queues.get(spec.queues[queueId]!.queueName).getJobs(['completed'], 0, -1);
  const byRun = new Map<string, unknown>();
  for (const job of jobs) {
    const data = parseJobData(job.data);
    if (!data.ok) throw new Error(data.error);
    expect(byRun.has(data.data.runId)).toBe(false); // exactly once per run
    byRun.set(data.data.runId, data.data.payload);
  }
  return byRun;
}

// What the deployed transform and route compute, written again in plain JS.
const TRANSFORM = `
if (msg.spin) { for (;;) {} }
if (msg.reject) throw new Error('rejected ' + msg.id);
return { id: msg.id, total: msg.price * msg.qty, vip: msg.customer === 'acme' };`;
const ROUTE: Task = {
  kind: 'route',
  rules: [
    { when: 'msg.total >= 100', edgeId: 'rt-big' },
    { when: 'msg.vip', edgeId: 'rt-vip' },
  ],
};
const payloadOf = (i: number) => ({ id: i, price: i % 50, qty: 3, customer: i % 7 === 0 ? 'acme' : 'other', note: 'dropped' });
const transformed = (i: number) => ({ id: i, total: (i % 50) * 3, vip: i % 7 === 0 });
function expectedQueues(i: number): string[] {
  const m = transformed(i);
  const picked = [...(m.total >= 100 ? ['big'] : []), ...(m.vip ? ['vip'] : [])];
  return picked.length ? picked : ['rest'];
}

/** p -> q1 -> tf (transform) -> q2 -> rt (route) -> big | vip | rest (default) -> noop consumers. */
function routedPipeline(pid: string) {
  const keepAll = { retention: { completed: 1_000_000 } };
  return specOf(
    {
      nodes: [
        httpProducer('p'),
        queueNode('q1', { attempts: 3, backoff: { type: 'fixed', delayMs: 10 } }),
        consumerNode('tf', { kind: 'transform', code: TRANSFORM, timeoutMs: 200 }, { concurrency: 20 }),
        queueNode('q2'),
        consumerNode('rt', ROUTE, { concurrency: 20 }),
        queueNode('big', keepAll),
        queueNode('vip', keepAll),
        queueNode('rest', keepAll),
        consumerNode('cBig', { kind: 'noop' }, { concurrency: 20 }),
        consumerNode('cVip', { kind: 'noop' }, { concurrency: 20 }),
        consumerNode('cRest', { kind: 'noop' }, { concurrency: 20 }),
      ],
      edges: [
        edge('p', 'q1'),
        edge('q1', 'tf'),
        edge('tf', 'q2'),
        edge('q2', 'rt'),
        { id: 'rt-big', source: 'rt', target: 'big' },
        { id: 'rt-vip', source: 'rt', target: 'vip' },
        { id: 'rt-rest', source: 'rt', target: 'rest' },
        edge('big', 'cBig'),
        edge('vip', 'cVip'),
        edge('rest', 'cRest'),
      ],
    },
    pid,
  );
}

describe('transform and route on a deployed pipeline', () => {
  it('delivers each message, transformed, to exactly the queues its rules pick; bad messages fail alone', async () => {
    const pid = testPipelineId();
    const spec = routedPipeline(pid);
    await publishSpec(h.app, spec);
    await h.startSupervisor(WORKER);

    const n = 600;
    const payloads: unknown[] = Array.from({ length: n }, (_, i) => payloadOf(i));
    payloads.push({ id: 'spin', spin: true }, { id: 'rej', reject: true });
    const t0 = Date.now();
    const runIds = await triggerRuns(h.app, { spec, payloads });
    const runs = await h.allFinished(runIds);
    const elapsed = Date.now() - t0;
    console.log(`${n} runs through transform -> route -> noop: ${elapsed} ms, ${Math.round((n / elapsed) * 1000)} runs/s`);

    const delivered = { big: await deliveredTo(spec, 'big'), vip: await deliveredTo(spec, 'vip'), rest: await deliveredTo(spec, 'rest') };
    for (let i = 0; i < n; i++) {
      const run = runs[i]!;
      const want = expectedQueues(i);
      expect(run.status, `run ${i}`).toBe('completed');
      for (const q of ['big', 'vip', 'rest'] as const) {
        if (want.includes(q)) expect(delivered[q].get(run.id), `message ${i} in ${q}`).toEqual(transformed(i));
        else expect(delivered[q].has(run.id), `message ${i} not in ${q}`).toBe(false);
      }
      const sinks = { big: 'cBig', vip: 'cVip', rest: 'cRest' };
      expect(run.steps.map((s) => s.nodeId).sort()).toEqual(['rt', 'tf', ...want.map((q) => sinks[q as keyof typeof sinks])].sort());
    }
    // Every case was exercised: fan-out to both, one, and the default branch.
    const counts = { both: 0, big: 0, vip: 0, rest: 0 };
    for (let i = 0; i < n; i++) {
      const w = expectedQueues(i);
      counts[w.length === 2 ? 'both' : (w[0] as 'big' | 'vip' | 'rest')]++;
    }
    expect(Math.min(...Object.values(counts))).toBeGreaterThan(10);
    expect(delivered.big.size + delivered.vip.size + delivered.rest.size).toBe(n + counts.both);

    // The infinite loop failed its run once (a limit is not retried); the worker lived on.
    const spin = runs[n]!;
    expect(spin.status).toBe('failed');
    expect(spin.steps).toEqual([expect.objectContaining({ nodeId: 'tf', status: 'failed', attempts: 1, error: 'transform timed out after 200 ms' })]);
    // A throw is retried up to the queue's attempts.
    const rej = runs[n + 1]!;
    expect(rej.status).toBe('failed');
    expect(rej.steps).toEqual([expect.objectContaining({ nodeId: 'tf', status: 'failed', attempts: 3, error: expect.stringMatching(/^transform code threw Error: rejected rej \(line 3/) })]);
  });

  it('a transform that does not compile fails each run at once, and a redeploy with fixed code runs on the same worker', async () => {
    const pid = testPipelineId();
    const graph = (code: string, version: number) =>
      specOf(
        {
          nodes: [httpProducer('p'), queueNode('q', { attempts: 5 }), consumerNode('tf', { kind: 'transform', code })],
          edges: [edge('p', 'q'), edge('q', 'tf')],
        },
        pid,
        version,
      );
    const v1 = graph('return { x: msg.a + }', 1);
    await publishSpec(h.app, v1);
    const sup = await h.startSupervisor(WORKER);
    const [bad] = await h.allFinished(await triggerRuns(h.app, { spec: v1, payloads: [{ a: 1 }] }));
    expect(bad!.status).toBe('failed');
    expect(bad!.steps[0]).toMatchObject({ status: 'failed', attempts: 1, error: expect.stringMatching(/^transform code does not compile: SyntaxError/) });

    const v2 = graph('return { x: msg.a + 1 }', 2);
    await publishSpec(h.app, v2);
    await sup.reconcile();
    const [good] = await h.allFinished(await triggerRuns(h.app, { spec: v2, payloads: [{ a: 1 }] }));
    expect(good).toMatchObject({ status: 'completed', version: 2, output: { x: 2 } });
  });

  it('a message no rule matches, with no default edge, ends its run completed at the route', async () => {
    const pid = testPipelineId();
    const spec = specOf(
      {
        nodes: [httpProducer('p'), queueNode('q'), consumerNode('rt', { kind: 'route', rules: [{ when: 'msg.ok', edgeId: 'rt-out' }] }), queueNode('out'), consumerNode('c', { kind: 'noop' })],
        edges: [edge('p', 'q'), edge('q', 'rt'), { id: 'rt-out', source: 'rt', target: 'out' }, edge('out', 'c')],
      },
      pid,
    );
    await publishSpec(h.app, spec);
    await h.startSupervisor(WORKER);
    const [matched, unmatched] = await h.allFinished(await triggerRuns(h.app, { spec, payloads: [{ ok: true }, { ok: false }] }));
    expect(matched).toMatchObject({ status: 'completed', output: { ok: true } });
    expect(matched!.steps.map((s) => s.nodeId)).toEqual(['rt', 'c']);
    expect(unmatched!.status).toBe('completed');
    expect(unmatched!.steps.map((s) => [s.nodeId, s.status])).toEqual([['rt', 'completed']]);
  });
});
