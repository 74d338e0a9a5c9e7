import { describe, expect, it } from 'vitest';
import { AppError } from '../lib/errors';
import { HOLD_MAX_MS } from '../lib/runtime/back-pressure';
import { publishSpec } from '../lib/runtime/deploy';
import { initialJobId } from '../lib/runtime/job-ids';
import { setPaused } from '../lib/runtime/queue-ops';
import { getRun } from '../lib/runtime/runs';
import { consumerNode, edge, eventually, httpProducer, queueNode, specOf, testPipelineId } from '../lib/runtime/testing';
import { triggerRuns } from '../lib/runtime/trigger';
import { oneStage, sleep, transform, useSupervisorHarness } from './supervisor-harness';

/**
 * The queue node's options, message by message: attempts and backoff,
 * maxWaiting back-pressure (triggers and consumers), the rate limit, and
 * deduplication.
 */
const h = useSupervisorHarness();

describe('attempts and backoff', () => {
  it('retries a failing message exactly attempts times with fixed backoff, then fails it; the others pass once', async () => {
    const pid = testPipelineId();
    const spec = oneStage(pid, { attempts: 3, backoff: { type: 'fixed', delayMs: 100 } });
    await publishSpec(h.app, spec);
    const sup = await h.startSupervisor('w-fixed');
    const payloads = Array.from({ length: 6 }, (_, i) => ({ i, fail: i % 2 === 0 }));
    const runIds = await triggerRuns(h.app, { spec, payloads });
    const runs = await h.allFinished(runIds);

    for (const [i, run] of runs.entries()) {
      const job = (await h.bullQueue(spec, 'q').getJob(initialJobId(run.id, 'q')))!;
      if (i % 2 === 0) {
        expect(run.status).toBe('failed');
        expect(run.steps).toEqual([expect.objectContaining({ nodeId: 'c', status: 'failed', attempts: 3, error: expect.stringMatching(`boom ${i}`) })]);
        expect(job.attemptsMade).toBe(3);
        expect(job.stacktrace).toHaveLength(3);
        expect(job.finishedOn! - job.timestamp).toBeGreaterThanOrEqual(200); // two waits of 100 ms
      } else {
        expect(run.status).toBe('completed');
        expect(run.steps).toEqual([expect.objectContaining({ nodeId: 'c', status: 'completed', attempts: 1 })]);
      }
    }
    const stats = await h.statsNow([sup], spec);
    expect(stats.nodes.c).toMatchObject({ in: 3 * 3 + 3, completed: 3, retried: 3 * 2, failed: 3 });
    expect(await h.counts(spec, 'q')).toMatchObject({ completed: 3, failed: 3, waiting: 0, delayed: 0 });
  });

  it('backs off exponentially (delay, 2x, 4x); with jitter it waits at least (1 - jitter) of that', async () => {
    const pid = testPipelineId();
    const spec = specOf(
      {
        nodes: [
          httpProducer('p'),
          queueNode('qe', { attempts: 4, backoff: { type: 'exponential', delayMs: 60 } }),
          transform('ce'),
          queueNode('qj', { attempts: 4, backoff: { type: 'exponential', delayMs: 60, jitter: 0.5 } }),
          transform('cj'),
        ],
        edges: [edge('p', 'qe'), edge('qe', 'ce'), edge('p', 'qj'), edge('qj', 'cj')],
      },
      pid,
    );
    await publishSpec(h.app, spec);
    await h.startSupervisor('w-exp');
    const [runId] = (await triggerRuns(h.app, { spec, payloads: [{ i: 0, fail: true }] })) as [string];
    await eventually('both copies failed', async () => (await h.counts(spec, 'qe')).failed === 1 && (await h.counts(spec, 'qj')).failed === 1);
    const exact = (await h.bullQueue(spec, 'qe').getJob(initialJobId(runId, 'qe')))!;
    const jittered = (await h.bullQueue(spec, 'qj').getJob(initialJobId(runId, 'qj')))!;
    expect(exact.attemptsMade).toBe(4);
    expect(jittered.attemptsMade).toBe(4);
    const exactMs = exact.finishedOn! - exact.timestamp;
    const jitteredMs = jittered.finishedOn! - jittered.timestamp;
    console.log(`exponential backoff from 60 ms, 4 attempts: ${exactMs} ms; with jitter 0.5: ${jitteredMs} ms`);
    expect(exactMs).toBeGreaterThanOrEqual(60 + 120 + 240);
    expect(exactMs).toBeLessThan(420 + 2000);
    expect(jitteredMs).toBeGreaterThanOrEqual((60 + 120 + 240) / 2);
    expect((await getRun(h.app, runId))?.status).toBe('failed');
  });
});

