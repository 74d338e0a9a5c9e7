'use client';

import { useCallback } from 'react';
import type { ConsumerData, ProducerData, QueueData } from '@/lib/pipeline/schema';
import { useEditor } from './editor-context';
import type { FlowNodeData } from './graph-document';
import { ConsumerProperties } from './properties/consumer-properties';
import { EdgeProperties } from './properties/edge-properties';
import { NodeCommonProperties } from './properties/node-common-properties';
import { PipelineSummary } from './properties/pipeline-summary';
import { ProducerProperties } from './properties/producer-properties';
import { QueueProperties } from './properties/queue-properties';
import type { Update } from './properties/use-node-form';

/** The right-hand panel: the selected node's settings, the selected edge, or the pipeline overview. */
export function PropertiesPanel() {
  const selectedNodeId = useEditor((s) => {
    const selected = s.nodes.filter((n) => n.selected);
    return selected.length === 1 ? selected[0]!.id : null;
  });
  const selectedEdgeId = useEditor((s) => {
    const selected = s.edges.filter((e) => e.selected);
    return selected.length === 1 && !s.nodes.some((n) => n.selected) ? selected[0]!.id : null;
  });

  return (
    <aside className="flex w-80 shrink-0 flex-col overflow-y-auto border-l border-border bg-surface" aria-label="Properties">
      {selectedNodeId ? (
        <NodeProperties key={selectedNodeId} id={selectedNodeId} />
      ) : selectedEdgeId ? (
        <EdgeProperties key={selectedEdgeId} id={selectedEdgeId} />
      ) : (
        <PipelineSummary />
      )}
    </aside>
  );
}

function NodeProperties({ id }: { id: string }) {
  const type = useEditor((s) => s.nodes.find((n) => n.id === id)?.type);
  // `data` keeps its identity while the node is dragged, so moving it does not re-render the form.
  const data = useEditor((s) => s.nodes.find((n) => n.id === id)?.data);
  const updateNodeData = useEditor((s) => s.updateNodeData);
  const update = useCallback(
    (patch: (d: FlowNodeData) => FlowNodeData) => updateNodeData(id, patch),
    [id, updateNodeData],
  ) as Update<FlowNodeData>;
  if (!type || !data) return null;

  return (
    <div data-testid="properties-panel" data-node-id={id} data-node-type={type}>
      <NodeCommonProperties id={id} type={type} label={data.label} onLabel={(label) => update((d) => ({ ...d, label }))} />
      {type === 'producer' ? (
        <ProducerProperties id={id} data={data as ProducerData} update={update as unknown as Update<ProducerData>} />
      ) : type === 'queue' ? (
        <QueueProperties id={id} data={data as QueueData} update={update as unknown as Update<QueueData>} />
      ) : (
        <ConsumerProperties id={id} data={data as ConsumerData} update={update as unknown as Update<ConsumerData>} />
      )}
    </div>
  );
}
