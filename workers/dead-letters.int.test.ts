import type { Job } from 'bullmq';
import { describe, expect, it } from 'vitest';
import type { PipelineNode } from '../lib/pipeline/schema';
import { DeadLetterEnvelopeSchema, type DeadLetterEnvelope } from '../lib/runtime/dead-letter';
import { publishSpec } from '../lib/runtime/deploy';
import type { JobData } from '../lib/runtime/job-data';
import { initialJobId } from '../lib/runtime/job-ids';
import { listJobs, retryJob, setPaused } from '../lib/runtime/queue-ops';
import { replayDeadLetters } from '../lib/runtime/replay-dead-letters';
import { getRun, type Run } from '../lib/runtime/runs';
import { edge, eventually, httpProducer, queueNode, specOf, testPipelineId } from '../lib/runtime/testing';
import { triggerRuns } from '../lib/runtime/trigger';
import { dataOf, deadLetterEdge, FIXED, FLAKY, transform, useSupervisorHarness } from './supervisor-harness';

/**
 * Dead-letter edges end to end: which messages are dead-lettered and with
 * what, how the run shows it, the dead-letter queue's own consumers, and
 * replay (and retry by hand) once the cause is gone.
 */
const h = useSupervisorHarness();

/** The DLQ's consumer: reads the envelope. */
const REPORT = 'return { reason: msg.deadLetter.failedReason, i: msg.payload.i, attempts: msg.deadLetter.attemptsMade };';

/** p -> q -> c, q --dead-letter--> dlq -> dc. */
function withDeadLetters(pid: string, code = FLAKY, version = 1) {
  const nodes: PipelineNode[] = [
    httpProducer('p'),
    queueNode('q', { attempts: 3, backoff: { type: 'fixed', delayMs: 30 } }),
    transform('c', code),
    queueNode('dlq'),
    transform('dc', REPORT),
  ];
  return specOf({ nodes, edges: [edge('p', 'q'), edge('q', 'c'), deadLetterEdge('q', 'dlq'), edge('dlq', 'dc')] }, pid, version);
}

function envelopeOf(job: Job): { data: JobData; envelope: DeadLetterEnvelope } {
  const data = dataOf(job);
  return { data, envelope: DeadLetterEnvelopeSchema.parse(data.payload) };
}

const FAILING = [1, 3, 5, 9];