describe('back-pressure', () => {
  it('refuses triggers into a full queue with 429 and Retry-After, enqueuing nothing', async () => {
    const pid = testPipelineId();
    const spec = oneStage(pid, { maxWaiting: 3 });
    await publishSpec(h.app, spec); // no worker: nothing drains
    for (let i = 0; i < 3; i++) await triggerRuns(h.app, { spec, payloads: [i] });
    const err = await triggerRuns(h.app, { spec, payloads: [3], idempotencyKey: 'k-full' }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'back_pressure', status: 429, headers: { 'Retry-After': '1' } });
    expect(err.details).toEqual([{ nodeId: 'q', waiting: 3, maxWaiting: 3 }]);
    await expect(triggerRuns(h.app, { spec, payloads: [4, 5] })).rejects.toMatchObject({ code: 'back_pressure' });
    expect(await h.counts(spec, 'q')).toMatchObject({ waiting: 3 });
    // The refused key was not kept: once there is room, the same key starts a run.
    await h.bullQueue(spec, 'q').drain();
    const [runId] = await triggerRuns(h.app, { spec, payloads: [3], idempotencyKey: 'k-full' });
    expect(await getRun(h.app, runId!)).toMatchObject({ status: 'queued' });
    expect(await h.counts(spec, 'q')).toMatchObject({ waiting: 1 });
  });

  it('makes an upstream consumer wait for room downstream, losing nothing and using no attempts', async () => {
    const pid = testPipelineId();
    const spec = specOf(
      {
        nodes: [
          httpProducer('p'),
          queueNode('q1', { attempts: 1 }),
          consumerNode('c1', { kind: 'noop' }, { concurrency: 4 }),
          queueNode('q2', { maxWaiting: 5 }),
          consumerNode('c2', { kind: 'noop' }, { concurrency: 10 }),
        ],
        edges: [edge('p', 'q1'), edge('q1', 'c1'), edge('c1', 'q2'), edge('q2', 'c2')],
      },
      pid,
    );
    await publishSpec(h.app, spec);
    const sup = await h.startSupervisor('w-bp');
    const q2 = await h.target(spec, 'q2');
    await setPaused(h.app, q2, true); // c2 takes nothing: q2 fills up
    const total = 40;
    const runIds = await triggerRuns(h.app, { spec, payloads: Array.from({ length: total }, (_, i) => i) });

    // Held jobs are put back as delayed after HOLD_MAX_MS and taken again: watch both phases.
    const until = Date.now() + HOLD_MAX_MS + 1500;
    let peak = 0;
    while (Date.now() < until) {
      const c = await h.counts(spec, 'q2');
      peak = Math.max(peak, c.waiting! + c.prioritized!);
      await sleep(100);
    }
    console.log(`downstream cap 5, upstream concurrency 4: q2 waiting peaked at ${peak}`);
    expect(peak).toBeGreaterThanOrEqual(5);
    expect(peak).toBeLessThanOrEqual(5 + 4); // soft cap: at most the upstream slots overshoot it
    const upstream = await h.counts(spec, 'q1');
    expect(upstream.failed).toBe(0);
    expect(upstream.waiting! + upstream.active! + upstream.delayed!).toBeGreaterThan(total - 10);
    // Not active but started before: taken, held, and put back.
    const q1Jobs = await h.bullQueue(spec, 'q1').getJobs(['waiting', 'delayed'], 0, -1);
    const putBack = q1Jobs.filter((j) => (j.attemptsStarted ?? 0) >= 1);
    expect(putBack.length).toBeGreaterThan(0); // some held too long and were put back...
    expect(putBack.every((j) => j.attemptsMade === 0)).toBe(true); // ...without using an attempt

    await setPaused(h.app, q2, false);
    const runs = await h.allFinished(runIds, 30_000);
    expect(runs.every((r) => r.status === 'completed')).toBe(true);
    expect(runs.map((r) => r.output)).toEqual(Array.from({ length: total }, (_, i) => i));
    for (const run of runs) {
      expect(run.steps.map((s) => [s.nodeId, s.attempts])).toEqual([
        ['c1', 1],
        ['c2', 1],
      ]);
    }
    expect(await h.counts(spec, 'q2')).toMatchObject({ completed: total, failed: 0 });
    const stats = await h.statsNow([sup], spec);
    expect(stats.nodes.c1).toMatchObject({ completed: total, failed: 0, retried: 0 });
    expect(stats.nodes.q1).toMatchObject({ in: total, out: total });
    expect(stats.nodes.c2).toMatchObject({ completed: total });
  }, 40_000);
});

