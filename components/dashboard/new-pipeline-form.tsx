'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { api, errorMessage } from '@/lib/client/api-client';
import { emptyGraph } from '@/lib/pipeline/schema';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';

/** Asks for a name, creates the pipeline with an empty graph and opens the editor. */
export function NewPipelineForm({ onCancel }: { onCancel: () => void }) {
  const router = useRouter();
  const [name, setName] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) {
      setError('Give the pipeline a name.');
      return;
    }
    setPending(true);
    setError(null);
    try {
      const created = await api.createPipeline({ name: trimmed, graph: emptyGraph() });
      router.push(`/pipelines/${encodeURIComponent(created.id)}`);
    } catch (err) {
      setError(errorMessage(err));
      setPending(false);
    }
  };

  return (
    <form
      onSubmit={submit}
      className="flex flex-wrap items-start gap-2 rounded-lg border border-border bg-surface p-3 shadow-sm"
      data-testid="new-pipeline-form"
    >
      <div className="min-w-64 flex-1">
        <label htmlFor="new-pipeline-name" className="sr-only">
          Pipeline name
        </label>
        <Input
          id="new-pipeline-name"
          data-testid="new-pipeline-name"
          placeholder="Pipeline name, e.g. Order intake"
          autoFocus
          maxLength={120}
          value={name}
          onChange={(e) => setName(e.target.value)}
          onKeyDown={(e) => e.key === 'Escape' && onCancel()}
          aria-invalid={error ? true : undefined}
        />
        {error ? (
          <p className="mt-1 text-xs text-danger" role="alert">
            {error}
          </p>
        ) : null}
      </div>
      <Button type="submit" variant="primary" disabled={pending} data-testid="new-pipeline-submit">
        {pending ? 'Creating…' : 'Create and open'}
      </Button>
      <Button variant="ghost" onClick={onCancel} disabled={pending}>
        Cancel
      </Button>
    </form>
  );
}
