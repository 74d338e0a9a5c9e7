import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { compileGraph, type CompiledSpec } from '../lib/pipeline/compile';
import type { PipelineNode, Task } from '../lib/pipeline/schema';
import { publishSpec, unpublishSpec } from '../lib/runtime/deploy';
import type { JobData } from '../lib/runtime/job-data';
import { getProducerStatus, startGenerator, stopGenerator } from '../lib/runtime/producers/control';
import { readGeneratorStatus, type GeneratorStatus } from '../lib/runtime/producers/generator-state';
import { producerKeys, schedulerIdFor } from '../lib/runtime/producers/keys';
import { getRun } from '../lib/runtime/runs';
import { consumerNode, edge, eventually, queueNode, specOf, testPipelineId } from '../lib/runtime/testing';
import { sleep, useSupervisorHarness } from './supervisor-harness';

// Schedule and generator producers, run by real WorkerSupervisors against the real Redis.
const LEASE_TTL_MS = 1000;
const h = useSupervisorHarness({
  supervisor: { shutdownGraceMs: 5000, producers: { generators: { tickMs: 20, leaseTtlMs: LEASE_TTL_MS, scanIntervalMs: 100 } } },
  // The supervisors own the job schedulers and generator leases: they must see the undeploy to clean them up.
  undeployBeforeStop: true,
});
const pkeys = producerKeys(h.prefix);
let ticks: Queue;
const queues: Queue[] = [];

// Registered after the harness's hooks: these run after its beforeAll and before its afterEach / afterAll.
beforeAll(() => {
  ticks = new Queue(pkeys.ticksQueue, { connection: h.app.redis, prefix: h.app.keys.bullPrefix });
});
afterEach(async () => {
  await Promise.all(queues.splice(0).map((q) => q.close()));
});
afterAll(async () => {
  await ticks.close();
});

const pos = { x: 0, y: 0 };
const schedule = (id: string, source: { everyMs?: number; cron?: string; payload?: unknown }): PipelineNode => ({
  id,
  type: 'producer',
  position: pos,
  data: { label: id, source: { kind: 'schedule', ...source } },
});
const generator = (id: string, ratePerSec: number, count: number, payload?: unknown): PipelineNode => ({
  id,
  type: 'producer',
  position: pos,
  data: { label: id, source: { kind: 'generator', ratePerSec, count, ...(payload !== undefined ? { payload } : {}) } },
});

/** producer -> q (keeps every completed job, so the test can read them) -> c. */
function oneStage(pid: string, producer: PipelineNode, task: Task = { kind: 'noop' }, opts: { version?: number; concurrency?: number; maxWaiting?: number } = {}) {
  return specOf(
    {
      nodes: [
        producer,
        queueNode('q', { retention: { completed: 1_000_000 }, ...(opts.maxWaiting ? { maxWaiting: opts.maxWaiting } : {}) }),
        consumerNode('c', task, { concurrency: opts.concurrency ?? 50 }),
      ],
      edges: [edge(producer.id, 'q'), edge('q', 'c')],
    },
    pid,
    opts.version ?? 1,
  );
}

function queueOf(spec: CompiledSpec, id = 'q'): Queue<JobData> {
  const q = new Queue<JobData>(spec.queues[id]!.queueName, { connection: h.app.redis, prefix: h.app.keys.bullPrefix });
  queues.push(q);
  return q;
}

/** Payloads of every job the queue ever got (completed ones are all kept). */
async function allJobs(q: Queue<JobData>) {
  return q.getJobs(['completed', 'failed', 'waiting', 'active', 'delayed', 'prioritized'], 0, -1);
}

const seqsOf = (jobs: Array<{ data: JobData }>) => jobs.map((j) => (j.data.payload as { seq: number }).seq);

function expectEachOnce(seqs: number[], count: number) {
  const sorted = [...seqs].sort((a, b) => a - b);
  expect(sorted.length).toBe(count);
  expect(sorted).toEqual(Array.from({ length: count }, (_, i) => i + 1));
}

async function status(pid: string, nodeId = 'g'): Promise<GeneratorStatus> {
  return readGeneratorStatus(h.app, pid, { nodeId, count: 0, ratePerSec: 0 });
}

