'use client';

import { useMemo } from 'react';
import { api, ApiError, errorMessage } from '@/lib/client/api-client';
import type { PipelineVersionInfo } from '@/lib/client/types';
import { useEditorStoreApi } from './editor-context';
import type { EditorStore } from './editor-store';
import { toDocument } from './graph-document';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Save, deploy and undeploy: the editor's calls to the API and what they do
 * to the store. Graph errors (400 invalid_body inside the graph, 422
 * graph_invalid) come back per node and per edge and are marked on the canvas.
 */
export function useEditorActions() {
  const store = useEditorStoreApi();
  return useMemo(() => editorActions(store), [store]);
}

function editorActions(store: EditorStore) {
  const s = () => store.getState();

  const reportGraphError = (e: unknown, what: 'Save' | 'Deploy') => {
    if (e instanceof ApiError && e.graphIssues.length > 0) {
      s().setIssues(e.graphIssues, what === 'Save' ? 'shape' : 'deploy');
      s().setNotice({ tone: 'error', text: `${what} refused: ${plural(e.graphIssues.length, 'problem')} marked on the canvas.` });
    } else {
      s().setNotice({ tone: 'error', text: `${what} failed: ${errorMessage(e)}` });
    }
  };

  /** Stores the draft; no busy flag of its own so deploy can run it first. */
  const persist = async (): Promise<boolean> => {
    const state = s();
    const name = state.name.trim();
    if (!name) {
      state.setNotice({ tone: 'error', text: 'Give the pipeline a name before saving.' });
      return false;
    }
    const revision = state.revision;
    try {
      const saved = await api.updatePipeline(state.pipelineId, { name, graph: toDocument(state.nodes, state.edges) });
      // Edits made while the request was in flight stay unsaved.
      s().markSaved(revision);
      if (saved.deployedVersion !== s().deployedVersion) s().setDeployedVersion(saved.deployedVersion);
      s().setVersionInfo(saved as PipelineVersionInfo);
      // The server took the document, so the marks of a refused save are settled.
      if (s().issueScope === 'shape') s().setIssues(null);
      return true;
    } catch (e) {
      reportGraphError(e, 'Save');
      return false;
    }
  };

  const run = async (busy: 'saving' | 'deploying' | 'undeploying', task: () => Promise<void>) => {
    if (s().busy) return;
    s().setBusy(busy);
    s().setNotice(null);
    try {
      await task();
    } finally {
      s().setBusy(null);
    }
  };

  return {
    save: () =>
      run('saving', async () => {
        if (await persist()) s().setNotice({ tone: 'success', text: 'Saved.' });
      }),

    deploy: () =>
      run('deploying', async () => {
        if (s().revision !== s().savedRevision && !(await persist())) return;
        try {
          const { version } = await api.deployPipeline(s().pipelineId);
          s().setDeployedVersion(version);
          // The draft is what was just deployed; the server's own view (and deployedAt) follows.
          if (s().draftChanged !== null) s().setVersionInfo({ draftChanged: false });
          void api.getPipeline(s().pipelineId).then(
            (p) => s().setVersionInfo(p as PipelineVersionInfo),
            () => undefined,
          );
          s().setIssues(null);
          s().setNotice({ tone: 'success', text: `Deployed version ${version}. Workers pick it up within a second.` });
        } catch (e) {
          reportGraphError(e, 'Deploy');
        }
      }),

    undeploy: () =>
      run('undeploying', async () => {
        try {
          await api.undeployPipeline(s().pipelineId);
          s().setDeployedVersion(null);
          s().setNotice({ tone: 'info', text: 'Undeployed. Producers are stopped.' });
        } catch (e) {
          s().setNotice({ tone: 'error', text: `Undeploy failed: ${errorMessage(e)}` });
        }
      }),
  };
}
