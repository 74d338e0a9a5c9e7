'use client';

import type { QueueData } from '@/lib/pipeline/schema';
import { Checkbox } from '@/components/ui/checkbox';
import { Field } from '@/components/ui/field';
import { NumberInput } from '@/components/ui/number-input';
import type { NodeForm } from '../use-node-form';

export function FlowControlFields({ form }: { form: NodeForm<QueueData> }) {
  const rateLimit = form.data.rateLimit;
  return (
    <>
      <Checkbox
        label="Rate limit (across all workers)"
        data-testid="prop-rate-limit-enabled"
        checked={rateLimit !== undefined}
        onChange={(e) => form.set(['rateLimit'], e.target.checked ? { max: 10, durationMs: 1000 } : undefined)}
      />
      {rateLimit ? (
        <div className="grid grid-cols-2 gap-2">
          <Field label="At most (messages)" htmlFor="prop-rate-limit-max">
            <NumberInput id="prop-rate-limit-max" data-testid="prop-rate-limit-max" {...form.number(['rateLimit', 'max'])} min={1} integer />
          </Field>
          <Field label="Per (ms)" htmlFor="prop-rate-limit-duration">
            <NumberInput
              id="prop-rate-limit-duration"
              data-testid="prop-rate-limit-duration"
              {...form.number(['rateLimit', 'durationMs'])}
              min={1}
              max={3_600_000}
              integer
            />
          </Field>
        </div>
      ) : null}
      <Field
        label="Max waiting (back-pressure cap)"
        htmlFor="prop-max-waiting"
        hint="Past it, triggers get 429 and upstream consumers wait. Empty: no cap."
      >
        <NumberInput id="prop-max-waiting" data-testid="prop-max-waiting" placeholder="no cap" {...form.number(['maxWaiting'])} min={1} integer optional />
      </Field>
    </>
  );
}
