import { edgeKindOf } from './connection-rules';
import type { ConsumerData, Graph, QueueData, Source, Task } from './schema';

/**
 * The runtime topology workers execute: what each queue is called, who
 * consumes it, and where each consumer's results go. Pure data, published to
 * Redis as JSON on deploy; workers never see the SQL database.
 */
export interface CompiledProducer {
  id: string;
  label: string;
  source: Source;
  /** Queue node ids that get a copy of every message. */
  outputs: string[];
}
export interface CompiledQueue {
  id: string;
  label: string;
  /** BullMQ queue name; stable across versions so a redeploy keeps waiting jobs. */
  queueName: string;
  options: Omit<QueueData, 'label'>;
  consumers: string[];
  deadLetter?: string;
}
export interface CompiledConsumer {
  id: string;
  label: string;
  input: string;
  /** Queue node ids, in edge order, with the edge ids route rules name. */
  outputs: Array<{ edgeId: string; queue: string }>;
  concurrency: number;
  task: Task;
}
export interface CompiledSpec {
  pipelineId: string;
  version: number;
  producers: Record<string, CompiledProducer>;
  queues: Record<string, CompiledQueue>;
  consumers: Record<string, CompiledConsumer>;
}

/**
 * BullMQ queue name for a queue node. The braces are a Redis Cluster hash tag:
 * every key of one queue lands in one slot.
 */
export function queueNameFor(pipelineId: string, nodeId: string): string {
  return `{${pipelineId}.${nodeId}}`;
}

export const DEFAULT_CONCURRENCY = 1;

/** Compiles a graph that validateGraph accepted. */
export function compileGraph(graph: Graph, pipelineId: string, version: number): CompiledSpec {
  const spec: CompiledSpec = { pipelineId, version, producers: {}, queues: {}, consumers: {} };
  const normal = graph.edges.filter((e) => edgeKindOf(e) === 'normal');
  const outs = (id: string) => normal.filter((e) => e.source === id);

  for (const node of graph.nodes) {
    if (node.type === 'producer') {
      spec.producers[node.id] = {
        id: node.id,
        label: node.data.label,
        source: node.data.source,
        outputs: outs(node.id).map((e) => e.target),
      };
    } else if (node.type === 'queue') {
      const { label, ...options } = node.data;
      const dlq = graph.edges.find((e) => e.source === node.id && edgeKindOf(e) === 'dead-letter');
      spec.queues[node.id] = {
        id: node.id,
        label,
        queueName: queueNameFor(pipelineId, node.id),
        options,
        consumers: outs(node.id).map((e) => e.target),
        ...(dlq ? { deadLetter: dlq.target } : {}),
      };
    } else {
      const data: ConsumerData = node.data;
      const input = normal.find((e) => e.target === node.id);
      spec.consumers[node.id] = {
        id: node.id,
        label: data.label,
        input: input?.source ?? '',
        outputs: outs(node.id).map((e) => ({ edgeId: e.id, queue: e.target })),
        concurrency: data.concurrency ?? DEFAULT_CONCURRENCY,
        task: data.task,
      };
    }
  }
  return spec;
}
