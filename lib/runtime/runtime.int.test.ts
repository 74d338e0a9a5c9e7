import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { SINCE_FIELD } from '../stats/fields';
import { createRuntimeContext, type RuntimeContext } from './context';
import { getDeployedSpec, getSpec, listDeployed, publishSpec, unpublishSpec } from './deploy';
import { parseJobData } from './job-data';
import { initialJobId } from './job-ids';
import { getRun, markJobFinished, markJobStarted, waitForRun, countRunWaiters } from './runs';
import {
  consumerNode,
  deletePrefix,
  edge,
  httpProducer,
  queueNode,
  specOf,
  testPipelineId,
  testPrefix,
  testRedisUrl,
} from './testing';
import { triggerRuns } from './trigger';

const url = testRedisUrl();
const prefix = testPrefix();
let ctx: RuntimeContext;

beforeAll(() => {
  ctx = createRuntimeContext(url, prefix, { statsWindowSec: 120, runRetentionHours: 1 });
});
afterAll(async () => {
  await ctx.close();
  await deletePrefix(url, prefix);
});

/** producer p -> queue q -> consumer c (noop); with `fanOut`, p also feeds q2 -> c2. */
function simpleSpec(pid: string, version = 1, fanOut = false) {
  const nodes = [httpProducer('p'), queueNode('q', { attempts: 3 }), consumerNode('c', { kind: 'noop' })];
  const edges = [edge('p', 'q'), edge('q', 'c')];
  if (fanOut) {
    nodes.push(queueNode('q2'), consumerNode('c2', { kind: 'noop' }));
    edges.push(edge('p', 'q2'), edge('q2', 'c2'));
  }
  return specOf({ nodes, edges }, pid, version);
}

describe('deploy', () => {
  it('publishes, reads back, resets stats totals, announces, and unpublishes', async () => {
    const pid = testPipelineId();
    const heard: string[] = [];
    const off = await ctx.pubsub.subscribe(ctx.keys.deploysChannel, (m) => heard.push(m));
    await ctx.redis.hset(ctx.keys.statsTotals(pid), 'q|in', '42');

    const v1 = simpleSpec(pid, 1);
    await publishSpec(ctx, v1);
    expect(await getDeployedSpec(ctx, pid)).toEqual(v1);
    const totals = await ctx.redis.hgetall(ctx.keys.statsTotals(pid));
    expect(totals['q|in']).toBeUndefined();
    expect(Number(totals[SINCE_FIELD])).toBeGreaterThan(Date.now() - 5000);

    const v2 = simpleSpec(pid, 2, true);
    await publishSpec(ctx, v2);
    expect((await getDeployedSpec(ctx, pid))?.version).toBe(2);
    // Old versions stay readable for jobs still carrying them.
    expect(await getSpec(ctx, pid, 1)).toEqual(v1);
    expect((await listDeployed(ctx)).get(pid)).toBe(2);

    await unpublishSpec(ctx, pid);
    expect(await getDeployedSpec(ctx, pid)).toBeNull();
    expect(await getSpec(ctx, pid, 2)).toEqual(v2);
    await new Promise((r) => setTimeout(r, 50));
    off();
    expect(heard.filter((m) => m === pid)).toHaveLength(3);
  });

  it('never makes an older version live over a newer one (two deploys racing, the older publishing last)', async () => {
    const pid = testPipelineId();
    expect(await publishSpec(ctx, simpleSpec(pid, 3))).toBe(true);
    await ctx.redis.hset(ctx.keys.statsTotals(pid), 'q|in', '5');
    expect(await publishSpec(ctx, simpleSpec(pid, 2))).toBe(false);
    expect((await listDeployed(ctx)).get(pid)).toBe(3);
    expect(await ctx.redis.hget(ctx.keys.statsTotals(pid), 'q|in')).toBe('5');
    expect(await getSpec(ctx, pid, 2)).toEqual(simpleSpec(pid, 2));
    await unpublishSpec(ctx, pid);
    // After an undeploy any version may go live again.
    expect(await publishSpec(ctx, simpleSpec(pid, 2))).toBe(true);
    expect((await listDeployed(ctx)).get(pid)).toBe(2);
    await unpublishSpec(ctx, pid);
  });

  it('answers null for a version never published', async () => {
    expect(await getSpec(ctx, testPipelineId(), 7)).toBeNull();
  });
});

