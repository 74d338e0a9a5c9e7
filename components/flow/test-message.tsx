'use client';

import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { api, ApiError, errorMessage } from '@/lib/client/api-client';
import type { RunStatus } from '@/lib/client/types';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Select, Textarea } from '@/components/ui/input';
import { NumberInput } from '@/components/ui/number-input';
import { useEditor } from './editor-context';

type Result =
  | { kind: 'sent'; runIds: string[]; status?: RunStatus }
  | { kind: 'error'; text: string };

const STATUS_TONE = { queued: 'neutral', running: 'accent', completed: 'success', failed: 'danger' } as const;

/**
 * "Send test message": POSTs a run (or a batch) with a JSON payload the user
 * types, then follows a single run's status for a few seconds.
 */
export function TestMessage() {
  const pipelineId = useEditor((s) => s.pipelineId);
  const deployed = useEditor((s) => s.deployedVersion !== null);
  const producers = useEditor(
    useShallow((s) =>
      s.nodes.flatMap((n) => (n.type === 'producer' && n.data.source.kind === 'http' ? [`${n.id}\u0000${n.data.label}`] : [])),
    ),
  );
  const [open, setOpen] = useState(false);
  const [payload, setPayload] = useState('{\n  "hello": "world"\n}');
  const [count, setCount] = useState<number | undefined>(1);
  const [producerId, setProducerId] = useState('');
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const pollRef = useRef<AbortController | null>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (rootRef.current && !rootRef.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  useEffect(() => () => pollRef.current?.abort(), []);

  const parsedPayload = (() => {
    try {
      return { ok: true as const, value: JSON.parse(payload) as unknown };
    } catch (e) {
      return { ok: false as const, error: (e as Error).message };
    }
  })();
  const choices = producers.map((p) => p.split('\u0000') as [string, string]);
  const chosenProducer = choices.length > 1 ? producerId || choices[0]![0] : undefined;

  const follow = async (runId: string) => {
    pollRef.current?.abort();
    const ctrl = new AbortController();
    pollRef.current = ctrl;
    for (let i = 0; i < 20 && !ctrl.signal.aborted; i++) {
      await new Promise((r) => setTimeout(r, 750));
      try {
        const run = await api.getRun(runId, ctrl.signal);
        if (ctrl.signal.aborted) return;
        setResult((r) => (r?.kind === 'sent' && r.runIds[0] === runId ? { ...r, status: run.status } : r));
        if (run.status === 'completed' || run.status === 'failed') return;
      } catch (e) {
        // The run may not be readable yet (history is written in batches); keep asking a while.
        if (ctrl.signal.aborted || (e instanceof ApiError && e.status !== 404)) return;
      }
    }
  };

  const send = async () => {
    if (!parsedPayload.ok || !count) return;
    setSending(true);
    setResult(null);
    try {
      if (count === 1) {
        const { runId } = await api.triggerRun(pipelineId, parsedPayload.value, chosenProducer);
        setResult({ kind: 'sent', runIds: [runId], status: 'queued' });
        void follow(runId);
      } else {
        const { runIds } = await api.triggerBatch(pipelineId, Array(count).fill(parsedPayload.value), chosenProducer);
        setResult({ kind: 'sent', runIds });
      }
    } catch (e) {
      setResult({ kind: 'error', text: errorMessage(e) });
    } finally {
      setSending(false);
    }
  };

  return (
    <div className="relative" ref={rootRef}>
      <Button
        data-testid="test-message-button"
        onClick={() => setOpen((o) => !o)}
        disabled={!deployed}
        title={deployed ? 'Send a message into the pipeline' : 'Deploy the pipeline first'}
        aria-expanded={open}
      >
        Send test message
      </Button>
      {open ? (
        <div
          className="absolute top-full right-0 z-50 mt-1.5 w-96 space-y-3 rounded-lg border border-border bg-surface p-3 shadow-xl"
          data-testid="test-message-popover"
          role="dialog"
          aria-label="Send test message"
        >
          <Field
            label="Payload (JSON)"
            htmlFor="test-payload"
            error={parsedPayload.ok ? null : `Not valid JSON: ${parsedPayload.error}`}
          >
            <Textarea
              id="test-payload"
              data-testid="test-payload"
              rows={6}
              spellCheck={false}
              value={payload}
              onChange={(e) => setPayload(e.target.value)}
              aria-invalid={parsedPayload.ok ? undefined : true}
            />
          </Field>
          <div className="flex items-end gap-2">
            <div className="w-24">
              <Field label="Messages" htmlFor="test-count">
                <NumberInput id="test-count" data-testid="test-count" value={count} onValueChange={setCount} min={1} max={1000} integer />
              </Field>
            </div>
            {choices.length > 1 ? (
              <div className="min-w-0 flex-1">
                <Field label="Producer" htmlFor="test-producer">
                  <Select id="test-producer" value={chosenProducer} onChange={(e) => setProducerId(e.target.value)}>
                    {choices.map(([id, label]) => (
                      <option key={id} value={id}>
                        {label} ({id})
                      </option>
                    ))}
                  </Select>
                </Field>
              </div>
            ) : null}
            <Button
              variant="primary"
              className="ml-auto"
              data-testid="test-send"
              onClick={() => void send()}
              disabled={sending || !parsedPayload.ok || !count || choices.length === 0}
            >
              {sending ? 'Sending…' : count && count > 1 ? `Send ${count}` : 'Send'}
            </Button>
          </div>
          {choices.length === 0 ? <p className="text-xs text-warning">Add an HTTP producer to send messages.</p> : null}
          {result ? (
            <div data-testid="test-result" className="text-xs">
              {result.kind === 'error' ? (
                <p className="text-danger" role="alert">
                  {result.text}
                </p>
              ) : result.runIds.length === 1 ? (
                <p className="flex items-center gap-2 text-muted">
                  Run <code className="font-mono text-fg" data-testid="test-run-id">{result.runIds[0]}</code>
                  {result.status ? (
                    <Badge tone={STATUS_TONE[result.status]} data-testid="test-run-status">
                      {result.status}
                    </Badge>
                  ) : null}
                </p>
              ) : (
                <p className="text-muted">{result.runIds.length} runs enqueued.</p>
              )}
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
