'use client';

import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { ConsumerFlowNode } from '../graph-document';
import { NodeShell } from './node-shell';
import { taskSummary } from './summaries';

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
