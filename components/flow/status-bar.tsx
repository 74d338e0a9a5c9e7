'use client';

import { cx } from '@/components/ui/cx';
import { useEditor } from './editor-context';
import { useStatsFeed } from './stats-feed';

const STREAM_TEXT = { idle: 'Not deployed', connecting: 'Connecting…', live: 'Live', offline: 'Stats offline, retrying' } as const;

/** The bottom line: the last action's outcome on the left, the live feed on the right. */
export function StatusBar() {
  const notice = useEditor((s) => s.notice);
  const stream = useStatsFeed();
  const workerCount = useEditor((s) => s.workerCount);
  const statsAt = useEditor((s) => s.statsAt);
  return (
    <footer className="flex h-7 shrink-0 items-center gap-3 border-t border-border bg-surface px-3 text-xs">
      <div className="min-w-0 flex-1 truncate" role="status" aria-live="polite">
        {notice ? (
          <span
            data-testid="editor-notice"
            data-tone={notice.tone}
            className={cx(notice.tone === 'error' ? 'text-danger' : notice.tone === 'success' ? 'text-success' : 'text-muted')}
          >
            {notice.text}
          </span>
        ) : null}
      </div>
      <div className="flex shrink-0 items-center gap-2 text-muted" data-testid="stats-status" data-state={stream}>
        <span
          aria-hidden
          className={cx(
            'size-1.5 rounded-full',
            stream === 'live' ? 'bg-success' : stream === 'offline' ? 'bg-danger' : stream === 'connecting' ? 'bg-warning' : 'bg-border-strong',
          )}
        />
        <span>{STREAM_TEXT[stream]}</span>
        {stream === 'live' && workerCount !== null ? (
          <span>
            · {workerCount} worker{workerCount === 1 ? '' : 's'}
          </span>
        ) : null}
        {stream === 'live' && statsAt ? <span className="font-mono tabular-nums">· {new Date(statsAt).toLocaleTimeString()}</span> : null}
      </div>
    </footer>
  );
}