describe('triggerRuns', () => {
  it('creates run records and one job per payload per output queue', async () => {
    const pid = testPipelineId();
    const spec = simpleSpec(pid, 1, true);
    await publishSpec(ctx, spec);
    const runIds = await triggerRuns(ctx, { spec, payloads: [{ n: 1 }, { n: 2 }, 'three'] });
    expect(runIds).toHaveLength(3);
    expect(new Set(runIds).size).toBe(3);
    for (const id of runIds) expect(id).toMatch(/^run_[a-z0-9]{22}$/);

    const run = await getRun(ctx, runIds[0]!);
    expect(run).toMatchObject({ id: runIds[0], pipelineId: pid, version: 1, status: 'queued', steps: [] });
    expect(Date.parse(run!.createdAt)).toBeGreaterThan(Date.now() - 5000);
    expect(await ctx.redis.hget(ctx.keys.run(runIds[0]!), 'pending')).toBe('2');
    const ttl = await ctx.redis.ttl(ctx.keys.run(runIds[0]!));
    expect(ttl).toBeGreaterThan(3500);
    expect(ttl).toBeLessThanOrEqual(3600);

    for (const q of ['q', 'q2']) {
      const queue = ctx.queues.get(spec.queues[q]!.queueName);
      const jobs = await queue.getJobs(['waiting']);
      expect(jobs).toHaveLength(3);
      for (const [i, id] of runIds.entries()) {
        const job = await queue.getJob(initialJobId(id, q));
        const parsed = parseJobData(job?.data);
        expect(parsed.ok && parsed.data).toEqual({ runId: id, v: 1, payload: [{ n: 1 }, { n: 2 }, 'three'][i], from: 'p' });
        expect(job?.opts.attempts).toBe(q === 'q' ? 3 : 1);
        expect(job?.opts.removeOnComplete).toEqual({ count: 1000 });
      }
    }
  });

  it('picks the producer: the only http one, a named one, else a clear error', async () => {
    const pid = testPipelineId();
    const two = specOf(
      {
        nodes: [httpProducer('a'), httpProducer('b'), queueNode('q'), consumerNode('c', { kind: 'noop' })],
        edges: [edge('a', 'q'), edge('b', 'q'), edge('q', 'c')],
      },
      pid,
    );
    const err = await triggerRuns(ctx, { spec: two, payloads: [1] }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('bad_request');
    const missing = await triggerRuns(ctx, { spec: two, producerId: 'zz', payloads: [1] }).catch((e) => e);
    expect(missing.code).toBe('not_found');
    const [runId] = await triggerRuns(ctx, { spec: two, producerId: 'b', payloads: [1] });
    const job = await ctx.queues.get(two.queues.q!.queueName).getJob(initialJobId(runId!, 'q'));
    expect(job?.data.from).toBe('b');
  });

  it('honours an Idempotency-Key: the repeat returns the first run and enqueues nothing', async () => {
    const pid = testPipelineId();
    const spec = simpleSpec(pid);
    const first = await triggerRuns(ctx, { spec, payloads: ['x'], idempotencyKey: 'order-17' });
    const again = await triggerRuns(ctx, { spec, payloads: ['y'], idempotencyKey: 'order-17' });
    const other = await triggerRuns(ctx, { spec, payloads: ['z'], idempotencyKey: 'order-18' });
    expect(again).toEqual(first);
    expect(other[0]).not.toBe(first[0]);
    const counts = await ctx.queues.get(spec.queues.q!.queueName).getJobCounts('waiting');
    expect(counts.waiting).toBe(2);
    expect(await ctx.redis.ttl(ctx.keys.idempotency(pid, 'order-17'))).toBeGreaterThan(86_000);
    const batch = await triggerRuns(ctx, { spec, payloads: [1, 2], idempotencyKey: 'k' }).catch((e) => e);
    expect(batch.code).toBe('bad_request');
  });

  it('enqueues a batch of 1000 in a handful of round trips, not 1000', async () => {
    const pid = testPipelineId();
    const spec = simpleSpec(pid, 1, true);
    await triggerRuns(ctx, { spec, payloads: [0] }); // warm up: Queue objects, script loading
    const stream = (ctx.redis as unknown as { stream: { write: (...a: unknown[]) => boolean } }).stream;
    const original = stream.write;
    let writes = 0;
    stream.write = function (this: unknown, ...args: unknown[]) {
      writes++;
      return original.apply(this, args);
    };
    let runIds: string[];
    try {
      runIds = await triggerRuns(ctx, { spec, payloads: Array.from({ length: 1000 }, (_, i) => ({ i })) });
    } finally {
      stream.write = original;
    }
    console.log(`round-trip writes for a batch of 1000 into 2 queues: ${writes}`);
    expect(runIds).toHaveLength(1000);
    // records pipeline + one addBulk per queue (2)
    expect(writes).toBeLessThanOrEqual(6);
    const counts = await ctx.queues.get(spec.queues.q2!.queueName).getJobCounts('waiting');
    expect(counts.waiting).toBe(1001);
  });
});

describe('run records', () => {
  it('ends the branch a queue refused and keeps the run; refuses the trigger when no queue took it', async () => {
    const pid = testPipelineId();
    const spec = simpleSpec(pid, 1, true); // p feeds q and q2
    // A key of the wrong type under q2 makes BullMQ's add script fail for q2 alone.
    const eventsKey = (queueId: string) => `${ctx.keys.bullPrefix}:${spec.queues[queueId]!.queueName}:events`;
    await ctx.redis.set(eventsKey('q2'), 'not a stream');

    const [runId] = await triggerRuns(ctx, { spec, payloads: ['m'] });
    const run = await getRun(ctx, runId!);
    expect(run?.status).not.toBe('completed');
    expect(run?.steps).toContainEqual(expect.objectContaining({ nodeId: 'q2', status: 'failed', error: expect.stringMatching(/^could not enqueue into queue q2: /) }));
    expect(await ctx.queues.get(spec.queues.q!.queueName).getJobCounts('waiting')).toMatchObject({ waiting: 1 });
    // Once q's job ends the run is over (failed, because one branch never started), not left waiting.
    await markJobFinished(ctx, runId!, { jobId: initialJobId(runId!, 'q'), nodeId: 'c', attempts: 1, outcome: 'completed' });
    expect((await getRun(ctx, runId!))?.status).toBe('failed');

    // Both queues refuse: the trigger fails with 503 and leaves no run behind.
    await ctx.redis.set(eventsKey('q'), 'not a stream');
    const error = await triggerRuns(ctx, { spec, payloads: ['n'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('unavailable');
    const keys = await ctx.redis.keys(`${ctx.keys.run('')}*`);
    const runs = await Promise.all(keys.map((k) => ctx.redis.hget(k, 'pipelineId')));
    expect(runs.filter((p) => p === pid)).toHaveLength(1); // only the first run
  });

  it('counts fan-out: completes when the last pending job ends, exactly once', async () => {
    const pid = testPipelineId();
    const spec = simpleSpec(pid, 1, true); // p feeds q and q2: pending starts at 2
    const [runId] = await triggerRuns(ctx, { spec, payloads: ['m'] });
    const id = runId!;
    const done: string[] = [];
    const off = await ctx.pubsub.subscribe(ctx.keys.runDoneChannel, (m) => m === id && done.push(m));

    await markJobStarted(ctx, id, { jobId: 'j1', nodeId: 'c', attempts: 1 });
    expect((await getRun(ctx, id))?.status).toBe('running');
    // j1 completes and enqueues one child: pending 2 -> 2
    expect(await markJobFinished(ctx, id, { jobId: 'j1', nodeId: 'c', attempts: 1, outcome: 'completed', enqueued: 1 })).toBe(1);
    // delivered twice (at-least-once): not counted again
    expect(await markJobFinished(ctx, id, { jobId: 'j1', nodeId: 'c', attempts: 2, outcome: 'completed', enqueued: 1 })).toBe(2);
    await markJobStarted(ctx, id, { jobId: 'j2', nodeId: 'c2', attempts: 1 });
    await markJobFinished(ctx, id, { jobId: 'j2', nodeId: 'c2', attempts: 1, outcome: 'completed', output: { from: 'c2' } });
    expect((await getRun(ctx, id))?.status).toBe('running');
    await markJobStarted(ctx, id, { jobId: 'j3', nodeId: 'c9', attempts: 1 });
    await markJobFinished(ctx, id, { jobId: 'j3', nodeId: 'c9', attempts: 1, outcome: 'completed', output: { last: true } });

    const run = await getRun(ctx, id);
    expect(run?.status).toBe('completed');
    expect(run?.output).toEqual({ last: true });
    expect(run?.finishedAt).toBeDefined();
    expect(run?.steps.map((s) => [s.nodeId, s.status, s.attempts])).toEqual([
      ['c', 'completed', 2],
      ['c2', 'completed', 1],
      ['c9', 'completed', 1],
    ]);
    for (const s of run!.steps) {
      expect(Date.parse(s.startedAt!)).toBeLessThanOrEqual(Date.parse(s.finishedAt!));
    }
    expect(Object.keys(run!).sort()).toEqual(['createdAt', 'finishedAt', 'id', 'output', 'pipelineId', 'status', 'steps', 'version']);
    await new Promise((r) => setTimeout(r, 50));
    off();
    expect(done).toEqual([id]);
  });

  it('fails the run on a final failure and keeps it failed; retrying shows on the step', async () => {
    const pid = testPipelineId();
    const spec = simpleSpec(pid, 1, true);
    const [id] = (await triggerRuns(ctx, { spec, payloads: ['m'] })) as [string];
    await markJobStarted(ctx, id, { jobId: 'a', nodeId: 'c', attempts: 1 });
    await markJobFinished(ctx, id, { jobId: 'a', nodeId: 'c', attempts: 1, outcome: 'retrying', error: 'boom 1' });
    let run = await getRun(ctx, id);
    expect(run?.steps[0]).toMatchObject({ nodeId: 'c', status: 'retrying', attempts: 1, error: 'boom 1', finishedAt: null });
    expect(run?.status).toBe('running');
    await markJobStarted(ctx, id, { jobId: 'a', nodeId: 'c', attempts: 2 });
    await markJobFinished(ctx, id, { jobId: 'a', nodeId: 'c', attempts: 2, outcome: 'failed', error: 'boom 2' });
    run = await getRun(ctx, id);
    expect(run?.status).toBe('failed');
    expect(run?.steps[0]).toMatchObject({ status: 'failed', attempts: 2, error: 'boom 2' });
    const failedAt = run?.finishedAt;
    // the other branch still ends, but the run stays failed
    await markJobFinished(ctx, id, { jobId: 'b', nodeId: 'c2', attempts: 1, outcome: 'completed', output: 1 });
    run = await getRun(ctx, id);
    expect(run?.status).toBe('failed');
    expect(run?.finishedAt).toBe(failedAt);
  });

  it('leaves unknown or expired runs alone', async () => {
    expect(await getRun(ctx, 'run_nope')).toBeNull();
    expect(await markJobFinished(ctx, 'run_nope', { jobId: 'x', nodeId: 'c', attempts: 1, outcome: 'completed' })).toBe(0);
    expect(await ctx.redis.exists(ctx.keys.run('run_nope'))).toBe(0);
  });
});

describe('waitForRun', () => {
  it('resolves when the run finishes, times out otherwise, and shares one subscription', async () => {
    const pid = testPipelineId();
    const spec = simpleSpec(pid);
    const [id] = (await triggerRuns(ctx, { spec, payloads: ['m'] })) as [string];

    const started = Date.now();
    expect(await waitForRun(ctx, id, 200)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(await waitForRun(ctx, 'run_unknown', 5000)).toBe(false);

    const waits = Array.from({ length: 50 }, () => waitForRun(ctx, id, 5000));
    await new Promise((r) => setTimeout(r, 100));
    expect(countRunWaiters(ctx)).toBe(1);
    const [, subscribers] = (await ctx.redis.pubsub('NUMSUB', ctx.keys.runDoneChannel)) as [string, number];
    expect(subscribers).toBe(1);
    const before = Date.now();
    await markJobFinished(ctx, id, { jobId: initialJobId(id, 'q'), nodeId: 'c', attempts: 1, outcome: 'completed' });
    expect(await Promise.all(waits)).toEqual(Array(50).fill(true));
    expect(Date.now() - before).toBeLessThan(1000);
    expect(countRunWaiters(ctx)).toBe(0);
    // already finished: answers at once
    expect(await waitForRun(ctx, id, 5000)).toBe(true);
  });
});
