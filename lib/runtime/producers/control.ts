import { AppError } from '../../errors';
import type { CompiledProducer, CompiledSpec } from '../../pipeline/compile';
import type { RuntimeContext } from '../context';
import { getDeployedSpec } from '../deploy';
import { readGeneratorStatus, startGeneratorState, STOP_REASONS, stopGeneratorState } from './generator-state';
import { producerKeys, schedulerIdFor } from './keys';
import type { ProducerStatus, StartGeneratorInput } from './schemas';

/**
 * The use cases behind /api/v1/pipelines/:id/producers/:nodeId: status of
 * any producer, start and stop of a generator. The node is looked up in the
 * deployed version (409 not_deployed without one, 404 when it has no such
 * producer). Starting only writes Redis; a worker takes the generator within
 * a tick (none running: it stays `running` with nothing sent until one starts).
 */
async function deployedProducer(ctx: RuntimeContext, pipelineId: string, nodeId: string): Promise<{ spec: CompiledSpec; producer: CompiledProducer }> {
  const spec = await getDeployedSpec(ctx, pipelineId);
  if (!spec) throw new AppError('not_deployed', 'This pipeline is not deployed; deploy it before using its producers.');
  const producer = spec.producers[nodeId];
  if (!producer) throw new AppError('not_found', `The deployed version of this pipeline has no producer ${nodeId}.`);
  return { spec, producer };
}

function generatorSource(producer: CompiledProducer) {
  const s = producer.source;
  if (s.kind !== 'generator') {
    throw new AppError('bad_request', `Producer ${producer.id} is a ${s.kind} producer; only generators are started and stopped.`);
  }
  return s;
}

export async function getProducerStatus(ctx: RuntimeContext, pipelineId: string, nodeId: string): Promise<ProducerStatus> {
  const { producer } = await deployedProducer(ctx, pipelineId, nodeId);
  const s = producer.source;
  if (s.kind === 'generator') {
    return { kind: 'generator', ...(await readGeneratorStatus(ctx, pipelineId, { nodeId, count: s.count, ratePerSec: s.ratePerSec })) };
  }
  if (s.kind === 'schedule') {
    const queue = ctx.queues.get(producerKeys(ctx.config.prefix).ticksQueue);
    const scheduler = await queue.getJobScheduler(schedulerIdFor(pipelineId, nodeId));
    return {
      kind: 'schedule',
      state: scheduler ? 'scheduled' : 'pending',
      ...(s.cron ? { cron: s.cron } : {}),
      ...(s.everyMs ? { everyMs: s.everyMs } : {}),
      ...(scheduler?.next ? { nextFireAt: new Date(scheduler.next).toISOString() } : {}),
      ...(scheduler?.iterationCount !== undefined ? { fired: scheduler.iterationCount } : {}),
    };
  }
  return { kind: s.kind };
}

/** Starts a generator with the node's settings, or the overrides; 409 conflict when it is running. */
export async function startGenerator(
  ctx: RuntimeContext,
  pipelineId: string,
  nodeId: string,
  overrides: StartGeneratorInput = {},
): Promise<ProducerStatus> {
  const { producer } = await deployedProducer(ctx, pipelineId, nodeId);
  const s = generatorSource(producer);
  if (producer.outputs.length === 0) throw new AppError('bad_request', `Producer ${nodeId} is not wired to any queue.`);
  const settings = { count: overrides.count ?? s.count, ratePerSec: overrides.ratePerSec ?? s.ratePerSec };
  const outcome = await startGeneratorState(ctx, pipelineId, nodeId, settings);
  if (outcome === 'already_running') {
    throw new AppError('conflict', `Generator ${nodeId} is already running; stop it before starting it again.`);
  }
  return { kind: 'generator', ...(await readGeneratorStatus(ctx, pipelineId, { nodeId, ...settings })) };
}

/** Stops a running generator; stopping one that is not running changes nothing and answers its status. */
export async function stopGenerator(ctx: RuntimeContext, pipelineId: string, nodeId: string): Promise<ProducerStatus> {
  const { producer } = await deployedProducer(ctx, pipelineId, nodeId);
  const s = generatorSource(producer);
  await stopGeneratorState(ctx, pipelineId, nodeId, STOP_REASONS.request);
  return { kind: 'generator', ...(await readGeneratorStatus(ctx, pipelineId, { nodeId, count: s.count, ratePerSec: s.ratePerSec })) };
}
