'use client';

import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { api, ApiError, errorMessage, isMissingRoute } from '@/lib/client/api-client';
import { useEditor, useEditorStoreApi } from './editor-context';
import { nextPollDelay } from './live-ops';

/**
 * Keeps the load generators' progress in the store while the pipeline is
 * deployed: GET …/producers/:nodeId about once a second while one runs, every
 * few seconds otherwise. When the stats stream carries the progress itself
 * (a `generators` field), polling stops. A server without the route (404
 * page, 501) marks the generators unsupported once and is not asked again.
 */
export function useGeneratorFeed(): void {
  const store = useEditorStoreApi();
  const pipelineId = useEditor((s) => s.pipelineId);
  const deployed = useEditor((s) => s.deployedVersion !== null);
  const kick = useEditor((s) => s.generatorKick);
  const ids = useEditor(
    useShallow((s) => s.nodes.flatMap((n) => (n.type === 'producer' && n.data.source.kind === 'generator' ? [n.id] : []))),
  );
  const key = ids.join(',');

  useEffect(() => {
    if (!deployed || !key) return;
    const nodeIds = key.split(',');
    const ctrl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;

    const poll = async () => {
      if (!store.getState().generatorsFromStream) {
        await Promise.all(
          nodeIds.map(async (id) => {
            if (store.getState().generators[id]?.unsupported) return;
            try {
              const status = await api.getGenerator(pipelineId, id, ctrl.signal);
              if (!ctrl.signal.aborted) store.getState().setGenerator(id, { status });
            } catch (e) {
              if (ctrl.signal.aborted || (e as Error).name === 'AbortError') return;
              const previous = store.getState().generators[id]?.status ?? null;
              store.getState().setGenerator(
                id,
                isMissingRoute(e)
                  ? { status: null, unsupported: true }
                  : {
                      status: e instanceof ApiError && e.status === 404 ? null : previous,
                      error:
                        e instanceof ApiError && e.status === 404
                          ? 'Not part of the deployed version: redeploy to run this generator.'
                          : errorMessage(e),
                    },
              );
            }
          }),
        );
      }
      if (ctrl.signal.aborted) return;
      const delay = nextPollDelay(nodeIds.map((id) => store.getState().generators[id]));
      if (delay !== null) timer = setTimeout(() => void poll(), delay);
    };
    void poll();
    return () => {
      ctrl.abort();
      clearTimeout(timer);
    };
  }, [store, pipelineId, deployed, key, kick]);
}
