'use client';

import type { QueueData } from '@/lib/pipeline/schema';
import { Field } from '@/components/ui/field';
import { Select } from '@/components/ui/input';
import { NumberInput } from '@/components/ui/number-input';
import type { NodeForm } from '../use-node-form';

type Backoff = NonNullable<QueueData['backoff']>;

export function RetryFields({ form }: { form: NodeForm<QueueData> }) {
  const backoff = form.data.backoff;
  return (
    <>
      <Field label="Attempts" htmlFor="prop-attempts" hint="Tries per message before it fails or moves to the dead-letter queue (default 1).">
        <NumberInput id="prop-attempts" data-testid="prop-attempts" placeholder="1" {...form.number(['attempts'])} min={1} max={100} integer optional />
      </Field>
      <Field label="Backoff between attempts" htmlFor="prop-backoff-type" error={form.issue(['backoff', 'type'])}>
        <Select
          id="prop-backoff-type"
          data-testid="prop-backoff-type"
          value={backoff?.type ?? 'none'}
          onChange={(e) => {
            const type = e.target.value;
            if (type === (backoff?.type ?? 'none')) return;
            form.set(['backoff'], type === 'none' ? undefined : { ...backoff, type: type as Backoff['type'], delayMs: backoff?.delayMs ?? 1000 });
          }}
        >
          <option value="none">None (retry at once)</option>
          <option value="fixed">Fixed: the same delay each time</option>
          <option value="exponential">Exponential: delay × 2 each time</option>
        </Select>
      </Field>
      {backoff ? (
        <div className="grid grid-cols-2 gap-2">
          <Field label="Delay (ms)" htmlFor="prop-backoff-delay">
            <NumberInput id="prop-backoff-delay" data-testid="prop-backoff-delay" {...form.number(['backoff', 'delayMs'])} min={0} integer />
          </Field>
          <Field label="Jitter (0 to 1)" htmlFor="prop-backoff-jitter">
            <NumberInput
              id="prop-backoff-jitter"
              data-testid="prop-backoff-jitter"
              placeholder="0"
              {...form.number(['backoff', 'jitter'])}
              min={0}
              max={1}
              optional
            />
          </Field>
        </div>
      ) : null}
      {backoff ? <p className="-mt-1 text-xs text-subtle">Jitter 0.5 spreads each delay randomly over 50–100 % of it.</p> : null}
    </>
  );
}
