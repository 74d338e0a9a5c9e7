import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

/**
 * The app's Prometheus metric families, on a registry of our own (not
 * prom-client's global one, which Next or a library could also fill).
 *
 * Every value is read from Redis at scrape time (./read-metrics-snapshot.ts)
 * and written here just before serializing (./apply-snapshot.ts): the app
 * never executes tasks, so in-process counters would count nothing. Node
 * counters are Prometheus counters whose values are the totals since the
 * pipeline's last deploy, so they drop to 0 at a deploy, which rate() and
 * increase() treat as an ordinary counter reset.
 */
export const NODE_LABELS = ['pipeline_id', 'pipeline', 'node_id', 'node_type'] as const;
export type NodeLabelName = (typeof NODE_LABELS)[number];
export type NodeLabels = Record<NodeLabelName, string>;
type QuantileLabelName = NodeLabelName | 'quantile';

const SINCE_DEPLOY = 'Totals since the pipeline was last deployed: a deploy resets them to 0.';
const WINDOW = 'Estimated from a log histogram (within 2 %) over the last 60 s; 0 when there was no sample.';

export interface ConveyorMetrics {
  registry: Registry;
  messagesIn: Counter<NodeLabelName>;
  messagesOut: Counter<NodeLabelName>;
  completed: Counter<NodeLabelName>;
  failed: Counter<NodeLabelName>;
  retried: Counter<NodeLabelName>;
  ratePerSecond: Gauge<NodeLabelName>;
  queueWaiting: Gauge<NodeLabelName>;
  queueActive: Gauge<NodeLabelName>;
  queueDelayed: Gauge<NodeLabelName>;
  serviceSeconds: Gauge<QuantileLabelName>;
  waitSeconds: Gauge<QuantileLabelName>;
  workers: Gauge;
  pipelinesDeployed: Gauge;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): ConveyorMetrics {
  const registry = new Registry();
  const registers = [registry];
  const counter = (name: string, help: string) => new Counter({ name, help, labelNames: NODE_LABELS, registers });
  const gauge = (name: string, help: string) => new Gauge({ name, help, labelNames: NODE_LABELS, registers });
  const quantiles = (name: string, help: string) =>
    new Gauge({ name, help, labelNames: [...NODE_LABELS, 'quantile'] as const, registers });

  const metrics: ConveyorMetrics = {
    registry,
    messagesIn: counter(
      'conveyor_node_messages_in_total',
      `Messages into the node: jobs added to a queue; attempts a consumer started (retries included); 0 for producers. ${SINCE_DEPLOY}`,
    ),
    messagesOut: counter(
      'conveyor_node_messages_out_total',
      `Messages out of the node: a producer's messages; jobs taken from a queue for the first time; results a consumer sent on. ${SINCE_DEPLOY}`,
    ),
    completed: counter('conveyor_node_completed_total', `Consumer attempts that succeeded. ${SINCE_DEPLOY}`),
    failed: counter('conveyor_node_failed_total', `Consumer jobs that failed for good (attempts used up or unrecoverable). ${SINCE_DEPLOY}`),
    retried: counter('conveyor_node_retried_total', `Consumer attempts that failed and will be tried again. ${SINCE_DEPLOY}`),
    ratePerSecond: gauge(
      'conveyor_node_rate_per_second',
      'Messages per second over the last 60 complete seconds (or since deploy when shorter): producer out, queue in (arrival rate), consumer completed (throughput).',
    ),
    queueWaiting: gauge('conveyor_queue_waiting', 'Jobs waiting in the queue node (prioritized included), from BullMQ.'),
    queueActive: gauge('conveyor_queue_active', 'Jobs of the queue node being processed now, from BullMQ.'),
    queueDelayed: gauge('conveyor_queue_delayed', 'Jobs of the queue node delayed (backoff before a retry), from BullMQ.'),
    serviceSeconds: quantiles(
      'conveyor_node_service_seconds',
      `Quantiles of the time a job held a consumer slot, per attempt (queue: its jobs; consumer: the jobs it took). ${WINDOW}`,
    ),
    waitSeconds: quantiles(
      'conveyor_node_wait_seconds',
      `Quantiles of the time from a job becoming ready in its queue to its first start (queue: its jobs; consumer: the jobs it took). ${WINDOW}`,
    ),
    workers: new Gauge({ name: 'conveyor_workers', help: 'Live worker processes (heartbeat within the last 5 s).', registers }),
    pipelinesDeployed: new Gauge({ name: 'conveyor_pipelines_deployed', help: 'Pipelines deployed now.', registers }),
  };
  // Process metrics of the app itself (CPU, memory, event loop lag, GC): read at scrape time, cheap.
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'conveyor_' });
  return metrics;
}

// On globalThis, like the services: Next's dev reload re-evaluates modules, and
// collectDefaultMetrics starts an event loop monitor that must exist once.
const holder = globalThis as unknown as { __conveyorMetrics?: ConveyorMetrics };

/** The app process's metrics, created on first use. */
export function getMetrics(): ConveyorMetrics {
  holder.__conveyorMetrics ??= createMetrics({ defaultMetrics: true });
  return holder.__conveyorMetrics;
}
