'use client';

import { useShallow } from 'zustand/react/shallow';
import type { NodeType } from '@/lib/pipeline/schema';
import type { NodeStats } from '@/lib/client/types';
import { useEditor } from '../editor-context';
import { formatCount, formatMs, formatRate } from '../format';

interface Stat {
  key: string;
  label: string;
  value: number;
  text: string;
  unit?: string;
  tone?: 'danger';
}

const count = (key: string, label: string, value: number | undefined, tone?: 'danger'): Stat => ({
  key,
  label,
  value: value ?? 0,
  text: formatCount(value ?? 0),
  tone: tone && value ? tone : undefined,
});

/**
 * The figures a node shows, as a flat record of numbers so a shallow compare
 * decides whether the node re-renders: a tick that leaves them unchanged
 * costs this node nothing.
 */
function pickFigures(type: NodeType, s: NodeStats | undefined): Record<string, number> {
  switch (type) {
    case 'producer':
      return { out: s?.out ?? 0 };
    case 'queue':
      return { waiting: s?.waiting ?? 0, active: s?.active ?? 0, in: s?.in ?? 0 };
    case 'consumer':
      return {
        in: s?.in ?? 0,
        completed: s?.completed ?? 0,
        failed: s?.failed ?? 0,
        rate: s?.ratePerSec ?? 0,
        p95: s?.serviceMs?.p95 ?? 0,
      };
  }
}

function statsFor(type: NodeType, f: Record<string, number>): Stat[] {
  switch (type) {
    case 'producer':
      return [count('out', 'out', f.out)];
    case 'queue':
      return [count('waiting', 'waiting', f.waiting), count('active', 'active', f.active), count('in', 'in', f.in)];
    case 'consumer':
      return [
        count('in', 'in', f.in),
        count('completed', 'done', f.completed),
        count('failed', 'failed', f.failed, 'danger'),
        { key: 'rate', label: 'rate', value: f.rate ?? 0, text: formatRate(f.rate ?? 0), unit: '/s' },
        { key: 'p95', label: 'p95', value: f.p95 ?? 0, text: formatMs(f.p95) },
      ];
  }
}

/** Live figures of one node; renders nothing while the pipeline is not deployed. */
export function NodeStatsGrid({ id, type }: { id: string; type: NodeType }) {
  const live = useEditor((s) => s.deployedVersion !== null);
  const figures = useEditor(useShallow((s) => pickFigures(type, s.stats[id])));
  if (!live) return null;
  const stats = statsFor(type, figures);
  return (
    <dl
      className="grid gap-x-2 gap-y-0.5 border-t border-border px-2.5 py-1.5"
      style={{ gridTemplateColumns: `repeat(${Math.min(stats.length, 3)}, minmax(0, 1fr))` }}
      data-testid="node-stats"
    >
      {stats.map((s) => (
        <div key={s.key} className="min-w-0">
          <dt className="text-[10px] leading-3 tracking-wide text-subtle uppercase">{s.label}</dt>
          <dd className={`truncate font-mono text-xs leading-4 tabular-nums ${s.tone === 'danger' ? 'text-danger' : 'text-fg'}`}>
            <span data-testid={`stat-${s.key}`} data-value={s.value}>
              {s.text}
            </span>
            {s.unit ? <span className="text-subtle">{s.unit}</span> : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}
