'use client';

import type { QueueData } from '@/lib/pipeline/schema';
import { Field } from '@/components/ui/field';
import { NumberInput } from '@/components/ui/number-input';
import type { NodeForm } from '../use-node-form';

/** How many finished jobs stay visible to operators; an emptied pair removes `retention` altogether. */
export function RetentionFields({ form }: { form: NodeForm<QueueData> }) {
  return (
    <>
      <div className="grid grid-cols-2 gap-2">
        <Field label="Keep completed" htmlFor="prop-retention-completed">
          <NumberInput
            id="prop-retention-completed"
            data-testid="prop-retention-completed"
            placeholder="1000"
            {...form.number(['retention', 'completed'], { prune: true })}
            min={0}
            max={1_000_000}
            integer
            optional
          />
        </Field>
        <Field label="Keep failed" htmlFor="prop-retention-failed">
          <NumberInput
            id="prop-retention-failed"
            data-testid="prop-retention-failed"
            placeholder="5000"
            {...form.number(['retention', 'failed'], { prune: true })}
            min={0}
            max={1_000_000}
            integer
            optional
          />
        </Field>
      </div>
      <p className="-mt-1 text-xs text-subtle">How many finished jobs stay visible (the most recent); 0 keeps none. Empty: 1000 completed, 5000 failed.</p>
    </>
  );
}
