import { describe, expect, it } from 'vitest';
import type { Task } from '../lib/pipeline/schema';
import { publishSpec, unpublishSpec } from '../lib/runtime/deploy';
import type { JobData } from '../lib/runtime/job-data';
import { getRun } from '../lib/runtime/runs';
import { consumerNode, edge, eventually, httpProducer, queueNode, specOf, testPipelineId } from '../lib/runtime/testing';
import { triggerRuns } from '../lib/runtime/trigger';
import { listWorkers } from '../lib/runtime/workers';
import { useSupervisorHarness } from './supervisor-harness';

const h = useSupervisorHarness({ finishPollMs: 100 });

/** p -> q1 -> c1 -> q2 -> c2, with the given tasks. */
function twoStage(pid: string, t1: Task, t2: Task, version = 1, extra?: { c1Concurrency?: number; c2Concurrency?: number }) {
  return specOf(
    {
      nodes: [
        httpProducer('p'),
        queueNode('q1', { attempts: 3 }),
        consumerNode('c1', t1, { concurrency: extra?.c1Concurrency ?? 20 }),
        queueNode('q2'),
        consumerNode('c2', t2, { concurrency: extra?.c2Concurrency ?? 50 }),
      ],
      edges: [edge('p', 'q1'), edge('q1', 'c1'), edge('c1', 'q2'), edge('q2', 'c2')],
    },
    pid,
    version,
  );
}

/** Counts run-done messages per run id. */
async function listenForRunsDone(): Promise<{ counts: Map<string, number>; off: () => void }> {
  const counts = new Map<string, number>();
  const off = await h.app.pubsub.subscribe(h.app.keys.runDoneChannel, (id) => counts.set(id, (counts.get(id) ?? 0) + 1));
  return { counts, off };
}

