'use client';

import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import { api, errorMessage } from '@/lib/client/api-client';
import type { Pipeline } from '@/lib/client/types';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { NewPipelineForm } from './new-pipeline-form';
import { RelativeTime } from './relative-time';

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; items: Pipeline[] };

/** The pipelines page: every pipeline with its state, plus create and delete. */
export function PipelineList() {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [creating, setCreating] = useState(false);

  const refresh = useCallback(async (signal?: AbortSignal) => {
    try {
      const { items } = await api.listPipelines(signal);
      const sorted = [...items].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
      setLoad({ state: 'ready', items: sorted });
    } catch (e) {
      if (!signal?.aborted) setLoad({ state: 'error', message: errorMessage(e) });
    }
  }, []);

  useEffect(() => {
    const ctrl = new AbortController();
    void refresh(ctrl.signal);
    return () => ctrl.abort();
  }, [refresh]);

  return (
    <div className="mx-auto w-full max-w-5xl px-6 py-8">
      <div className="mb-5 flex items-center justify-between gap-4">
        <div>
          <h1 className="text-lg font-semibold text-fg">Pipelines</h1>
          <p className="text-sm text-muted">Producers, queues and consumers, wired on a canvas and run on your workers.</p>
        </div>
        {!creating ? (
          <Button variant="primary" onClick={() => setCreating(true)} data-testid="new-pipeline-button">
            New pipeline
          </Button>
        ) : null}
      </div>
      {creating ? (
        <div className="mb-4">
          <NewPipelineForm onCancel={() => setCreating(false)} />
        </div>
      ) : null}

      {load.state === 'loading' ? (
        <p className="py-10 text-center text-sm text-muted">Loading…</p>
      ) : load.state === 'error' ? (
        <div className="rounded-lg border border-danger/30 bg-danger-soft p-4 text-sm text-danger" role="alert">
          {load.message}{' '}
          <button type="button" className="underline" onClick={() => void refresh()}>
            Retry
          </button>
        </div>
      ) : load.items.length === 0 ? (
        <div className="rounded-lg border border-dashed border-border-strong p-10 text-center" data-testid="pipelines-empty">
          <p className="text-sm font-medium text-fg">No pipelines yet</p>
          <p className="mt-1 text-sm text-muted">Create one, then drag a producer, a queue and a consumer onto its canvas.</p>
          {!creating ? (
            <Button variant="primary" className="mt-4" onClick={() => setCreating(true)}>
              New pipeline
            </Button>
          ) : null}
        </div>
      ) : (
        <div className="overflow-hidden rounded-lg border border-border bg-surface shadow-xs">
          <table className="w-full text-sm" data-testid="pipeline-table">
            <thead className="border-b border-border bg-surface-2 text-left text-xs text-muted">
              <tr>
                <th className="px-4 py-2 font-medium">Name</th>
                <th className="px-4 py-2 font-medium">State</th>
                <th className="px-4 py-2 font-medium">Nodes</th>
                <th className="px-4 py-2 font-medium">Updated</th>
                <th className="px-4 py-2" aria-label="Actions" />
              </tr>
            </thead>
            <tbody className="divide-y divide-border">
              {load.items.map((p) => (
                <PipelineRow
                  key={p.id}
                  pipeline={p}
                  onDeleted={() =>
                    setLoad((l) => (l.state === 'ready' ? { ...l, items: l.items.filter((i) => i.id !== p.id) } : l))
                  }
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function PipelineRow({ pipeline, onDeleted }: { pipeline: Pipeline; onDeleted: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const href = `/pipelines/${encodeURIComponent(pipeline.id)}`;
  const nodeCount = pipeline.graph?.nodes?.length ?? 0;

  const remove = async () => {
    setPending(true);
    setError(null);
    try {
      await api.deletePipeline(pipeline.id);
      onDeleted();
    } catch (e) {
      setError(errorMessage(e));
      setPending(false);
      setConfirming(false);
    }
  };

  return (
    <tr className="hover:bg-surface-2/60" data-testid="pipeline-row" data-pipeline-id={pipeline.id}>
      <td className="max-w-80 px-4 py-2.5">
        <Link href={href} className="block truncate font-medium text-fg hover:text-accent" data-testid="pipeline-link">
          {pipeline.name}
        </Link>
        {error ? <p className="text-xs text-danger">{error}</p> : null}
      </td>
      <td className="px-4 py-2.5" data-testid="pipeline-state">
        {pipeline.deployedVersion !== null ? (
          <Badge tone="success">
            <span className="size-1.5 rounded-full bg-success" aria-hidden />
            deployed v{pipeline.deployedVersion}
          </Badge>
        ) : (
          <Badge>draft</Badge>
        )}
      </td>
      <td className="px-4 py-2.5 font-mono text-xs text-muted tabular-nums">{nodeCount}</td>
      <td className="px-4 py-2.5 text-xs text-muted">
        <RelativeTime iso={pipeline.updatedAt} />
      </td>
      <td className="px-4 py-2.5">
        <div className="flex justify-end gap-1.5">
          {confirming ? (
            <>
              <Button size="sm" variant="ghost" onClick={() => setConfirming(false)} disabled={pending}>
                Cancel
              </Button>
              <Button size="sm" variant="danger" onClick={() => void remove()} disabled={pending} data-testid="pipeline-delete-confirm">
                {pending ? 'Deleting…' : pipeline.deployedVersion !== null ? 'Undeploy and delete' : 'Delete'}
              </Button>
            </>
          ) : (
            <>
              <Link
                href={href}
                className="inline-flex h-7 items-center rounded-md border border-border px-2.5 text-xs font-medium text-fg hover:bg-surface-2"
              >
                Open
              </Link>
              <Button size="sm" variant="ghost" className="hover:text-danger" onClick={() => setConfirming(true)} data-testid="pipeline-delete">
                Delete
              </Button>
            </>
          )}
        </div>
      </td>
    </tr>
  );
}