describe('rate limit', () => {
  it('caps throughput per queue, across worker processes', async () => {
    const pid = testPipelineId();
    const spec = specOf(
      {
        nodes: [
          httpProducer('p'),
          queueNode('q', { rateLimit: { max: 4, durationMs: 500 } }),
          consumerNode('c', { kind: 'noop' }, { concurrency: 20 }),
        ],
        edges: [edge('p', 'q'), edge('q', 'c')],
      },
      pid,
    );
    await publishSpec(h.app, spec);
    const sups = [await h.startSupervisor('w-rl-1'), await h.startSupervisor('w-rl-2')];
    const total = 24;
    const t0 = Date.now();
    const runIds = await triggerRuns(h.app, { spec, payloads: Array.from({ length: total }, (_, i) => i) });
    const runs = await h.allFinished(runIds, 20_000);
    const elapsed = Date.now() - t0;
    expect(runs.every((r) => r.status === 'completed')).toBe(true);
    // A run ends when its job's end is counted, a moment before BullMQ moves the job to completed.
    await eventually('every job completed', async () => (await h.counts(spec, 'q')).completed === total);
    const jobs = await h.bullQueue(spec, 'q').getJobs(['completed'], 0, -1);
    const starts = jobs.map((j) => j.processedOn!).sort((a, b) => a - b);
    expect(starts).toHaveLength(total);
    let busiest = 0;
    for (let i = 0; i < starts.length; i++) {
      let n = 0;
      while (i + n < starts.length && starts[i + n]! - starts[i]! < 400) n++;
      busiest = Math.max(busiest, n);
    }
    const byWorker = new Set(jobs.map((j) => j.processedBy));
    console.log(`rate limit 4 per 500 ms on 2 workers: ${total} jobs in ${elapsed} ms, busiest 400 ms window ${busiest}, workers ${[...byWorker].join(',')}`);
    expect(busiest).toBeLessThanOrEqual(4 + 1);
    expect(elapsed).toBeGreaterThanOrEqual((total / 4 - 1) * 500 * 0.9);
    const stats = await h.statsNow(sups, spec);
    expect(stats.nodes.c).toMatchObject({ completed: total });
  });
});

describe('deduplication', () => {
  it('drops a payload equal to one added within ttlMs; the duplicate run completes at once, saying so', async () => {
    const pid = testPipelineId();
    const spec = oneStage(pid, { dedupe: { ttlMs: 800 } });
    await publishSpec(h.app, spec); // no worker
    const [first] = await triggerRuns(h.app, { spec, payloads: [{ a: 1, b: 2 }] });
    const dupes = await triggerRuns(h.app, { spec, payloads: [{ b: 2, a: 1 }, { a: 1, b: 2 }] });
    const [other] = await triggerRuns(h.app, { spec, payloads: [{ a: 2 }] });
    expect(await h.counts(spec, 'q')).toMatchObject({ waiting: 2 });
    for (const id of dupes) {
      expect(await getRun(h.app, id)).toMatchObject({
        status: 'completed',
        steps: [
          expect.objectContaining({ nodeId: 'q', status: 'completed', error: expect.stringContaining(`duplicate of job ${initialJobId(first!, 'q')}`) }),
        ],
      });
    }
    expect(await getRun(h.app, other!)).toMatchObject({ status: 'queued' });
    expect((await h.statsNow([], spec)).nodes.q).toMatchObject({ in: 2 });
    await sleep(900);
    await triggerRuns(h.app, { spec, payloads: [{ a: 1, b: 2 }] });
    expect(await h.counts(spec, 'q')).toMatchObject({ waiting: 3 });
  });

  it('without ttlMs, drops results equal to one still in the queue; every run still ends', async () => {
    const pid = testPipelineId();
    const spec = specOf(
      {
        nodes: [
          httpProducer('p'),
          queueNode('q1'),
          transform('c1', 'return { same: true }'),
          queueNode('q2', { dedupe: {} }),
          consumerNode('c2', { kind: 'noop' }),
        ],
        edges: [edge('p', 'q1'), edge('q1', 'c1'), edge('c1', 'q2'), edge('q2', 'c2')],
      },
      pid,
    );
    await publishSpec(h.app, spec);
    await h.startSupervisor('w-dedupe');
    const q2 = await h.target(spec, 'q2');
    await setPaused(h.app, q2, true);
    const runIds = await triggerRuns(h.app, { spec, payloads: [1, 2, 3, 4, 5] });
    await eventually('4 runs ended by dedupe', async () => {
      const runs = await Promise.all(runIds.map((id) => getRun(h.app, id)));
      return runs.filter((r) => r?.status === 'completed').length === 4;
    });
    expect(await h.counts(spec, 'q2')).toMatchObject({ waiting: 1 });
    await setPaused(h.app, q2, false);
    const runs = await h.allFinished(runIds);
    expect(runs.every((r) => r.status === 'completed')).toBe(true);
    expect(runs.filter((r) => r.steps.some((s) => s.nodeId === 'c2'))).toHaveLength(1);
    // The holder finished: the next equal result goes through.
    const [late] = await triggerRuns(h.app, { spec, payloads: [6] });
    const [lateRun] = await h.allFinished([late!]);
    expect(lateRun!.steps.map((s) => s.nodeId)).toEqual(['c1', 'c2']);
  });
});