describe('WorkerSupervisor', () => {
  it('runs 200 runs through producer -> noop -> delay, each completing exactly once, with stats to match', async () => {
    const pid = testPipelineId();
    const spec = twoStage(pid, { kind: 'noop' }, { kind: 'delay', ms: 5, jitterMs: 2 });
    await publishSpec(h.app, spec);
    const sup = await h.startSupervisor('w-main');
    expect(sup.consumers).toEqual([`${pid}/c1`, `${pid}/c2`]);
    const done = await listenForRunsDone();

    const payloads = Array.from({ length: 200 }, (_, i) => ({ i }));
    const t0 = Date.now();
    const runIds = await triggerRuns(h.app, { spec, payloads });
    const runs = await h.allFinished(runIds);
    const elapsed = Date.now() - t0;
    console.log(`200 runs, 2 stages (noop, delay 5±2 ms): ${elapsed} ms, ${Math.round((400 / elapsed) * 1000)} jobs/s`);

    runs.forEach((run, i) => {
      expect(run.status).toBe('completed');
      expect(run.version).toBe(1);
      expect(run.output).toEqual({ i });
      expect(run.steps.map((s) => [s.nodeId, s.status, s.attempts])).toEqual([
        ['c1', 'completed', 1],
        ['c2', 'completed', 1],
      ]);
    });
    // Each job's end counted once: exactly one done| marker per job, pending back to 0.
    for (const id of runIds.slice(0, 20)) {
      const fields = await h.app.redis.hgetall(h.app.keys.run(id));
      expect(Object.keys(fields).filter((f) => f.startsWith('done|'))).toHaveLength(2);
      expect(fields.pending).toBe('0');
    }
    await new Promise((r) => setTimeout(r, 100));
    done.off();
    expect(done.counts.size).toBe(200);
    expect([...done.counts.values()].every((n) => n === 1)).toBe(true);

    // No duplicate jobs: each queue saw exactly 200 and all completed.
    for (const q of ['q1', 'q2']) {
      const c = await h.app.queues.get(spec.queues[q]!.queueName).getJobCounts('completed', 'failed', 'waiting', 'active', 'delayed');
      expect(c).toEqual({ completed: 200, failed: 0, waiting: 0, active: 0, delayed: 0 });
    }

    const stats = await h.statsNow([sup], spec);
    const n = stats.nodes;
    expect(n.p).toMatchObject({ out: 200, in: 0 });
    expect(n.q1).toMatchObject({ in: 200, out: 200, waiting: 0, active: 0, delayed: 0 });
    expect(n.c1).toMatchObject({ in: 200, out: 200, completed: 200, failed: 0, retried: 0 });
    expect(n.q2).toMatchObject({ in: 200, out: 200 });
    expect(n.c2).toMatchObject({ in: 200, out: 0, completed: 200, failed: 0, retried: 0 });
    expect(n.c1!.byWorker).toEqual({ 'w-main': { completed: 200, failed: 0 } });
    expect(n.c2!.byWorker).toEqual({ 'w-main': { completed: 200, failed: 0 } });
    // delay 5±2 ms: service time is at least the delay, percentiles ordered
    expect(n.c2!.serviceMs.p50).toBeGreaterThanOrEqual(3 * 0.98);
    expect(n.c2!.serviceMs.p50).toBeLessThan(100);
    expect(n.c2!.serviceMs.p99).toBeGreaterThanOrEqual(n.c2!.serviceMs.p95);
    expect(n.c2!.serviceMs.p95).toBeGreaterThanOrEqual(n.c2!.serviceMs.p50);
    expect(n.c1!.serviceMs.p50).toBeLessThan(n.c2!.serviceMs.p50);
    // 200 jobs arrived at once on 20 slots: most of them waited
    expect(n.q1!.waitMs.p95).toBeGreaterThan(0);
    expect(n.q1!.waitMs).toEqual(n.c1!.waitMs);
    expect(stats.workers.map((w) => w.id)).toContain('w-main');
  });

  it('picks up a redeploy within a second without restarting; in-flight jobs finish on their version', async () => {
    const pid = testPipelineId();
    const v1 = twoStage(pid, { kind: 'delay', ms: 600 }, { kind: 'noop' });
    await publishSpec(h.app, v1);
    const sup = await h.startSupervisor('w-redeploy');
    const [runA] = (await triggerRuns(h.app, { spec: v1, payloads: ['a'] })) as [string];
    await eventually('run A at c1', async () => (await getRun(h.app, runA))?.steps.some((s) => s.nodeId === 'c1'));

    // v2: c1 also feeds a new queue q3 consumed by a new consumer c3.
    const v2 = specOf(
      {
        nodes: [
          httpProducer('p'),
          queueNode('q1', { attempts: 3 }),
          consumerNode('c1', { kind: 'delay', ms: 10 }, { concurrency: 20 }),
          queueNode('q2'),
          consumerNode('c2', { kind: 'noop' }),
          queueNode('q3'),
          consumerNode('c3', { kind: 'noop' }),
        ],
        edges: [edge('p', 'q1'), edge('q1', 'c1'), edge('c1', 'q2'), edge('q2', 'c2'), edge('c1', 'q3'), edge('q3', 'c3')],
      },
      pid,
      2,
    );
    const deployedAt = Date.now();
    await publishSpec(h.app, v2);
    await eventually('c3 to start', async () => sup.consumers.includes(`${pid}/c3`), 3000, 10);
    const pickup = Date.now() - deployedAt;
    console.log(`redeploy picked up in ${pickup} ms`);
    expect(pickup).toBeLessThan(1000);

    const [runB] = (await triggerRuns(h.app, { spec: v2, payloads: ['b'] })) as [string];
    const [a, b] = await h.allFinished([runA, runB]);
    expect(a!.version).toBe(1);
    expect(a!.status).toBe('completed');
    expect(a!.steps.map((s) => s.nodeId).sort()).toEqual(['c1', 'c2']); // v1 had no c3
    expect(b!.version).toBe(2);
    expect(b!.status).toBe('completed');
    expect(b!.steps.map((s) => s.nodeId).sort()).toEqual(['c1', 'c2', 'c3']);
    expect(b!.output).toBe('b');

    // Undeploy: its consumers close within a second.
    await unpublishSpec(h.app, pid);
    await eventually('consumers to close', async () => !sup.consumers.some((c) => c.startsWith(`${pid}/`)), 1500, 10);
  });

  it('keeps consumers a redeploy dropped until the jobs older versions left in their queues are done', async () => {
    const pid = testPipelineId();
    // v1: p -> q1 -> c1 (slow, one at a time) -> q2 -> c2
    const v1 = twoStage(pid, { kind: 'delay', ms: 20 }, { kind: 'noop' }, 1, { c1Concurrency: 1 });
    await publishSpec(h.app, v1);
    const sup = await h.startSupervisor('w-drain');
    await eventually('v1 consumers', async () => sup.consumers.includes(`${pid}/c1`), 3000, 10);
    const runs = await triggerRuns(h.app, { spec: v1, payloads: Array.from({ length: 15 }, (_, i) => i) });

    // v2 replaces the whole graph: nothing in it consumes q1 or q2.
    const v2 = specOf(
      { nodes: [httpProducer('p'), queueNode('q9'), consumerNode('c9', { kind: 'noop' })], edges: [edge('p', 'q9'), edge('q9', 'c9')] },
      pid,
      2,
    );
    await publishSpec(h.app, v2);
    await eventually('c9 to start', async () => sup.consumers.includes(`${pid}/c9`), 3000, 10);
    expect(sup.consumers).toContain(`${pid}/c1`); // still draining v1's work

    const finished = await h.allFinished(runs);
    for (const run of finished) {
      expect(run).toMatchObject({ version: 1, status: 'completed' });
      expect(run.steps.map((st) => st.nodeId).sort()).toEqual(['c1', 'c2']);
    }
    // Once v1's queues are empty its consumers stop.
    await eventually('v1 consumers to retire', async () => !sup.consumers.includes(`${pid}/c1`) && !sup.consumers.includes(`${pid}/c2`), 5000, 20);
    expect(sup.consumers).toContain(`${pid}/c9`);
  });

  it('notices a deploy by polling when the announcement is missed', async () => {
    const pid = testPipelineId();
    const spec = twoStage(pid, { kind: 'noop' }, { kind: 'noop' });
    const sup = await h.startSupervisor('w-poll');
    // Write what publishSpec writes, without the PUBLISH.
    await h.app.redis.set(h.app.keys.spec(pid, 1), JSON.stringify(spec));
    await h.app.redis.hset(h.app.keys.deployed, pid, '1');
    await eventually('consumers from the poll', async () => sup.consumers.includes(`${pid}/c2`), 2000, 20);
    await h.app.redis.hdel(h.app.keys.deployed, pid);
  });

  it('fails a malformed job without retrying it and keeps working', async () => {
    const pid = testPipelineId();
    const spec = twoStage(pid, { kind: 'noop' }, { kind: 'noop' });
    await publishSpec(h.app, spec);
    const sup = await h.startSupervisor('w-malformed');
    const queue = h.app.queues.get(spec.queues.q1!.queueName);
    const bad = await queue.add('junk', { hello: 'world' } as unknown as JobData, { attempts: 3 });
    // State first, then the job: a job read before it failed has no failedReason.
    const failed = await eventually('the malformed job to fail', async () =>
      (await queue.getJobState(bad.id!)) === 'failed' ? queue.getJob(bad.id!) : null,
    );
    expect(failed.failedReason).toMatch(/malformed job data/);
    expect(failed.attemptsMade).toBe(1);

    // A payload-less message (JSON drops `payload: undefined`) is not malformed.
    const runIds = await triggerRuns(h.app, { spec, payloads: ['fine', undefined] });
    const [run, empty] = await h.allFinished(runIds);
    expect(run!.status).toBe('completed');
    expect(run!.output).toBe('fine');
    expect(empty!.status).toBe('completed');
    expect(empty!.output).toBeUndefined();
    const stats = await h.statsNow([sup], spec);
    expect(stats.nodes.c1).toMatchObject({ in: 3, completed: 2, failed: 1 });
  });

  it('fails a run at an unsupported task kind for good, without retries', async () => {
    const pid = testPipelineId();
    // External sinks come with a later issue.
    const spec = twoStage(pid, { kind: 'noop' }, { kind: 'mqtt', url: 'mqtt://127.0.0.1:1883', topic: 'conveyor-test' });
    spec.queues.q2!.options.attempts = 3;
    await publishSpec(h.app, spec);
    const sup = await h.startSupervisor('w-unsupported');
    const [runId] = (await triggerRuns(h.app, { spec, payloads: [1] })) as [string];
    const [run] = await h.allFinished([runId]);
    expect(run!.status).toBe('failed');
    expect(run!.finishedAt).toBeDefined();
    expect(run!.steps[1]).toMatchObject({ nodeId: 'c2', status: 'failed', attempts: 1, error: 'task kind mqtt is not supported yet' });
    const stats = await h.statsNow([sup], spec);
    expect(stats.nodes.c2).toMatchObject({ in: 1, failed: 1, retried: 0, completed: 0 });
    expect(stats.nodes.c2!.byWorker['w-unsupported']).toEqual({ completed: 0, failed: 1 });
  });

  it('retries a failing attempt with the queue\'s backoff, then fails the run for good', async () => {
    const pid = testPipelineId();
    const spec = twoStage(pid, { kind: 'noop' }, { kind: 'noop' });
    spec.queues.q1!.options = { attempts: 3, backoff: { type: 'fixed', delayMs: 50 } };
    const honest = structuredClone(spec);
    // Sabotage: c1's results go to a queue BullMQ refuses to open, so every attempt of c1 fails (retryably).
    spec.queues.q2!.queueName = 'not:allowed';
    await publishSpec(h.app, spec);
    const sup = await h.startSupervisor('w-retry');
    const [runId] = (await triggerRuns(h.app, { spec, payloads: ['x'] })) as [string];
    const [run] = await h.allFinished([runId]);
    expect(run!.status).toBe('failed');
    expect(run!.steps).toHaveLength(1);
    expect(run!.steps[0]).toMatchObject({ nodeId: 'c1', status: 'failed', attempts: 3, error: expect.stringMatching(/cannot contain :/) });
    const job = await h.app.queues.get(spec.queues.q1!.queueName).getJob(`${runId}.q1`);
    expect(job?.attemptsMade).toBe(3);
    expect(job!.finishedOn! - job!.timestamp).toBeGreaterThanOrEqual(100); // two backoffs of 50 ms
    const stats = await h.statsNow([sup], honest);
    expect(stats.nodes.c1).toMatchObject({ in: 3, completed: 0, retried: 2, failed: 1, out: 0 });
    expect(stats.nodes.q1).toMatchObject({ in: 1, out: 1 });
  });

  it('splits a work queue between competing consumers and between worker processes', async () => {
    const pid = testPipelineId();
    const spec = specOf(
      {
        nodes: [
          httpProducer('p'),
          queueNode('q'),
          consumerNode('ca', { kind: 'delay', ms: 3 }, { concurrency: 2 }),
          consumerNode('cb', { kind: 'delay', ms: 3 }, { concurrency: 6 }),
        ],
        edges: [edge('p', 'q'), edge('q', 'ca'), edge('q', 'cb')],
      },
      pid,
    );
    await publishSpec(h.app, spec);
    const s1 = await h.startSupervisor('w-one');
    const s2 = await h.startSupervisor('w-two');
    const total = 400;
    const runIds = await triggerRuns(h.app, { spec, payloads: Array.from({ length: total }, (_, i) => i) });
    const runs = await h.allFinished(runIds, 25_000);
    expect(runs.every((r) => r.status === 'completed' && r.steps.length === 1)).toBe(true);

    const stats = await h.statsNow([s1, s2], spec);
    const a = stats.nodes.ca!;
    const b = stats.nodes.cb!;
    console.log(`work queue split: ca=${a.completed} cb=${b.completed}; by worker`, a.byWorker, b.byWorker);
    expect(a.completed).toBeGreaterThan(0);
    expect(b.completed).toBeGreaterThan(0);
    expect(a.completed + b.completed).toBe(total);
    expect(stats.nodes.q).toMatchObject({ in: total, out: total });
    const perWorker = (id: string) => (a.byWorker[id]?.completed ?? 0) + (b.byWorker[id]?.completed ?? 0);
    expect(perWorker('w-one')).toBeGreaterThan(0);
    expect(perWorker('w-two')).toBeGreaterThan(0);
    expect(perWorker('w-one') + perWorker('w-two')).toBe(total);
    const runSteps = new Map(runs.map((r) => [r.id, r.steps[0]!.nodeId]));
    expect([...runSteps.values()].filter((c) => c === 'ca').length).toBe(a.completed);
  });

  it('stops gracefully: active jobs finish, stats are flushed, the heartbeat goes', async () => {
    const pid = testPipelineId();
    const spec = specOf(
      {
        nodes: [httpProducer('p'), queueNode('q'), consumerNode('c', { kind: 'delay', ms: 400 }, { concurrency: 10 })],
        edges: [edge('p', 'q'), edge('q', 'c')],
      },
      pid,
    );
    await publishSpec(h.app, spec);
    const sup = await h.startSupervisor('w-stop');
    expect((await listWorkers(h.app)).map((w) => w.id)).toContain('w-stop');
    const runIds = await triggerRuns(h.app, { spec, payloads: Array.from({ length: 10 }, (_, i) => i) });
    await eventually('10 active jobs', async () => {
      const c = await h.app.queues.get(spec.queues.q!.queueName).getJobCounts('active');
      return c.active === 10;
    });
    const t0 = Date.now();
    await sup.stop();
    expect(Date.now() - t0).toBeLessThan(5000);
    const runs = await Promise.all(runIds.map((id) => getRun(h.app, id)));
    expect(runs.every((r) => r?.status === 'completed')).toBe(true);
    const totals = await h.app.redis.hgetall(h.app.keys.statsTotals(pid));
    expect(totals['c|completed']).toBe('10');
    expect((await listWorkers(h.app)).map((w) => w.id)).not.toContain('w-stop');
  });

  it('drains a backlog of 5000 runs enqueued before any worker started, each exactly once', async () => {
    // Speed is npm run bench's job; this checks a large backlog loses and repeats nothing.
    const pid = testPipelineId();
    const spec = specOf(
      {
        nodes: [httpProducer('p'), queueNode('q'), consumerNode('c', { kind: 'noop' }, { concurrency: 100 })],
        edges: [edge('p', 'q'), edge('q', 'c')],
      },
      pid,
    );
    await publishSpec(h.app, spec);
    const done = await listenForRunsDone();
    const total = 5000;
    for (let i = 0; i < total; i += 1000) {
      await triggerRuns(h.app, { spec, payloads: Array.from({ length: 1000 }, (_, j) => i + j) });
    }
    const sup = await h.startSupervisor('w-backlog');
    await eventually('all runs done', async () => done.counts.size >= total, 30_000, 20);
    done.off();
    expect(done.counts.size).toBe(total);
    expect([...done.counts.values()].every((n) => n === 1)).toBe(true);
    const stats = await h.statsNow([sup], spec);
    expect(stats.nodes.c).toMatchObject({ completed: total, failed: 0 });
    expect(stats.nodes.q).toMatchObject({ in: total, out: total });
  }, 60_000);
});
