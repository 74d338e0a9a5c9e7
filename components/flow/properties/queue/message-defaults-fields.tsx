'use client';

import type { QueueData } from '@/lib/pipeline/schema';
import { Checkbox } from '@/components/ui/checkbox';
import { Field } from '@/components/ui/field';
import { NumberInput } from '@/components/ui/number-input';
import type { NodeForm } from '../use-node-form';

/** Defaults every message entering the queue gets: priority, delay, deduplication. */
export function MessageDefaultsFields({ form }: { form: NodeForm<QueueData> }) {
  const dedupe = form.data.dedupe;
  return (
    <>
      <div className="grid grid-cols-2 gap-2">
        <Field label="Priority" htmlFor="prop-priority">
          <NumberInput id="prop-priority" data-testid="prop-priority" placeholder="none" {...form.number(['priority'])} min={0} max={2_097_152} integer optional />
        </Field>
        <Field label="Delay (ms)" htmlFor="prop-queue-delay">
          <NumberInput id="prop-queue-delay" data-testid="prop-queue-delay" placeholder="0" {...form.number(['delayMs'])} min={0} integer optional />
        </Field>
      </div>
      <p className="-mt-1 text-xs text-subtle">Priority: lower runs first, after messages without one (empty or 0). Delay holds each message before it can start.</p>
      <Checkbox
        label="Drop duplicate messages (same payload)"
        data-testid="prop-dedupe-enabled"
        checked={dedupe !== undefined}
        onChange={(e) => form.set(['dedupe'], e.target.checked ? {} : undefined)}
      />
      {dedupe ? (
        <Field label="Remember keys for (ms)" htmlFor="prop-dedupe-ttl" hint="Empty: while the earlier copy is waiting or running.">
          <NumberInput id="prop-dedupe-ttl" data-testid="prop-dedupe-ttl" placeholder="while queued" {...form.number(['dedupe', 'ttlMs'])} min={1} integer optional />
        </Field>
      ) : null}
    </>
  );
}
