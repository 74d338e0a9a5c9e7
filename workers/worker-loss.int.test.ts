import { Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { publishSpec } from '../lib/runtime/deploy';
import { getRun } from '../lib/runtime/runs';
import { consumerNode, edge, eventually, httpProducer, queueNode, specOf, testPipelineId } from '../lib/runtime/testing';
import { triggerRuns } from '../lib/runtime/trigger';
import { FLAKY, transform, useSupervisorHarness } from './supervisor-harness';

const h = useSupervisorHarness({ finishPollMs: 100 });

describe('losing a worker mid-job', () => {
  it('puts jobs cancelled after the grace period back in their queue: not failed, not dead-lettered, runs not failed', async () => {
    const pid = testPipelineId();
    const spec = specOf(
      {
        nodes: [
          httpProducer('p'),
          queueNode('q'),
          consumerNode('c', { kind: 'delay', ms: 1500 }, { concurrency: 5 }),
          queueNode('dlq'),
        ],
        edges: [edge('p', 'q'), edge('q', 'c'), { id: 'q-dl-dlq', source: 'q', target: 'dlq', data: { kind: 'dead-letter' } }],
      },
      pid,
    );
    await publishSpec(h.app, spec);
    const sup = await h.startSupervisor('w-force', { shutdownGraceMs: 200 });
    const runIds = await triggerRuns(h.app, { spec, payloads: [1, 2, 3] });
    await eventually('3 active jobs', async () => (await h.counts(spec, 'q')).active === 3);
    await h.stopSupervisor(sup);

    const c = await h.counts(spec, 'q');
    expect(c.failed).toBe(0);
    expect(c.waiting! + c.delayed! + c.prioritized!).toBe(3);
    const dl = await h.counts(spec, 'dlq');
    expect(dl.waiting! + dl.delayed!).toBe(0);
    for (const id of runIds) expect((await getRun(h.app, id))?.status).not.toBe('failed');

    // Another worker finishes them.
    await h.startSupervisor('w-after');
    const runs = await h.allFinished(runIds);
    expect(runs.map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
  });

  it('a job BullMQ fails for stalling too often (its worker died each time) fails its run and is dead-lettered', async () => {
    const pid = testPipelineId();
    const spec = specOf(
      {
        nodes: [httpProducer('p'), queueNode('q'), transform('c', FLAKY), queueNode('dlq')],
        edges: [edge('p', 'q'), edge('q', 'c'), { id: 'q-dl-dlq', source: 'q', target: 'dlq', data: { kind: 'dead-letter' } }],
      },
      pid,
    );
    await publishSpec(h.app, spec);
    const [runId] = await triggerRuns(h.app, { spec, payloads: [{ i: 1 }] });
    // A worker takes the job and dies: its lock is never renewed.
    const dying = new Worker(spec.queues.q!.queueName, null, {
      connection: { url: h.url, maxRetriesPerRequest: null },
      prefix: h.app.keys.bullPrefix,
      lockDuration: 200,
    });
    expect(await dying.getNextJob('dead-token')).toBeTruthy();
    await dying.close(true);

    await h.startSupervisor('w-stalled', { workerSettings: { stalledInterval: 200, maxStalledCount: 0 } });
    await eventually('the job failed by BullMQ', async () => (await h.counts(spec, 'q')).failed === 1);
    const [run] = await h.allFinished([runId!], 5000);
    expect(run!.status).toBe('failed');
    expect(run!.steps).toEqual([expect.objectContaining({ nodeId: 'c', status: 'failed', error: expect.stringMatching(/stalled/) })]);
    await eventually('the dead letter', async () => {
      const c = await h.counts(spec, 'dlq');
      return c.waiting! + c.prioritized! + c.delayed! === 1;
    });
  });
});
