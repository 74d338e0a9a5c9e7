'use client';

import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { ProducerFlowNode } from '../graph-document';
import { NodeShell } from './node-shell';

const SOURCE_NAMES: Record<string, string> = {
  http: 'HTTP trigger',
  schedule: 'Schedule',
  generator: 'Load generator',
  amqp: 'RabbitMQ',
  nats: 'NATS',
  mqtt: 'MQTT',
  zeromq: 'ZeroMQ',
};

export const ProducerNodeView = memo(function ProducerNodeView({ id, data, selected }: NodeProps<ProducerFlowNode>) {
  return (
    <NodeShell
      id={id}
      type="producer"
      label={data.label}
      selected={selected}
      summary={SOURCE_NAMES[data.source.kind] ?? data.source.kind}
      hasInput={false}
      hasOutput
      outputTitle="Drag to a queue"
    />
  );
});
