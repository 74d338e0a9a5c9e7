'use client';

import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { QueueFlowNode } from '../graph-document';
import { NodeShell } from './node-shell';

export const QueueNodeView = memo(function QueueNodeView({ id, data, selected }: NodeProps<QueueFlowNode>) {
  const parts: string[] = [];
  if (data.attempts && data.attempts > 1) parts.push(`${data.attempts} attempts`);
  if (data.maxWaiting) parts.push(`cap ${data.maxWaiting}`);
  return (
    <NodeShell
      id={id}
      type="queue"
      label={data.label}
      selected={selected}
      summary={parts.join(' · ') || undefined}
      hasInput
      hasOutput
      outputTitle="Drag to a consumer, or to another queue for dead letters"
    />
  );
});
