'use client';

import type { ConsumerData } from '@/lib/pipeline/schema';
import { Field } from '@/components/ui/field';
import { NumberInput } from '@/components/ui/number-input';
import type { NodeForm } from '../use-node-form';

export function FailFields({ form }: { form: NodeForm<ConsumerData> }) {
  return (
    <Field label="Failure rate (0 to 1)" htmlFor="prop-fail-rate" hint="0.1 fails one attempt in ten; the queue's retries apply.">
      <NumberInput id="prop-fail-rate" data-testid="prop-fail-rate" {...form.number(['task', 'rate'])} min={0} max={1} />
    </Field>
  );
}
