import type { NodeTypes } from '@xyflow/react';
import { ConsumerNodeView } from './consumer-node';
import { ProducerNodeView } from './producer-node';
import { QueueNodeView } from './queue-node';

/** Defined once at module level: React Flow re-mounts every node when this object changes. */
export const nodeTypes = {
  producer: ProducerNodeView,
  queue: QueueNodeView,
  consumer: ConsumerNodeView,
} satisfies NodeTypes;
