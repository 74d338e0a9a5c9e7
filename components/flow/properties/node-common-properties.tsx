'use client';

import type { NodeType } from '@/lib/pipeline/schema';
import { Button } from '@/components/ui/button';
import { IssueList } from '@/components/ui/issue-list';
import { cx } from '@/components/ui/cx';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { useEditor } from '../editor-context';
import { NODE_META, NodeIcon } from '../nodes/node-meta';

export function NodeCommonProperties({
  id,
  type,
  label,
  onLabel,
}: {
  id: string;
  type: NodeType;
  label: string;
  onLabel: (label: string) => void;
}) {
  const removeElements = useEditor((s) => s.removeElements);
  const issues = useEditor((s) => s.issues?.nodes[id]);
  const meta = NODE_META[type];
  return (
    <div className="space-y-3 border-b border-border px-3 py-3">
      <div className="flex items-center gap-2">
        <span className={cx('flex size-7 items-center justify-center rounded-md', meta.chip)}>
          <NodeIcon type={type} className="size-4" />
        </span>
        <div className="min-w-0 flex-1">
          <div className="text-sm font-semibold text-fg">{meta.title}</div>
          <div className="truncate font-mono text-[11px] text-subtle" title="Node id" data-testid="prop-node-id">
            {id}
          </div>
        </div>
        <Button
          size="sm"
          variant="ghost"
          className="hover:text-danger"
          onClick={() => removeElements({ nodes: [id] })}
          data-testid="prop-delete-node"
          title="Delete this node and its connections"
        >
          Delete
        </Button>
      </div>
      <IssueList issues={issues} />
      <Field label="Label" htmlFor="prop-label" error={label.trim() ? null : 'A label is required.'}>
        <Input
          id="prop-label"
          data-testid="prop-label"
          value={label}
          maxLength={80}
          aria-invalid={label.trim() ? undefined : true}
          onChange={(e) => onLabel(e.target.value)}
          autoComplete="off"
        />
      </Field>
    </div>
  );
}
