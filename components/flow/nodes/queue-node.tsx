'use client';

import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import { Badge } from '@/components/ui/badge';
import { useEditor } from '../editor-context';
import type { QueueFlowNode } from '../graph-document';
import { useQueuePaused } from '../use-queue-paused';
import { NodeShell } from './node-shell';
import { queueSummary } from './summaries';

export const QueueNodeView = memo(function QueueNodeView({ id, data, selected }: NodeProps<QueueFlowNode>) {
  const paused = useQueuePaused(id);
  const isDeadLetterQueue = useEditor((s) => s.edges.some((e) => e.target === id && e.data?.kind === 'dead-letter'));
  return (
    <NodeShell
      id={id}
      type="queue"
      label={data.label}
      selected={selected}
      summary={queueSummary(data) || undefined}
      hasInput
      hasOutput
      outputTitle="Drag to a consumer, or to another queue for dead letters"
      tags={
        <>
          {isDeadLetterQueue ? (
            <Badge tone="danger" className="px-1 py-0 text-[9px] leading-3.5" title="Dead-letter queue" data-testid="queue-dlq-tag">
              DLQ
            </Badge>
          ) : null}
          {paused ? (
            <Badge tone="warning" className="px-1 py-0 text-[9px] leading-3.5" data-testid="queue-paused">
              paused
            </Badge>
          ) : null}
        </>
      }
    />
  );
});
