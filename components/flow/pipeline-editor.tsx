'use client';

import { ReactFlowProvider } from '@xyflow/react';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { api, ApiError, errorMessage } from '@/lib/client/api-client';
import type { Pipeline } from '@/lib/client/types';
import { Button } from '@/components/ui/button';
import { Canvas } from './canvas';
import { EditorProvider, useEditor } from './editor-context';
import { selectIsDirty } from './editor-store';
import { useGeneratorFeed } from './generator-feed';
import { Palette } from './palette';
import { PropertiesPanel } from './properties-panel';
import { StatusBar } from './status-bar';
import { Toolbar } from './toolbar';
import { useEditorActions } from './use-editor-actions';

type Load = { state: 'loading' } | { state: 'error'; message: string; notFound: boolean } | { state: 'ready'; pipeline: Pipeline };

/** Loads the pipeline through the API, then mounts an editor (and its store) for it. */
export function PipelineEditor({ pipelineId }: { pipelineId: string }) {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    api
      .getPipeline(pipelineId, ctrl.signal)
      .then((pipeline) => setLoad({ state: 'ready', pipeline }))
      .catch((e: unknown) => {
        if (ctrl.signal.aborted) return;
        setLoad({ state: 'error', message: errorMessage(e), notFound: e instanceof ApiError && e.status === 404 });
      });
    return () => ctrl.abort();
  }, [pipelineId, attempt]);

  if (load.state === 'loading') {
    return <div className="flex flex-1 items-center justify-center text-sm text-muted">Loading pipeline…</div>;
  }
  if (load.state === 'error') {
    return (
      <div className="flex flex-1 flex-col items-center justify-center gap-3 text-sm" data-testid="editor-load-error">
        <p className="text-fg">{load.notFound ? 'This pipeline does not exist (any more).' : load.message}</p>
        <div className="flex gap-2">
          <Link href="/" className="text-accent hover:underline">
            Back to pipelines
          </Link>
          {!load.notFound ? (
            <Button
              size="sm"
              onClick={() => {
                setLoad({ state: 'loading' });
                setAttempt((n) => n + 1);
              }}
            >
              Retry
            </Button>
          ) : null}
        </div>
      </div>
    );
  }
  return (
    <EditorProvider key={load.pipeline.id} pipeline={load.pipeline}>
      <ReactFlowProvider>
        <EditorLayout />
      </ReactFlowProvider>
    </EditorProvider>
  );
}

function EditorLayout() {
  useEditorShortcuts();
  useGeneratorFeed();
  return (
    <div className="flex min-h-0 flex-1 flex-col" data-testid="pipeline-editor">
      <Toolbar />
      <div className="flex min-h-0 flex-1">
        <Palette />
        <Canvas />
        <PropertiesPanel />
      </div>
      <StatusBar />
    </div>
  );
}

/** Ctrl/Cmd+S saves; leaving the page with unsaved changes asks first. */
function useEditorShortcuts() {
  const { save } = useEditorActions();
  const dirty = useEditor(selectIsDirty);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
        e.preventDefault();
        void save();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [save]);
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);
}
