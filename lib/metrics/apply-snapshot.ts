import type { NodeKind } from '../stats/aggregate';
import type { NodeStats } from '../stats/types';
import type { ConveyorMetrics, NodeLabels } from './registry';

/**
 * What one scrape read from Redis and the database, as plain data, and how
 * it lands in the metric families. Kept apart from the reads so the mapping
 * is unit-tested.
 */
export interface NodeSample {
  labels: NodeLabels & { node_type: NodeKind };
  stats: NodeStats;
}

export interface MetricsSnapshot {
  pipelinesDeployed: number;
  workers: number;
  nodes: NodeSample[];
}

const QUANTILES = [
  ['0.5', 'p50'],
  ['0.95', 'p95'],
  ['0.99', 'p99'],
] as const;

/**
 * Replaces every value with the snapshot's (reset, then set), so the series
 * of an undeployed pipeline or a removed node disappear at the next scrape.
 *
 * Which node types get which series (the others would always be 0):
 * in, out and rate: every node; completed, failed, retried: consumers;
 * waiting, active, delayed: queues; service and wait quantiles: queues and
 * consumers.
 */
export function applySnapshot(m: ConveyorMetrics, snapshot: MetricsSnapshot): void {
  for (const metric of [
    m.messagesIn,
    m.messagesOut,
    m.completed,
    m.failed,
    m.retried,
    m.ratePerSecond,
    m.queueWaiting,
    m.queueActive,
    m.queueDelayed,
    m.serviceSeconds,
    m.waitSeconds,
  ]) {
    metric.reset();
  }
  m.pipelinesDeployed.set(snapshot.pipelinesDeployed);
  m.workers.set(snapshot.workers);

  for (const { labels, stats } of snapshot.nodes) {
    m.messagesIn.inc(labels, count(stats.in));
    m.messagesOut.inc(labels, count(stats.out));
    m.ratePerSecond.set(labels, stats.ratePerSec);
    if (labels.node_type === 'consumer') {
      m.completed.inc(labels, count(stats.completed));
      m.failed.inc(labels, count(stats.failed));
      m.retried.inc(labels, count(stats.retried));
    }
    if (labels.node_type === 'queue') {
      m.queueWaiting.set(labels, stats.waiting ?? 0);
      m.queueActive.set(labels, stats.active ?? 0);
      m.queueDelayed.set(labels, stats.delayed ?? 0);
    }
    if (labels.node_type !== 'producer') {
      for (const [quantile, key] of QUANTILES) {
        m.serviceSeconds.set({ ...labels, quantile }, seconds(stats.serviceMs[key]));
        m.waitSeconds.set({ ...labels, quantile }, seconds(stats.waitMs[key]));
      }
    }
  }
}

/** Stats percentiles are in ms rounded to 0.01 ms; this keeps them free of float noise (0.00052, not 0.0005200000000000001). */
const seconds = (ms: number) => Math.round(ms * 100) / 100_000;

/** A counter cannot be set below 0; a corrupt total must not fail the whole scrape. */
const count = (n: number) => (Number.isFinite(n) && n > 0 ? n : 0);