describe('schedule producers', () => {
  it('fires every 200 ms, each tick a run that completes, with its fire time in the payload; undeploy stops it', async () => {
    const pid = testPipelineId();
    const spec = oneStage(pid, schedule('s', { everyMs: 200, payload: { n: '{{seq}}', at: '{{nowMs}}', note: 'tick {{seq}}' } }));
    await publishSpec(h.app, spec);
    await h.startSupervisor('w-sched');
    const q = queueOf(spec);

    const done = await eventually('5 scheduled runs to complete', async () => {
      const jobs = await q.getCompleted(0, -1);
      return jobs.length >= 5 ? jobs : null;
    });
    for (const job of done) {
      const run = await getRun(h.app, job.data.runId);
      expect(run).toMatchObject({ pipelineId: pid, version: 1, status: 'completed' });
      const p = job.data.payload as { n: number; at: number; note: string };
      expect(p.note).toBe(`tick ${p.n}`);
    }
    const iterations = done.map((j) => (j.data.payload as { n: number }).n);
    expect(new Set(iterations).size).toBe(iterations.length);
    expect(Math.min(...iterations)).toBeGreaterThanOrEqual(1);
    const times = done.map((j) => (j.data.payload as { at: number }).at).sort((a, b) => a - b);
    expect(new Set(times).size).toBe(times.length);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(200);

    const st = await getProducerStatus(h.app, pid, 's');
    expect(st).toMatchObject({ kind: 'schedule', state: 'scheduled', everyMs: 200 });
    expect((await h.statsNow(h.supervisors, spec)).nodes.s!.out).toBeGreaterThanOrEqual(5);

    await unpublishSpec(h.app, pid);
    await eventually('the scheduler to be removed', async () => (await ticks.getJobScheduler(schedulerIdFor(pid, 's'))) === undefined);
    await eventually('no tick in flight', async () => (await ticks.getActiveCount()) === 0);
    await sleep(100);
    const before = (await allJobs(q)).length;
    await sleep(700);
    expect((await allJobs(q)).length).toBe(before);
  });

  it('with two supervisors, keeps one scheduler and starts exactly one run per tick', async () => {
    const pid = testPipelineId();
    const spec = oneStage(pid, schedule('s', { everyMs: 150, payload: { at: '{{nowMs}}' } }));
    await publishSpec(h.app, spec);
    await Promise.all([h.startSupervisor('w-a'), h.startSupervisor('w-b')]);
    const q = queueOf(spec);

    await eventually('8 scheduled runs', async () => (await q.getCompletedCount()) >= 8);
    // A redeploy of the same schedule neither duplicates nor resets it.
    await publishSpec(h.app, oneStage(pid, schedule('s', { everyMs: 150, payload: { at: '{{nowMs}}' } }), undefined, { version: 2 }));
    await sleep(400);
    await Promise.all(h.supervisors.map((s) => s.reconcile()));

    const schedulers = (await ticks.getJobSchedulers(0, -1)).filter((s) => s.key.startsWith(`${pid}.`));
    expect(schedulers.map((s) => s.key)).toEqual([schedulerIdFor(pid, 's')]);
    expect(schedulers[0]).toMatchObject({ every: 150, template: { data: { pipelineId: pid, producerId: 's' } } });

    await unpublishSpec(h.app, pid);
    await eventually('the scheduler to be removed', async () => (await ticks.getJobScheduler(schedulerIdFor(pid, 's'))) === undefined);
    // Its consumers are closed now: runs of the last ticks may stay waiting in q, which is fine here.
    await eventually('no tick in flight', async () => (await ticks.getActiveCount()) === 0);

    // Every tick of this pipeline that fired (kept: retention 100) started one run, and no run came from elsewhere.
    const tickJobs = (await ticks.getCompleted(0, -1)).filter((j) => j.id?.startsWith(`repeat:${pid}.s:`));
    const tickRuns = tickJobs.map((j) => (j.returnvalue as { runId?: string }).runId).filter(Boolean);
    const runs = (await allJobs(q)).map((j) => j.data.runId);
    expect(tickRuns.length).toBeGreaterThanOrEqual(8);
    expect(new Set(tickRuns).size).toBe(tickRuns.length);
    expect(new Set(runs).size).toBe(runs.length);
    expect(new Set(runs)).toEqual(new Set(tickRuns));
    const fireTimes = (await allJobs(q)).map((j) => (j.data.payload as { at: number }).at);
    expect(new Set(fireTimes).size).toBe(fireTimes.length);
  });

  it('follows redeploys: a changed interval updates the scheduler, a removed node removes it', async () => {
    const pid = testPipelineId();
    await publishSpec(h.app, oneStage(pid, schedule('s', { everyMs: 60_000 })));
    await h.startSupervisor('w-redeploy');
    const id = schedulerIdFor(pid, 's');
    await eventually('the scheduler', async () => (await ticks.getJobScheduler(id))?.every === 60_000);

    await publishSpec(h.app, oneStage(pid, schedule('s', { cron: '*/5 * * * *' }), undefined, { version: 2 }));
    const cron = await eventually('the cron scheduler', async () => {
      const s = await ticks.getJobScheduler(id);
      return s?.pattern ? s : null;
    });
    expect(cron).toMatchObject({ pattern: '*/5 * * * *', tz: 'UTC' });
    expect(cron.every).toBeUndefined();
    expect(new Date(cron.next!).getUTCMinutes() % 5).toBe(0);

    const other = specOf(
      { nodes: [schedule('s2', { everyMs: 60_000 }), queueNode('q'), consumerNode('c', { kind: 'noop' })], edges: [edge('s2', 'q'), edge('q', 'c')] },
      pid,
      3,
    );
    await publishSpec(h.app, other);
    await eventually('s removed, s2 added', async () => {
      const keys = (await ticks.getJobSchedulers(0, -1)).map((s) => s.key).filter((k) => k.startsWith(`${pid}.`));
      return keys.length === 1 && keys[0] === schedulerIdFor(pid, 's2');
    });
  });
});

