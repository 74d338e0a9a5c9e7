import type { Db } from '../db';
import { AppError } from '../errors';
import type { RuntimeContext } from '../runtime/context';
import { applySnapshot } from './apply-snapshot';
import { readMetricsSnapshot } from './read-metrics-snapshot';
import { getMetrics, type ConveyorMetrics } from './registry';

export interface RenderedMetrics {
  contentType: string;
  text: string;
}

/**
 * One scrape: read the snapshot, write it into the registry, serialize.
 * Scrapes that arrive while one is under way share its result, so two
 * Prometheus servers (or a retry) never interleave their resets and sets.
 */
const inFlight = new WeakMap<ConveyorMetrics, Promise<RenderedMetrics>>();

export function renderMetrics(deps: { db: Db; runtime: RuntimeContext }, metrics: ConveyorMetrics = getMetrics()): Promise<RenderedMetrics> {
  const running = inFlight.get(metrics);
  if (running) return running;
  const scrape = (async () => {
    let snapshot;
    try {
      snapshot = await readMetricsSnapshot(deps);
    } catch (e) {
      throw new AppError('unavailable', `Could not read the metrics: ${(e as Error).message}`);
    }
    applySnapshot(metrics, snapshot);
    return { contentType: metrics.registry.contentType, text: await metrics.registry.metrics() };
  })().finally(() => inFlight.delete(metrics));
  inFlight.set(metrics, scrape);
  return scrape;
}
