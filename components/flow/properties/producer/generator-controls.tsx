'use client';

import { useState } from 'react';
import { api, errorMessage, isMissingRoute } from '@/lib/client/api-client';
import type { ProducerData } from '@/lib/pipeline/schema';
import { Button } from '@/components/ui/button';
import { useEditor } from '../../editor-context';
import { GeneratorProgress } from '../../generator-progress';
import { PanelSection } from '../panel-section';

type Generator = Extract<ProducerData['source'], { kind: 'generator' }>;

/**
 * Start / Stop and progress of a load generator on the deployed pipeline.
 * Start sends the rate and count shown above, so what runs is what the panel
 * says even before a redeploy; the payload template is the deployed one.
 */
export function GeneratorControls({ id, source, valid }: { id: string; source: Generator; valid: boolean }) {
  const pipelineId = useEditor((s) => s.pipelineId);
  const deployed = useEditor((s) => s.deployedVersion !== null);
  const view = useEditor((s) => s.generators[id]);
  const setGenerator = useEditor((s) => s.setGenerator);
  const kick = useEditor((s) => s.kickGenerators);
  const [busy, setBusy] = useState<'start' | 'stop' | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!deployed) {
    return (
      <PanelSection title="Run">
        <p className="text-xs text-subtle">Deploy the pipeline to start this generator from here.</p>
      </PanelSection>
    );
  }
  const running = view?.status?.state === 'running';

  const act = async (what: 'start' | 'stop') => {
    setBusy(what);
    setError(null);
    try {
      if (what === 'start') await api.startGenerator(pipelineId, id, { ratePerSec: source.ratePerSec, count: source.count });
      else await api.stopGenerator(pipelineId, id);
    } catch (e) {
      if (isMissingRoute(e)) setGenerator(id, { status: null, unsupported: true });
      else setError(errorMessage(e));
    } finally {
      setBusy(null);
      kick();
    }
  };

  return (
    <PanelSection title="Run" testId="generator-controls">
      {view?.unsupported ? (
        <p className="text-xs text-subtle" data-testid="generator-unavailable">
          This server cannot start generators yet (no producer routes). Everything above is saved with the pipeline.
        </p>
      ) : (
        <>
          <GeneratorProgress view={view} />
          <div className="flex gap-2">
            <Button
              size="sm"
              variant="primary"
              data-testid="generator-start"
              disabled={busy !== null || running || !valid}
              title={valid ? `Send ${source.count} messages at ${source.ratePerSec}/s` : 'Fix the settings above first'}
              onClick={() => void act('start')}
            >
              {busy === 'start' ? 'Starting…' : view?.status && view.status.state !== 'idle' ? 'Start again' : 'Start'}
            </Button>
            <Button size="sm" data-testid="generator-stop" disabled={busy !== null || !running} onClick={() => void act('stop')}>
              {busy === 'stop' ? 'Stopping…' : 'Stop'}
            </Button>
          </div>
          {error ?? view?.error ? (
            <p className="text-xs text-danger" data-testid="generator-error">
              {error ?? view?.error}
            </p>
          ) : null}
        </>
      )}
    </PanelSection>
  );
}
