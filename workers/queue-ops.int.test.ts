import { describe, expect, it } from 'vitest';
import { publishSpec, unpublishSpec } from '../lib/runtime/deploy';
import { initialJobId } from '../lib/runtime/job-ids';
import { deleteJob, listJobs, resolveQueueNode, retryAllFailed, retryJob, setPaused } from '../lib/runtime/queue-ops';
import { getRun } from '../lib/runtime/runs';
import { eventually, testPipelineId } from '../lib/runtime/testing';
import { triggerRuns } from '../lib/runtime/trigger';
import { FIXED, oneStage, sleep, useSupervisorHarness } from './supervisor-harness';

/** The operations behind the admin queue routes (lib/runtime/queue-ops.ts), on live pipelines. */
const h = useSupervisorHarness();

describe('queue operations', () => {
  it('lists failed jobs by page; retries one by hand (its run reopens and completes), refuses others, retries all', async () => {
    const pid = testPipelineId();
    const spec = oneStage(pid, { attempts: 1 });
    await publishSpec(h.app, spec);
    const sup = await h.startSupervisor('w-retry');
    const runIds = await triggerRuns(h.app, { spec, payloads: [0, 1, 2, 3].map((i) => ({ i, fail: i > 0 })) });
    const runs = await h.allFinished(runIds);
    expect(runs.map((r) => r.status)).toEqual(['completed', 'failed', 'failed', 'failed']);

    const t1 = await h.target(spec, 'q');
    const failed = await listJobs(h.app, t1, { state: 'failed', limit: 2 });
    expect(failed.items).toHaveLength(2);
    expect(failed.nextCursor).toBe('2');
    expect(failed.items[0]).toMatchObject({
      state: 'failed',
      attemptsMade: 1,
      maxAttempts: 1,
      failedReason: expect.stringMatching('boom'),
      from: 'p',
      version: 1,
      finishedAt: expect.any(String),
    });
    expect(failed.items[0]!.stacktrace?.[0]).toMatch(/boom/);
    const rest = await listJobs(h.app, t1, { state: 'failed', limit: 2, cursor: '2' });
    expect(rest.items).toHaveLength(1);
    expect(rest.nextCursor).toBeUndefined();
    expect(new Set([...failed.items, ...rest.items].map((j) => j.runId))).toEqual(new Set(runIds.slice(1)));
    expect((await listJobs(h.app, t1, { state: 'completed', limit: 10 })).items.map((j) => j.payload)).toEqual([{ i: 0, fail: false }]);

    // Fix the consumer, then retry one by hand: it runs on the version deployed now.
    await h.statsNow([sup], spec); // flush v1's counts before the deploy resets them
    const v2 = oneStage(pid, { attempts: 1 }, FIXED, 2);
    await publishSpec(h.app, v2);
    await h.liveVersion(pid, 2, sup);
    const t = await h.target(v2, 'q');
    await expect(retryJob(h.app, t, initialJobId(runIds[0]!, 'q'))).rejects.toMatchObject({ code: 'conflict' }); // completed
    await expect(retryJob(h.app, t, 'no-such-job')).rejects.toMatchObject({ code: 'not_found' });
    const retried = await retryJob(h.app, t, initialJobId(runIds[1]!, 'q'));
    expect(retried).toMatchObject({ id: initialJobId(runIds[1]!, 'q'), state: 'waiting' });
    const run1 = await eventually('run 1 completed', async () => {
      const r = await getRun(h.app, runIds[1]!);
      return r?.status === 'completed' ? r : null;
    });
    expect(run1.output).toEqual({ i: 1, fail: true, fixed: true });
    expect(run1.steps).toEqual([expect.objectContaining({ nodeId: 'c', status: 'completed', attempts: 1 })]);

    expect(await retryAllFailed(h.app, t)).toEqual({ retried: 2 });
    await eventually('every run completed', async () =>
      (await Promise.all(runIds.map((id) => getRun(h.app, id)))).every((r) => r?.status === 'completed'),
    );
    expect(await retryAllFailed(h.app, t)).toEqual({ retried: 0 });
    const stats = await h.statsNow([sup], v2);
    // Counters are since the last deploy: each retry re-entered the queue once and completed.
    expect(stats.nodes.q).toMatchObject({ in: 3, out: 3 });
    expect(stats.nodes.c).toMatchObject({ completed: 3, failed: 0 });
  });

  it('pauses a queue (nothing is taken, waiting grows), deletes a waiting job, and resumes with nothing lost', async () => {
    const pid = testPipelineId();
    const spec = oneStage(pid, {}, 'return msg');
    await publishSpec(h.app, spec);
    const sup = await h.startSupervisor('w-pause');
    const t = await h.target(spec, 'q');
    expect(await setPaused(h.app, t, true)).toEqual({ paused: true });
    const runIds = await triggerRuns(h.app, { spec, payloads: Array.from({ length: 20 }, (_, i) => i) });
    await sleep(700);
    expect(await h.counts(spec, 'q')).toMatchObject({ waiting: 20, active: 0, completed: 0 });
    expect((await h.statsNow([sup], spec)).nodes.q).toMatchObject({ waiting: 20, in: 20, out: 0, paused: true });

    // Deleting a waiting message ends its branch: the run fails, saying why.
    await deleteJob(h.app, t, initialJobId(runIds[0]!, 'q'));
    await expect(deleteJob(h.app, t, initialJobId(runIds[0]!, 'q'))).rejects.toMatchObject({ code: 'not_found' });
    expect(await getRun(h.app, runIds[0]!)).toMatchObject({
      status: 'failed',
      steps: [expect.objectContaining({ nodeId: 'q', status: 'failed', error: 'deleted by an operator from queue q' })],
    });
    const page = await listJobs(h.app, t, { state: 'waiting', limit: 5 });
    expect(page.items.map((j) => j.payload)).toEqual([1, 2, 3, 4, 5]); // oldest first: the order workers take them
    expect(page.items[0]).toMatchObject({ state: 'waiting', runId: runIds[1], attemptsMade: 0, processedAt: null, finishedAt: null });
    expect(page.nextCursor).toBe('5');
    const next = await listJobs(h.app, t, { state: 'waiting', limit: 5, cursor: page.nextCursor });
    expect(next.items.map((j) => j.payload)).toEqual([6, 7, 8, 9, 10]);

    expect(await setPaused(h.app, t, false)).toEqual({ paused: false });
    expect((await h.statsNow([sup], spec)).nodes.q).toMatchObject({ paused: false });
    const runs = await h.allFinished(runIds.slice(1));
    expect(runs.every((r) => r.status === 'completed')).toBe(true);
    expect(runs.map((r) => r.output)).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
    expect(await h.counts(spec, 'q')).toMatchObject({ waiting: 0, completed: 19 });
  });

  it("lists delayed jobs with when they become ready, and prioritized ones as waiting (the queue's default delay and priority)", async () => {
    const delayed = oneStage(testPipelineId(), { delayMs: 60_000 });
    await publishSpec(h.app, delayed); // no worker
    const t0 = Date.now();
    await triggerRuns(h.app, { spec: delayed, payloads: ['later'] });
    const [later] = (await listJobs(h.app, await h.target(delayed, 'q'), { state: 'delayed', limit: 10 })).items;
    expect(later).toMatchObject({ state: 'delayed', payload: 'later' });
    expect(Date.parse(later!.delayedUntil!) - t0).toBeGreaterThanOrEqual(59_000);
    expect(Date.parse(later!.delayedUntil!) - t0).toBeLessThan(61_000);

    const prioritized = oneStage(testPipelineId(), { priority: 5 });
    await publishSpec(h.app, prioritized);
    await triggerRuns(h.app, { spec: prioritized, payloads: ['a', 'b', 'c'] });
    const waiting = await listJobs(h.app, await h.target(prioritized, 'q'), { state: 'waiting', limit: 2 });
    expect(waiting.items.map((j) => [j.payload, j.priority, j.state])).toEqual([
      ['a', 5, 'waiting'],
      ['b', 5, 'waiting'],
    ]);
    expect((await listJobs(h.app, await h.target(prioritized, 'q'), { state: 'waiting', limit: 2, cursor: waiting.nextCursor })).items).toHaveLength(1);
  });

  it('answers 404 for a node that is not a queue or not there, 409 when never deployed', async () => {
    const pid = testPipelineId();
    await publishSpec(h.app, oneStage(pid, {}));
    await expect(resolveQueueNode(h.app, pid, 'c')).rejects.toMatchObject({ code: 'not_found', message: 'Node c is a consumer, not a queue.' });
    await expect(resolveQueueNode(h.app, pid, 'zz')).rejects.toMatchObject({ code: 'not_found' });
    await expect(resolveQueueNode(h.app, testPipelineId(), 'q')).rejects.toMatchObject({ code: 'not_deployed' });
    // Undeployed: the queues of its last version can still be operated on.
    await unpublishSpec(h.app, pid);
    expect((await resolveQueueNode(h.app, pid, 'q', 1)).queue.id).toBe('q');
  });
  it("treats ids naming the queue's own Redis keys as unknown jobs: no 500, no key read, retried or removed", async () => {
    const pid = testPipelineId();
    const spec = oneStage(pid, { attempts: 1 });
    await publishSpec(h.app, spec);
    await triggerRuns(h.app, { spec, payloads: [{ i: 0 }] }); // no worker: the job waits
    const t = await h.target(spec, 'q');
    await setPaused(h.app, t, true);
    const queue = h.bullQueue(spec, 'q');
    for (const id of ['meta', 'id', 'events', 'wait', 'stalled-check']) {
      await expect(deleteJob(h.app, t, id)).rejects.toMatchObject({ code: 'not_found' });
      await expect(retryJob(h.app, t, id)).rejects.toMatchObject({ code: 'not_found' });
    }
    expect(await queue.isPaused()).toBe(true);
    expect(await queue.getJobCounts('waiting')).toMatchObject({ waiting: 1 });
    await unpublishSpec(h.app, pid);
  });
});
