/**
 * npm run bench: Conveyor's throughput as a ratio of raw BullMQ's, both
 * measured in this run on this machine (absolute numbers on a shared 2-core
 * box are noise; ratios are what we track).
 *
 *   enqueue  raw Queue.addBulk in batches of 1000   vs  triggerRuns in batches of 1000
 *   e2e      addBulk + one Worker (concurrency 100, no-op)
 *            vs  a deployed http -> queue -> noop consumer pipeline (concurrency 100),
 *                triggered in batches of 1000, counted when each run is recorded complete
 *
 * BENCH_N (default 20000) messages per measurement; REDIS_URL (default the local one).
 */
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { compileGraph } from '../lib/pipeline/compile';
import { createRuntimeContext } from '../lib/runtime/context';
import { publishSpec } from '../lib/runtime/deploy';
import { triggerRuns } from '../lib/runtime/trigger';
import { consumerNode, deletePrefix, edge, httpProducer, queueNode } from '../lib/runtime/testing';
import { WorkerSupervisor } from '../workers/supervisor';

const N = Number(process.env.BENCH_N ?? 20_000);
const BATCH = 1000;
const CONCURRENCY = 100;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
process.env.LOG_LEVEL ??= 'warn';
const payload = { orderId: 12345, items: [{ sku: 'A-1', qty: 2 }], note: 'benchmark' };

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);

async function rawBullmq(prefix: string) {
  const conn = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('raw', { connection: conn, prefix });
  const t0 = performance.now();
  for (let i = 0; i < N; i += BATCH) {
    await queue.addBulk(Array.from({ length: Math.min(BATCH, N - i) }, () => ({ name: 'm', data: payload, opts: { removeOnComplete: true } })));
  }
  const enqueueMs = performance.now() - t0;

  let done = 0;
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  const t1 = performance.now();
  const worker = new Worker('raw', async () => null, { connection: new Redis(redisUrl, { maxRetriesPerRequest: null }), prefix, concurrency: CONCURRENCY });
  worker.on('completed', () => ++done === N && finish());
  worker.on('error', () => {});
  await finished;
  const drainMs = performance.now() - t1;

  // End to end with producer and worker running together, as a pipeline does.
  let done2 = 0;
  let finish2!: () => void;
  const finished2 = new Promise<void>((r) => (finish2 = r));
  worker.removeAllListeners('completed');
  worker.on('completed', () => ++done2 === N && finish2());
  const t2 = performance.now();
  for (let i = 0; i < N; i += BATCH) {
    await queue.addBulk(Array.from({ length: Math.min(BATCH, N - i) }, () => ({ name: 'm', data: payload, opts: { removeOnComplete: true } })));
  }
  await finished2;
  const e2eMs = performance.now() - t2;
  await worker.close();
  await queue.close();
  conn.disconnect();
  return { enqueue: rate(N, enqueueMs), drain: rate(N, drainMs), e2e: rate(N, e2eMs) };
}

async function conveyor(prefix: string) {
  const pipelineId = `bench${randomBytes(3).toString('hex')}`;
  const graph = {
    nodes: [httpProducer('p'), queueNode('q'), consumerNode('c', { kind: 'noop' }, { concurrency: CONCURRENCY })],
    edges: [edge('p', 'q'), edge('q', 'c')],
  };
  const ctx = createRuntimeContext(redisUrl, prefix, { statsWindowSec: 900, runRetentionHours: 1 });
  const spec = compileGraph(graph, pipelineId, 1);
  await publishSpec(ctx, spec);

  // Enqueue only (no worker yet): the REST batch path minus HTTP.
  const t0 = performance.now();
  for (let i = 0; i < N; i += BATCH) await triggerRuns(ctx, { spec, payloads: Array.from({ length: Math.min(BATCH, N - i) }, () => payload) });
  const enqueueMs = performance.now() - t0;

  const sub = new Redis(redisUrl);
  let done = 0;
  let target = N;
  let finish!: () => void;
  let finished = new Promise<void>((r) => (finish = r));
  await sub.subscribe(ctx.keys.runDoneChannel);
  sub.on('message', () => ++done === target && finish());

  const t1 = performance.now();
  const supervisor = new WorkerSupervisor({ redisUrl, prefix, statsWindowSec: 900, runRetentionHours: 1 });
  await supervisor.start();
  await finished;
  const drainMs = performance.now() - t1;

  target = 2 * N;
  finished = new Promise<void>((r) => (finish = r));
  const t2 = performance.now();
  for (let i = 0; i < N; i += BATCH) await triggerRuns(ctx, { spec, payloads: Array.from({ length: Math.min(BATCH, N - i) }, () => payload) });
  await finished;
  const e2eMs = performance.now() - t2;

  await supervisor.stop();
  await sub.quit();
  await ctx.close();
  return { enqueue: rate(N, enqueueMs), drain: rate(N, drainMs), e2e: rate(N, e2eMs) };
}

async function main() {
  const prefix = `cvbench-${randomBytes(4).toString('hex')}`;
  try {
    process.stdout.write(`Conveyor benchmark: ${N} messages per measurement, batches of ${BATCH}, concurrency ${CONCURRENCY}, Redis ${redisUrl}\n`);
    const raw = await rawBullmq(`${prefix}:raw`);
    const cv = await conveyor(prefix);
    const rows: Array<[string, number, number]> = [
      ['enqueue (batches of 1000)', raw.enqueue, cv.enqueue],
      ['drain a full queue', raw.drain, cv.drain],
      ['end to end (enqueue + process)', raw.e2e, cv.e2e],
    ];
    process.stdout.write(`\n${'measurement'.padEnd(34)}${'raw BullMQ/s'.padStart(14)}${'Conveyor/s'.padStart(14)}${'ratio'.padStart(8)}\n`);
    for (const [name, r, c] of rows) {
      process.stdout.write(`${name.padEnd(34)}${String(r).padStart(14)}${String(c).padStart(14)}${(c / r).toFixed(2).padStart(8)}\n`);
    }
  } finally {
    await deletePrefix(redisUrl, prefix);
    await deletePrefix(redisUrl, `${prefix}:raw`);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