describe('dead letters', () => {
  it('dead-letters exactly the messages that fail for good, with their error history; the DLQ consumer sees why', async () => {
    const pid = testPipelineId();
    const spec = withDeadLetters(pid);
    await publishSpec(h.app, spec);
    const sup = await h.startSupervisor('w-dlq');
    const payloads = Array.from({ length: 12 }, (_, i) => ({ i, fail: [1, 5, 9].includes(i), fatal: i === 3 }));
    const runIds = await triggerRuns(h.app, { spec, payloads });
    const runs = await h.allFinished(runIds);
    await eventually('4 dead letters processed', async () => (await h.counts(spec, 'dlq')).completed === 4);

    const letters = await h.bullQueue(spec, 'dlq').getJobs(['completed'], 0, -1);
    const byIndex = new Map(letters.map((j) => [(envelopeOf(j).envelope.payload as { i: number }).i, j]));
    expect([...byIndex.keys()].sort((a, b) => a - b)).toEqual(FAILING);
    for (const [i, job] of byIndex) {
      const { data, envelope } = envelopeOf(job);
      const runId = runIds[i]!;
      const info = envelope.deadLetter;
      expect(data.runId).toBe(runId);
      expect(data.from).toBe('q');
      expect(envelope.payload).toEqual(payloads[i]);
      expect(info).toMatchObject({ queueId: 'q', consumerId: 'c', jobId: initialJobId(runId, 'q'), runId, version: 1 });
      expect(Date.parse(info.failedAt)).toBeGreaterThan(Date.now() - 60_000);
      if (i === 3) {
        expect(info).toMatchObject({ attemptsMade: 1, unrecoverable: true, failedReason: expect.stringMatching('fatal 3') });
        expect(info.errors).toEqual([{ attempt: 1, message: expect.stringMatching('fatal 3') }]);
      } else {
        expect(info).toMatchObject({ attemptsMade: 3, unrecoverable: false, failedReason: expect.stringMatching(`boom ${i}`) });
        expect(info.errors.map((e) => e.attempt)).toEqual([1, 2, 3]);
        for (const e of info.errors) expect(e.message).toMatch(`boom ${i}`);
      }
      expect(info.stacktrace).toMatch(/Error/);
      expect(info.stacktrace!.split('\n').length).toBeLessThanOrEqual(12);
    }

    for (const [i, run] of runs.entries()) {
      if (!byIndex.has(i)) {
        expect(run.status).toBe('completed');
        expect(run.steps.map((s) => s.nodeId)).toEqual(['c']);
        continue;
      }
      expect(run.status).toBe('failed');
      const attempts = i === 3 ? 1 : 3;
      expect(run.steps[0]).toMatchObject({
        nodeId: 'c',
        status: 'failed',
        attempts,
        error: expect.stringMatching(`dead-lettered to dlq after ${attempts} attempt`),
      });
    }
    // The DLQ's consumer processed each dead letter like any message: it is on the run, its result the run's output.
    const failedRun = await getRun(h.app, runIds[5]!);
    expect(failedRun!.steps.map((s) => [s.nodeId, s.status])).toEqual([
      ['c', 'failed'],
      ['dc', 'completed'],
    ]);
    expect(failedRun!.output).toEqual({ reason: expect.stringMatching('boom 5'), i: 5, attempts: 3 });
    const stats = await h.statsNow([sup], spec);
    expect(stats.nodes.c).toMatchObject({ failed: 4, completed: 8, retried: 3 * 2 });
    expect(stats.nodes.dlq).toMatchObject({ in: 4, out: 4 });
    expect(stats.nodes.dc).toMatchObject({ completed: 4 });

    // Replay once the cause is gone: v2 fixes the consumer. These dead letters were processed
    // (completed by dc); replay sends them back to q all the same, and their runs complete.
    const v2 = withDeadLetters(pid, FIXED, 2);
    await publishSpec(h.app, v2);
    await h.liveVersion(pid, 2, sup);
    const result = await replayDeadLetters(h.app, await h.target(v2, 'dlq'));
    expect(result.skipped).toEqual([]);
    expect(result.replayed.map((r) => r.runId).sort()).toEqual(FAILING.map((i) => runIds[i]!).sort());
    await eventually('replayed runs completed', async () =>
      (await Promise.all(FAILING.map((i) => getRun(h.app, runIds[i]!)))).every((r) => r?.status === 'completed'),
    );
    for (const i of FAILING) {
      const run = (await getRun(h.app, runIds[i]!)) as Run;
      expect(run.output).toEqual({ ...payloads[i], fixed: true });
      expect(run.finishedAt).toBeDefined();
      expect(run.steps.map((s) => [s.nodeId, s.status])).toEqual([
        ['c', 'failed'],
        ['dc', 'completed'],
        ['c', 'completed'],
      ]);
      expect(await h.app.redis.hget(h.app.keys.run(run.id), 'pending')).toBe('0');
    }
    expect(await h.counts(v2, 'dlq')).toMatchObject({ waiting: 0, completed: 0, failed: 0 });
  });

  it('replays parked dead letters (by id, then all) into their queue as fresh jobs of the same run', async () => {
    const pid = testPipelineId();
    const spec = withDeadLetters(pid);
    await publishSpec(h.app, spec);
    const sup = await h.startSupervisor('w-replay');
    await setPaused(h.app, await h.target(spec, 'dlq'), true); // park them: nobody takes dead letters
    const payloads = Array.from({ length: 6 }, (_, i) => ({ i, fail: i % 2 === 1 }));
    const runIds = await triggerRuns(h.app, { spec, payloads });
    await h.allFinished(runIds);
    await eventually('3 dead letters waiting', async () => (await h.counts(spec, 'dlq')).waiting === 3);
    const parked = await listJobs(h.app, await h.target(spec, 'dlq'), { state: 'waiting', limit: 50 });
    expect(parked.items).toHaveLength(3);
    expect(parked.items.every((j) => j.state === 'waiting' && j.from === 'q')).toBe(true);
    expect(parked.items.map((j) => (j.payload as DeadLetterEnvelope).deadLetter.queueId)).toEqual(['q', 'q', 'q']);

    // Still broken: a replay fails again and is dead-lettered again, with a fresh history.
    const first = parked.items.find((j) => j.runId === runIds[1])!;
    const again = await replayDeadLetters(h.app, await h.target(spec, 'dlq'), [first.id]);
    expect(again.replayed).toEqual([{ jobId: first.id, queueId: 'q', newJobId: expect.any(String), runId: runIds[1] }]);
    await eventually('the replay dead-lettered again', async () => {
      const items = (await listJobs(h.app, await h.target(spec, 'dlq'), { state: 'waiting', limit: 50 })).items;
      return items.length === 3 && !items.some((j) => j.id === first.id) && (await getRun(h.app, runIds[1]!))?.status === 'failed';
    });
    // A replay request sent twice does nothing the second time.
    expect((await replayDeadLetters(h.app, await h.target(spec, 'dlq'), [first.id])).skipped).toEqual([
      { jobId: first.id, reason: 'no such job in this queue' },
    ]);

    // Fixed: replay them all; each run completes, exactly once, with the fixed output.
    const v2 = withDeadLetters(pid, FIXED, 2);
    await publishSpec(h.app, v2);
    await h.liveVersion(pid, 2, sup);
    const all = await replayDeadLetters(h.app, await h.target(v2, 'dlq'));
    expect(all.replayed).toHaveLength(3);
    expect(all.more).toBe(false);
    const failedIds = [1, 3, 5].map((i) => runIds[i]!);
    await eventually('replayed runs completed', async () =>
      (await Promise.all(failedIds.map((id) => getRun(h.app, id)))).every((r) => r?.status === 'completed'),
    );
    for (const [k, id] of failedIds.entries()) {
      const run = (await getRun(h.app, id))!;
      expect(run.output).toEqual({ ...payloads[[1, 3, 5][k]!], fixed: true });
      expect(await h.app.redis.hget(h.app.keys.run(id), 'pending')).toBe('0');
    }
    expect(await h.counts(v2, 'dlq')).toMatchObject({ waiting: 0 });
    const completedAtC = (await h.bullQueue(v2, 'q').getJobs(['completed'], 0, -1)).map((j) => dataOf(j).runId);
    for (const id of failedIds) expect(completedAtC.filter((r) => r === id)).toHaveLength(1);
  });

  it('a failed job retried by hand withdraws its parked dead letter, and its run completes', async () => {
    const pid = testPipelineId();
    const spec = withDeadLetters(pid);
    await publishSpec(h.app, spec);
    const sup = await h.startSupervisor('w-dl-retry');
    await setPaused(h.app, await h.target(spec, 'dlq'), true);
    const [runId] = (await triggerRuns(h.app, { spec, payloads: [{ i: 7, fatal: true }] })) as [string];
    await h.allFinished([runId]);
    await eventually('the dead letter is parked', async () => (await h.counts(spec, 'dlq')).waiting === 1);

    const v2 = withDeadLetters(pid, FIXED, 2);
    await publishSpec(h.app, v2);
    await h.liveVersion(pid, 2, sup);
    await retryJob(h.app, await h.target(v2, 'q'), initialJobId(runId, 'q'));
    const run = await eventually('the run completed', async () => {
      const r = await getRun(h.app, runId);
      return r?.status === 'completed' ? r : null;
    });
    expect(run.output).toEqual({ i: 7, fatal: true, fixed: true });
    expect(await h.counts(v2, 'dlq')).toMatchObject({ waiting: 0, completed: 0 });
    expect(await h.app.redis.hget(h.app.keys.run(runId), 'pending')).toBe('0');
  });
});
