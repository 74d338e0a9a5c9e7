'use client';

import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import { useEditor } from '../editor-context';
import { GeneratorProgress } from '../generator-progress';
import type { ProducerFlowNode } from '../graph-document';
import { NodeShell } from './node-shell';
import { sourceSummary } from './summaries';

export const ProducerNodeView = memo(function ProducerNodeView({ id, data, selected }: NodeProps<ProducerFlowNode>) {
  const isGenerator = data.source.kind === 'generator';
  const deployed = useEditor((s) => s.deployedVersion !== null);
  const generator = useEditor((s) => (isGenerator ? s.generators[id] : undefined));
  return (
    <NodeShell
      id={id}
      type="producer"
      label={data.label}
      selected={selected}
      summary={sourceSummary(data.source)}
      hasInput={false}
      hasOutput
      outputTitle="Drag to a queue"
    >
      {isGenerator && deployed && !generator?.unsupported ? (
        <div data-testid="node-generator">
          <GeneratorProgress view={generator} compact />
        </div>
      ) : null}
    </NodeShell>
  );
});
