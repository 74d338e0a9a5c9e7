'use client';

import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { Task } from '@/lib/pipeline/schema';
import type { ConsumerFlowNode } from '../graph-document';
import { formatMs } from '../format';
import { NodeShell } from './node-shell';

function taskSummary(task: Task): string {
  switch (task.kind) {
    case 'delay':
      return task.jitterMs ? `delay ${formatMs(task.ms)} ±${formatMs(task.jitterMs)}` : `delay ${formatMs(task.ms)}`;
    case 'fail':
      return `fail ${Math.round(task.rate * 100)}%`;
    default:
      return task.kind;
  }
}

export const ConsumerNodeView = memo(function ConsumerNodeView({ id, data, selected }: NodeProps<ConsumerFlowNode>) {
  const concurrency = data.concurrency ?? 1;
  return (
    <NodeShell
      id={id}
      type="consumer"
      label={data.label}
      selected={selected}
      summary={`${taskSummary(data.task)}${concurrency > 1 ? ` · ×${concurrency}` : ''}`}
      hasInput
      hasOutput
      outputTitle="Drag to a queue to pass results on"
    />
  );
});
