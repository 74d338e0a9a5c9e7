'use client';

import { useState } from 'react';
import { api, errorMessage, isMissingRoute } from '@/lib/client/api-client';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { useEditor } from '../../editor-context';
import { useQueuePaused } from '../../use-queue-paused';
import { PanelSection } from '../panel-section';

type Outcome = { tone: 'success' | 'error' | 'info'; text: string };

/** Pause / Resume a deployed queue, and Replay all for a dead-letter queue. */
export function QueueControls({ id }: { id: string }) {
  const pipelineId = useEditor((s) => s.pipelineId);
  const deployed = useEditor((s) => s.deployedVersion !== null);
  const isDeadLetterQueue = useEditor((s) => s.edges.some((e) => e.target === id && e.data?.kind === 'dead-letter'));
  const setQueuePaused = useEditor((s) => s.setQueuePaused);
  const paused = useQueuePaused(id);
  const [busy, setBusy] = useState<'pause' | 'resume' | 'replay' | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  if (!deployed) return null;

  const run = async (what: 'pause' | 'resume' | 'replay') => {
    setBusy(what);
    setOutcome(null);
    try {
      if (what === 'replay') {
        setOutcome(replayOutcome(await api.replayQueue(pipelineId, id)));
      } else {
        const result = (await (what === 'pause' ? api.pauseQueue : api.resumeQueue)(pipelineId, id)) as { paused?: unknown } | undefined;
        setQueuePaused(id, typeof result?.paused === 'boolean' ? result.paused : what === 'pause');
      }
    } catch (e) {
      setOutcome({
        tone: 'error',
        text: isMissingRoute(e) ? 'This server does not offer that operation yet.' : errorMessage(e),
      });
    } finally {
      setBusy(null);
    }
  };

  return (
    <PanelSection
      title="Operations"
      testId="queue-controls"
      aside={
        paused ? (
          <Badge tone="warning" data-testid="queue-paused">
            paused
          </Badge>
        ) : (
          <Badge tone="success">running</Badge>
        )
      }
    >
      <div className="flex flex-wrap gap-2">
        {paused ? (
          <Button size="sm" data-testid="queue-resume" disabled={busy !== null} onClick={() => void run('resume')}>
            {busy === 'resume' ? 'Resuming…' : 'Resume'}
          </Button>
        ) : (
          <Button size="sm" data-testid="queue-pause" disabled={busy !== null} onClick={() => void run('pause')} title="Consumers stop taking new messages; producers keep adding">
            {busy === 'pause' ? 'Pausing…' : 'Pause'}
          </Button>
        )}
        {isDeadLetterQueue ? (
          <Button
            size="sm"
            data-testid="queue-replay"
            disabled={busy !== null}
            onClick={() => void run('replay')}
            title="Send every dead letter back to the queue it failed in, with fresh attempts"
          >
            {busy === 'replay' ? 'Replaying…' : 'Replay all'}
          </Button>
        ) : null}
      </div>
      {outcome ? (
        <p
          className={outcome.tone === 'error' ? 'text-xs text-danger' : outcome.tone === 'success' ? 'text-xs text-success' : 'text-xs text-muted'}
          data-testid="queue-op-result"
          data-tone={outcome.tone}
        >
          {outcome.text}
        </p>
      ) : null}
    </PanelSection>
  );
}

/** `{ replayed: [...], skipped: [...], more }` as a sentence; other shapes get a plain "done". */
function replayOutcome(result: unknown): Outcome {
  const r = (result ?? {}) as { replayed?: unknown; skipped?: unknown; more?: unknown };
  const count = (v: unknown) => (Array.isArray(v) ? v.length : typeof v === 'number' ? v : null);
  const replayed = count(r.replayed);
  if (replayed === null) return { tone: 'success', text: 'Replay requested.' };
  const skipped = count(r.skipped) ?? 0;
  const parts = [`Replayed ${replayed} message${replayed === 1 ? '' : 's'}`];
  if (skipped) parts.push(`skipped ${skipped}`);
  return { tone: replayed ? 'success' : 'info', text: `${parts.join(', ')}.${r.more === true ? ' More are left: replay again.' : ''}` };
}
