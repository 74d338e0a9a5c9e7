'use client';

import { useShallow } from 'zustand/react/shallow';
import { useEditor } from '../editor-context';

/** What the panel shows with nothing selected: counts, the trigger endpoint and how to start. */
export function PipelineSummary() {
  const counts = useEditor(
    useShallow((s) => ({
      producers: s.nodes.filter((n) => n.type === 'producer').length,
      queues: s.nodes.filter((n) => n.type === 'queue').length,
      consumers: s.nodes.filter((n) => n.type === 'consumer').length,
      edges: s.edges.length,
    })),
  );
  const pipelineId = useEditor((s) => s.pipelineId);
  const deployedVersion = useEditor((s) => s.deployedVersion);
  const workerCount = useEditor((s) => s.workerCount);
  return (
    <div className="space-y-4 px-3 py-3" data-testid="pipeline-summary">
      <div>
        <h2 className="text-sm font-semibold text-fg">Pipeline</h2>
        <p className="mt-0.5 text-xs text-muted">Select a node or a connection to edit it.</p>
      </div>
      <dl className="grid grid-cols-2 gap-2 text-xs">
        {(
          [
            ['Producers', counts.producers],
            ['Queues', counts.queues],
            ['Consumers', counts.consumers],
            ['Connections', counts.edges],
          ] as const
        ).map(([name, n]) => (
          <div key={name} className="rounded-md border border-border px-2 py-1.5">
            <dt className="text-subtle">{name}</dt>
            <dd className="font-mono text-sm text-fg tabular-nums">{n}</dd>
          </div>
        ))}
      </dl>
      <div className="space-y-1 text-xs">
        <div className="font-medium text-muted">Status</div>
        <p className="text-fg">
          {deployedVersion === null ? 'Draft: not deployed.' : `Version ${deployedVersion} is deployed.`}
          {deployedVersion !== null && workerCount !== null
            ? ` ${workerCount} worker process${workerCount === 1 ? '' : 'es'} online.`
            : ''}
        </p>
      </div>
      <div className="space-y-1 text-xs">
        <div className="font-medium text-muted">Trigger over REST</div>
        <code className="block rounded-md border border-border bg-surface-2 p-2 font-mono text-[11px] break-all text-fg">
          POST /api/v1/pipelines/{pipelineId}/runs
        </code>
      </div>
    </div>
  );
}