describe('generator producers', () => {
  it('sends exactly count messages at the rate, numbered 1..count, and reports progress', async () => {
    const pid = testPipelineId();
    const spec = oneStage(pid, generator('g', 1000, 500, { seq: '{{seq}}', id: 'msg-{{seq}}' }));
    await publishSpec(h.app, spec);
    await h.startSupervisor('w-gen');
    const q = queueOf(spec);

    expect(await getProducerStatus(h.app, pid, 'g')).toEqual({ kind: 'generator', state: 'idle', sent: 0, count: 500, ratePerSec: 1000 });
    const t0 = Date.now();
    const started = await startGenerator(h.app, pid, 'g');
    expect(started).toMatchObject({ kind: 'generator', state: 'running', sent: 0, count: 500, ratePerSec: 1000 });

    const seen: number[] = [];
    let running: GeneratorStatus | undefined;
    const done = await eventually(
      'the generator to finish',
      async () => {
        const s = await status(pid);
        seen.push(s.sent);
        if (s.state === 'running' && s.sent > 0) running = s;
        return s.state === 'done' ? s : null;
      },
      10_000,
      20,
    );
    const elapsed = Date.parse(done.finishedAt!) - Date.parse(done.startedAt!);
    expect(done).toMatchObject({ state: 'done', sent: 500, count: 500 });
    // 500 at 1000/s: paced over half a second, not sent in one burst. The upper
    // bound only says it finished; a loaded CI machine may run timers late.
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(10_000);
    expect(running).toMatchObject({ state: 'running', worker: 'w-gen' });
    expect(seen.some((n) => n > 0 && n < 500)).toBe(true);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen); // progress only goes up

    await eventually('500 completed at the consumer', async () => (await q.getCompletedCount()) === 500);
    const jobs = await q.getCompleted(0, -1);
    expectEachOnce(seqsOf(jobs), 500);
    for (const j of jobs.slice(0, 20)) expect((j.data.payload as { id: string }).id).toBe(`msg-${(j.data.payload as { seq: number }).seq}`);

    const stats = await h.statsNow(h.supervisors, spec);
    expect(stats.nodes.g).toMatchObject({ out: 500, generator: { state: 'done', sent: 500, count: 500 } });
    expect(stats.nodes.c).toMatchObject({ completed: 500 });
    console.log(`generator: 500 messages at 1000/s in ${elapsed} ms (${Date.now() - t0} ms to all completed)`);
  });

  it('stops early on request, and takes start overrides', async () => {
    const pid = testPipelineId();
    const spec = oneStage(pid, generator('g', 10, 5));
    await publishSpec(h.app, spec);
    await h.startSupervisor('w-stop');
    const q = queueOf(spec);

    await startGenerator(h.app, pid, 'g', { ratePerSec: 500, count: 100_000 });
    await expect(startGenerator(h.app, pid, 'g')).rejects.toMatchObject({ code: 'conflict' });
    await eventually('some messages', async () => (await status(pid)).sent >= 50);
    const stopped = await stopGenerator(h.app, pid, 'g');
    expect(stopped).toMatchObject({ kind: 'generator', state: 'stopped', count: 100_000, ratePerSec: 500, reason: 'stopped by request' });
    await sleep(300); // the batch in flight is counted; nothing after it
    const after = await status(pid);
    await sleep(300);
    expect(await status(pid)).toEqual(after);
    expect(after.sent).toBeLessThan(1000);
    await eventually('every sent message completed', async () => (await q.getCompletedCount()) === after.sent);
    expectEachOnce(seqsOf(await q.getCompleted(0, -1)), after.sent);

    // Stopping again changes nothing; starting again begins a new count.
    expect(await stopGenerator(h.app, pid, 'g')).toMatchObject({ state: 'stopped', sent: after.sent });
    await startGenerator(h.app, pid, 'g');
    const second = await eventually('the second start to finish', async () => {
      const s = await status(pid);
      return s.state === 'done' ? s : null;
    });
    expect(second).toMatchObject({ sent: 5, count: 5, ratePerSec: 10 });
  });

  it('is stopped by undeploy', async () => {
    const pid = testPipelineId();
    await publishSpec(h.app, oneStage(pid, generator('g', 200, 100_000)));
    await h.startSupervisor('w-undeploy');
    await startGenerator(h.app, pid, 'g');
    await eventually('some messages', async () => (await status(pid)).sent >= 10);
    await unpublishSpec(h.app, pid);
    expect(await status(pid)).toMatchObject({ state: 'stopped', reason: 'pipeline undeployed' });
    await sleep(200);
    const s = await status(pid);
    await sleep(300);
    expect((await status(pid)).sent).toBe(s.sent);
    await expect(startGenerator(h.app, pid, 'g')).rejects.toMatchObject({ code: 'not_deployed' });
  });

  it('is handed over when its worker stops: another takes over and the total is still exactly count', async () => {
    const pid = testPipelineId();
    const spec = oneStage(pid, generator('g', 1000, 1500, { seq: '{{seq}}' }));
    await publishSpec(h.app, spec);
    const [a, b] = await Promise.all([h.startSupervisor('w-one'), h.startSupervisor('w-two')]);
    const q = queueOf(spec);

    await startGenerator(h.app, pid, 'g');
    const first = await eventually('a holder and some progress', async () => {
      const s = await status(pid);
      return s.worker && s.sent >= 300 ? s : null;
    });
    const [holder, other] = first.worker === a.id ? [a, b] : [b, a];
    await holder.stop();
    const taken = await eventually('the other worker to take over', async () => {
      const s = await status(pid);
      return s.worker === other.id || s.state === 'done' ? s : null;
    }, 5000, 10);
    expect(taken.worker ?? other.id).toBe(other.id);
    const done = await eventually('the generator to finish', async () => {
      const s = await status(pid);
      return s.state === 'done' ? s : null;
    });
    expect(done.sent).toBe(1500);
    await eventually('1500 completed', async () => (await q.getCompletedCount()) === 1500, 15_000);
    expectEachOnce(seqsOf(await q.getCompleted(0, -1)), 1500);
  });

  it('is taken over when its holder died: the lease lapses and another worker carries on', async () => {
    const pid = testPipelineId();
    const spec = oneStage(pid, generator('g', 2000, 300));
    await publishSpec(h.app, spec);
    await startGenerator(h.app, pid, 'g');
    // A worker that died holding the lease: nobody may drive it until the lease lapses.
    await h.app.redis.set(pkeys.generatorLease(pid, 'g'), 'dead-worker-token', 'PX', 600);
    const t0 = Date.now();
    await h.startSupervisor('w-heir');
    await sleep(300);
    expect((await status(pid)).sent).toBe(0);
    const done = await eventually('the generator to finish', async () => {
      const s = await status(pid);
      return s.state === 'done' ? s : null;
    });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(600);
    expect(done.sent).toBe(300);
    const q = queueOf(spec);
    await eventually('300 completed', async () => (await q.getCompletedCount()) === 300);
    expectEachOnce(seqsOf(await q.getCompleted(0, -1)), 300);
  });

  it('slows down under back-pressure instead of failing', async () => {
    const pid = testPipelineId();
    // The consumer manages ~400/s; the generator asks for 3000/s into a queue capped at 40 waiting.
    const spec = oneStage(pid, generator('g', 3000, 600), { kind: 'delay', ms: 10 }, { concurrency: 4, maxWaiting: 40 });
    await publishSpec(h.app, spec);
    await h.startSupervisor('w-bp');
    const q = queueOf(spec);
    await startGenerator(h.app, pid, 'g');
    let peak = 0;
    const done = await eventually(
      'the generator to finish',
      async () => {
        peak = Math.max(peak, await q.getWaitingCount());
        const s = await status(pid);
        return s.state === 'done' ? s : null;
      },
      20_000,
      10,
    );
    expect(done.sent).toBe(600);
    // The cap is soft (check, then add): it can overshoot by about one batch (3000/s x 20 ms ticks = 60).
    // The cap is soft: a batch already due when the check passed still lands.
    // Without back-pressure the 600 would pile up (the consumer does ~400/s);
    // with it, the overshoot stays within about 100 ms of the generator's rate.
    expect(peak).toBeLessThanOrEqual(40 + 300);
    expect(Date.parse(done.finishedAt!) - Date.parse(done.startedAt!)).toBeGreaterThan(600); // not 200 ms: it waited
    await eventually('600 completed', async () => (await q.getCompletedCount()) === 600, 15_000);
    expectEachOnce(seqsOf(await q.getCompleted(0, -1)), 600);
  });
});
