'use client';

import { useEditor } from './editor-context';
import type { FlowNodeData } from './graph-document';
import { ConsumerProperties } from './properties/consumer-properties';
import { EdgeProperties } from './properties/edge-properties';
import { NodeCommonProperties } from './properties/node-common-properties';
import { PipelineSummary } from './properties/pipeline-summary';
import { ProducerProperties } from './properties/producer-properties';
import { QueueProperties } from './properties/queue-properties';
import type { ConsumerData, ProducerData, QueueData } from '@/lib/pipeline/schema';

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
    <aside className="flex w-72 shrink-0 flex-col overflow-y-auto border-l border-border bg-surface" aria-label="Properties">
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
  if (!type || !data) return null;
  const update = <T extends FlowNodeData>(patch: (d: T) => T) => updateNodeData(id, (d) => patch(d as T));

  return (
    <div data-testid="properties-panel" data-node-id={id}>
      <NodeCommonProperties id={id} type={type} label={data.label} onLabel={(label) => update((d) => ({ ...d, label }))} />
      <div className="space-y-3 px-3 py-3">
        {type === 'producer' ? (
          <ProducerProperties data={data as ProducerData} update={update<ProducerData>} />
        ) : type === 'queue' ? (
          <QueueProperties data={data as QueueData} update={update<QueueData>} />
        ) : (
          <ConsumerProperties data={data as ConsumerData} update={update<ConsumerData>} />
        )}
      </div>
    </div>
  );
}
