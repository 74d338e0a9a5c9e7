import type { Job } from 'bullmq';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { CompiledSpec } from '../lib/pipeline/compile';
import type { PipelineEdge, PipelineNode, QueueData } from '../lib/pipeline/schema';
import { createRuntimeContext, type RuntimeContext } from '../lib/runtime/context';
import { listDeployed, unpublishSpec } from '../lib/runtime/deploy';
import { parseJobData, type JobData } from '../lib/runtime/job-data';
import { resolveQueueNode } from '../lib/runtime/queue-ops';
import { getRun, type Run } from '../lib/runtime/runs';
import { consumerNode, deletePrefix, edge, eventually, httpProducer, queueNode, specOf, testPrefix, testRedisUrl } from '../lib/runtime/testing';
import { readPipelineStats } from '../lib/stats/read-stats';
import { WorkerSupervisor, type SupervisorOptions } from './supervisor';

/** How useSupervisorHarness sets up a test file. */
export interface SupervisorHarnessOptions {
  /** Supervisor options for every startSupervisor() of the file (timings, producer tuning...); a call's own options win. */
  supervisor?: Partial<SupervisorOptions>;
  /** allFinished(): how long to wait by default, and how often to look. */
  finishTimeoutMs?: number;
  finishPollMs?: number;
  /**
   * Undeploy before stopping the supervisors after each test, so that they see
   * it and clean up what they own (job schedulers, generator leases). By
   * default they are stopped first, so no consumer closes under a test's feet.
   */
  undeployBeforeStop?: boolean;
}

/**
 * Shared set-up of the worker integration tests (*.int.test.ts in this
 * folder): an app-side runtime context on a fresh prefix, in-process
 * WorkerSupervisors stopped after each test, deployed pipelines undeployed,
 * the context closed and the prefix deleted at the end.
 * Test-only; production code never imports it.
 *
 * Failures are made deterministic with the transform task: a message with
 * `fail` throws (retryable), one with `fatal` throws UnrecoverableError.
 */
export function useSupervisorHarness(options: SupervisorHarnessOptions = {}) {
  const url = testRedisUrl();
  const prefix = testPrefix();
  const supervisors: WorkerSupervisor[] = [];
  const undeployAll = async () => {
    for (const pid of (await listDeployed(h.app)).keys()) await unpublishSpec(h.app, pid);
  };
  const stopAll = () => Promise.all(supervisors.splice(0).map((s) => s.stop()));
  const h = {
    url,
    prefix,
    app: undefined as unknown as RuntimeContext,
    /** The supervisors started in this test and not stopped through stopSupervisor(). */
    supervisors: supervisors as readonly WorkerSupervisor[],

    async startSupervisor(workerId: string, extra?: Partial<SupervisorOptions>): Promise<WorkerSupervisor> {
      const s = new WorkerSupervisor({
        redisUrl: url,
        prefix,
        workerId,
        statsWindowSec: 300,
        runRetentionHours: 1,
        shutdownGraceMs: 10_000,
        ...options.supervisor,
        ...extra,
      });
      supervisors.push(s);
      await s.start();
      return s;
    },

    /** Stops one supervisor now; the end of the test no longer stops it. */
    async stopSupervisor(s: WorkerSupervisor): Promise<void> {
      await s.stop();
      const i = supervisors.indexOf(s);
      if (i >= 0) supervisors.splice(i, 1);
    },

    allFinished(ids: string[], timeoutMs = options.finishTimeoutMs ?? 20_000): Promise<Run[]> {
      return eventually(
        `${ids.length} runs to finish`,
        async () => {
          const runs = await Promise.all(ids.map((id) => getRun(h.app, id)));
          return runs.every((r) => r && (r.status === 'completed' || r.status === 'failed')) ? (runs as Run[]) : null;
        },
        timeoutMs,
        options.finishPollMs ?? 50,
      );
    },

    bullQueue: (spec: CompiledSpec, id: string) => h.app.queues.get(spec.queues[id]!.queueName),
    counts: (spec: CompiledSpec, id: string) =>
      h.bullQueue(spec, id).getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed'),
    target: (spec: CompiledSpec, nodeId: string) => resolveQueueNode(h.app, spec.pipelineId, nodeId),

    /** Flushes the stats of the app and of the given supervisors, then reads the pipeline's. */
    async statsNow(sups: readonly WorkerSupervisor[], spec: CompiledSpec) {
      await Promise.all([h.app.stats.flush(), ...sups.map((s) => s.runtime.stats.flush())]);
      return readPipelineStats(h.app, spec);
    },

    async liveVersion(pid: string, version: number, sup: WorkerSupervisor) {
      await eventually(`version ${version} live`, async () => (await listDeployed(h.app)).get(pid) === version);
      await sup.reconcile();
    },
  };

  beforeAll(() => {
    h.app = createRuntimeContext(url, prefix, { statsWindowSec: 300, runRetentionHours: 1 });
  });
  // Each test deploys its own pipelines; undeploy them so the next test's supervisors do not run them too.
  afterEach(async () => {
    if (options.undeployBeforeStop) {
      await undeployAll();
      await stopAll();
    } else {
      await stopAll();
      await undeployAll();
    }
  });
  afterAll(async () => {
    await h.app.close();
    await deletePrefix(url, prefix);
  });
  return h;
}

export const FLAKY = `
if (msg && msg.fatal) { const e = new Error('fatal ' + msg.i); e.name = 'UnrecoverableError'; throw e; }
if (msg && msg.fail) throw new Error('boom ' + msg.i);
return msg;`;
/** The consumer once the bug is fixed. */
export const FIXED = 'return { ...msg, fixed: true };';

export const transform = (id: string, code = FLAKY, concurrency = 10) => consumerNode(id, { kind: 'transform', code }, { concurrency });
export const deadLetterEdge = (source: string, target: string): PipelineEdge => ({
  id: `${source}-dl-${target}`,
  source,
  target,
  data: { kind: 'dead-letter' },
});

/** p -> q -> c, with q's options and c's code. */
export function oneStage(pid: string, q: Omit<QueueData, 'label'>, code = FLAKY, version = 1): CompiledSpec {
  const nodes: PipelineNode[] = [httpProducer('p'), queueNode('q', q), transform('c', code)];
  return specOf({ nodes, edges: [edge('p', 'q'), edge('q', 'c')] }, pid, version);
}

export function dataOf(job: Job): JobData {
  const parsed = parseJobData(job.data);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.data;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
