'use client';

import { Badge } from '@/components/ui/badge';
import { cx } from '@/components/ui/cx';
import type { GeneratorState } from '@/lib/client/types';
import { formatCount } from './format';
import { generatorProgress, type GeneratorView } from './live-ops';

const TONE = { idle: 'neutral', running: 'accent', stopped: 'warning', done: 'success' } as const;

/**
 * A load generator's state and sent / count, with a bar. Shared by the node
 * on the canvas (compact) and the properties panel.
 */
export function GeneratorProgress({ view, compact = false }: { view: GeneratorView | undefined; compact?: boolean }) {
  const status = view?.status ?? null;
  const state: GeneratorState | 'unknown' = status?.state ?? 'unknown';
  const fraction = generatorProgress(status);
  return (
    <div className={cx('space-y-1', compact ? 'text-[11px]' : 'text-xs')}>
      <div className="flex items-center justify-between gap-2">
        <Badge tone={state === 'unknown' ? 'neutral' : TONE[state]} data-testid="generator-state" data-state={state}>
          {state === 'unknown' ? (view?.unsupported ? 'unavailable' : '…') : state}
        </Badge>
        <span
          className="font-mono text-fg tabular-nums"
          data-testid="generator-progress"
          data-sent={status?.sent ?? 0}
          data-count={status?.count ?? 0}
        >
          {status ? `${formatCount(status.sent)} / ${formatCount(status.count)}` : '– / –'}
        </span>
      </div>
      <div
        className={cx('overflow-hidden rounded-full bg-surface-2', compact ? 'h-1' : 'h-1.5')}
        role="progressbar"
        aria-label="Messages sent"
        aria-valuemin={0}
        aria-valuemax={status?.count ?? 0}
        aria-valuenow={status?.sent ?? 0}
      >
        <div
          className={cx('h-full rounded-full transition-[width] duration-500', state === 'done' ? 'bg-success' : 'bg-accent')}
          style={{ width: `${(fraction * 100).toFixed(1)}%` }}
        />
      </div>
    </div>
  );
}
