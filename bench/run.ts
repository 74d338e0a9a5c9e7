/**
 * npm run bench: Conveyor's throughput as a ratio of raw BullMQ's, both
 * measured in this run on this machine (absolute numbers on a shared 2-core
 * box are noise; ratios are what we track).
 *
 *   enqueue  raw Queue.addBulk in batches of 1000   vs  triggerRuns in batches of 1000
 *   e2e      addBulk + one Worker (concurrency 100, no-op)
 *            vs  a deployed http -> queue -> noop consumer pipeline (concurrency 100),
 *                triggered in batches of 1000, counted when each run is recorded complete
 *            and the same pipeline with a sandboxed `transform` consumer instead of noop
 *   generator  raw addBulk vs one generator producer asked for 100k/s (no consumer)
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
import { getProducerStatus, startGenerator } from '../lib/runtime/producers/control';
import type { Task } from '../lib/pipeline/schema';
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

async function conveyor(prefix: string, task: Task = { kind: 'noop' }) {
  const pipelineId = `bench${randomBytes(3).toString('hex')}`;
  const graph = {
    nodes: [httpProducer('p'), queueNode('q'), consumerNode('c', task, { concurrency: CONCURRENCY })],
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

/** One generator asked for far more than it can send, into a queue nobody consumes: its own ceiling. */
async function generatorRate(prefix: string) {
  const pipelineId = `bench${randomBytes(3).toString('hex')}`;
  const graph = {
    nodes: [
      { id: 'g', type: 'producer' as const, position: { x: 0, y: 0 }, data: { label: 'g', source: { kind: 'generator' as const, ratePerSec: 100_000, count: N, payload } } },
      queueNode('q'),
    ],
    edges: [edge('g', 'q')],
  };
  const ctx = createRuntimeContext(redisUrl, prefix, { statsWindowSec: 900, runRetentionHours: 1 });
  await publishSpec(ctx, compileGraph(graph, pipelineId, 1));
  const supervisor = new WorkerSupervisor({ redisUrl, prefix, statsWindowSec: 900, runRetentionHours: 1 });
  await supervisor.start();
  await startGenerator(ctx, pipelineId, 'g');
  let status = await getProducerStatus(ctx, pipelineId, 'g');
  for (let i = 0; i < 1200 && !(status.kind === 'generator' && status.state === 'done'); i++) {
    await new Promise((r) => setTimeout(r, 50));
    status = await getProducerStatus(ctx, pipelineId, 'g');
  }
  await supervisor.stop();
  await ctx.close();
  if (status.kind !== 'generator' || status.state !== 'done') throw new Error(`generator did not finish: ${JSON.stringify(status)}`);
  return rate(status.sent, Date.parse(status.finishedAt!) - Date.parse(status.startedAt!));
}

async function main() {
  const prefix = `cvbench-${randomBytes(4).toString('hex')}`;
  try {
    process.stdout.write(`Conveyor benchmark: ${N} messages per measurement, batches of ${BATCH}, concurrency ${CONCURRENCY}, Redis ${redisUrl}\n`);
    const raw = await rawBullmq(`${prefix}:raw`);
    const cv = await conveyor(prefix);
    const tf = await conveyor(`${prefix}:tf`, { kind: 'transform', code: 'return { ...msg, total: msg.items.length * 2 }' });
    const gen = await generatorRate(`${prefix}:gen`);
    const rows: Array<[string, number, number]> = [
      ['enqueue (batches of 1000)', raw.enqueue, cv.enqueue],
      ['drain a full queue', raw.drain, cv.drain],
      ['end to end (enqueue + process)', raw.e2e, cv.e2e],
      ['end to end, transform consumer', raw.e2e, tf.e2e],
      ['generator top rate vs addBulk', raw.enqueue, gen],
    ];
    process.stdout.write(`\n${'measurement'.padEnd(34)}${'raw BullMQ/s'.padStart(14)}${'Conveyor/s'.padStart(14)}${'ratio'.padStart(8)}\n`);
    for (const [name, r, c] of rows) {
      process.stdout.write(`${name.padEnd(34)}${String(r).padStart(14)}${String(c).padStart(14)}${(c / r).toFixed(2).padStart(8)}\n`);
    }
  } finally {
    for (const p of [prefix, `${prefix}:raw`, `${prefix}:tf`, `${prefix}:gen`]) await deletePrefix(redisUrl, p);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
