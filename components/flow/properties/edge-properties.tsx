'use client';

import { Button } from '@/components/ui/button';
import { IssueList } from '@/components/ui/issue-list';
import { useEditor } from '../editor-context';

export function EdgeProperties({ id }: { id: string }) {
  const edge = useEditor((s) => s.edges.find((e) => e.id === id));
  const source = useEditor((s) => s.nodes.find((n) => n.id === edge?.source)?.data.label);
  const target = useEditor((s) => s.nodes.find((n) => n.id === edge?.target)?.data.label);
  const issues = useEditor((s) => s.issues?.edges[id]);
  const removeElements = useEditor((s) => s.removeElements);
  if (!edge) return null;
  const deadLetter = edge.data?.kind === 'dead-letter';
  return (
    <div className="space-y-3 px-3 py-3" data-testid="edge-properties">
      <div className="flex items-center justify-between">
        <div>
          <div className="text-sm font-semibold text-fg">{deadLetter ? 'Dead-letter edge' : 'Connection'}</div>
          <div className="font-mono text-[11px] text-subtle">{id}</div>
        </div>
        <Button size="sm" variant="ghost" className="hover:text-danger" onClick={() => removeElements({ edges: [id] })}>
          Delete
        </Button>
      </div>
      <p className="text-sm text-fg">
        <span className="font-medium">{source ?? edge.source}</span>
        <span className="text-subtle"> → </span>
        <span className="font-medium">{target ?? edge.target}</span>
      </p>
      <p className="text-xs text-muted">
        {deadLetter
          ? 'Messages that exhaust their attempts in the first queue move to the second.'
          : 'Every message the source emits is copied to the target.'}
      </p>
      <IssueList issues={issues} />
    </div>
  );
}
