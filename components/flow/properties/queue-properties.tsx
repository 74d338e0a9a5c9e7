'use client';

import type { QueueData } from '@/lib/pipeline/schema';
import { Field } from '@/components/ui/field';
import { Select } from '@/components/ui/input';
import { NumberInput } from '@/components/ui/number-input';

type Backoff = NonNullable<QueueData['backoff']>;
type OptionalKey = 'attempts' | 'backoff' | 'maxWaiting';

export function QueueProperties({ data, update }: { data: QueueData; update: (patch: (d: QueueData) => QueueData) => void }) {
  const set = <K extends OptionalKey>(key: K, value: QueueData[K] | undefined) =>
    update((d) => {
      const next = { ...d };
      if (value === undefined) delete next[key];
      else next[key] = value;
      return next;
    });
  const backoff = data.backoff;
  return (
    <>
      <Field label="Attempts" htmlFor="prop-attempts" hint="Tries per message before it fails (default 1).">
        <NumberInput
          id="prop-attempts"
          data-testid="prop-attempts"
          placeholder="1"
          value={data.attempts}
          onValueChange={(v) => set('attempts', v)}
          min={1}
          max={100}
          integer
          optional
        />
      </Field>
      <Field label="Backoff between attempts" htmlFor="prop-backoff-type">
        <Select
          id="prop-backoff-type"
          data-testid="prop-backoff-type"
          value={backoff?.type ?? 'none'}
          onChange={(e) => {
            const type = e.target.value;
            set('backoff', type === 'none' ? undefined : { type: type as Backoff['type'], delayMs: backoff?.delayMs ?? 1000 });
          }}
        >
          <option value="none">None (retry at once)</option>
          <option value="fixed">Fixed</option>
          <option value="exponential">Exponential</option>
        </Select>
      </Field>
      {backoff ? (
        <Field label="Backoff delay (ms)" htmlFor="prop-backoff-delay">
          <NumberInput
            id="prop-backoff-delay"
            data-testid="prop-backoff-delay"
            value={backoff.delayMs}
            onValueChange={(v) => v !== undefined && set('backoff', { ...backoff, delayMs: v })}
            min={0}
            max={24 * 3600 * 1000}
            integer
          />
        </Field>
      ) : null}
      <Field label="Max waiting (back-pressure cap)" htmlFor="prop-max-waiting" hint="Past it, triggers get 429. Empty: no cap.">
        <NumberInput
          id="prop-max-waiting"
          data-testid="prop-max-waiting"
          placeholder="no cap"
          value={data.maxWaiting}
          onValueChange={(v) => set('maxWaiting', v)}
          min={1}
          integer
          optional
        />
      </Field>
    </>
  );
}
