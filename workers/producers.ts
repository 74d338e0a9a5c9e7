import { log } from '../lib/log';
import type { CompiledSpec } from '../lib/pipeline/compile';
import type { Redis } from '../lib/redis';
import type { RuntimeContext } from '../lib/runtime/context';
import { getSpec, listDeployed } from '../lib/runtime/deploy';
import { GeneratorPool, type GeneratorPoolOptions } from './producer-generators';
import { ScheduleRunner, type ScheduleRunnerOptions } from './producer-schedules';

/**
 * Producers that run inside worker processes: schedules (job schedulers and
 * their ticks) and generators (leased, rate-paced). The supervisor starts
 * one of these, calls reconcile() on every pass and stop() before it closes
 * its connections; everything else lives here.
 */
export interface ProducerTuning {
  generators?: Omit<GeneratorPoolOptions, 'workerId'>;
  schedules?: Pick<ScheduleRunnerOptions, 'concurrency' | 'verifyEveryMs'>;
}

export class ProducerRuntime {
  private readonly schedules: ScheduleRunner;
  readonly generators: GeneratorPool;

  constructor(
    private readonly ctx: RuntimeContext,
    opts: { workerId: string; connection: Redis; workerSettings?: ScheduleRunnerOptions['workerSettings']; tuning?: ProducerTuning },
  ) {
    this.schedules = new ScheduleRunner(ctx, {
      workerId: opts.workerId,
      connection: opts.connection,
      workerSettings: opts.workerSettings,
      ...opts.tuning?.schedules,
    });
    this.generators = new GeneratorPool(ctx, { workerId: opts.workerId, ...opts.tuning?.generators });
  }

  start(): Promise<void> {
    return this.generators.start();
  }

  /**
   * Brings the job schedulers in line with every deployed spec. Skipped
   * (logged) when a deployed spec cannot be read, so an unreadable spec never
   * removes its pipeline's schedulers. Never throws.
   */
  async reconcile(): Promise<void> {
    try {
      const specs: CompiledSpec[] = [];
      for (const [pid, version] of await listDeployed(this.ctx)) {
        const spec = await getSpec(this.ctx, pid, version);
        if (!spec) throw new Error(`deployed version ${version} of pipeline ${pid} has no spec`);
        specs.push(spec);
      }
      await this.schedules.reconcile(specs);
    } catch (e) {
      log.error('producer reconcile failed; retrying on the next pass', { error: (e as Error).message });
    }
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.generators.stop(), this.schedules.close()]);
  }
}
