'use client';

import type { ConsumerData } from '@/lib/pipeline/schema';
import { Field } from '@/components/ui/field';
import { Select } from '@/components/ui/input';
import { NumberInput } from '@/components/ui/number-input';
import type { NodeForm } from '../use-node-form';

type Delay = Extract<ConsumerData['task'], { kind: 'delay' }>;

export function DelayFields({ form }: { form: NodeForm<ConsumerData> }) {
  const task = form.data.task as Delay;
  return (
    <>
      <div className="grid grid-cols-2 gap-2">
        <Field label="Service time (ms)" htmlFor="prop-delay-ms">
          <NumberInput id="prop-delay-ms" data-testid="prop-delay-ms" {...form.number(['task', 'ms'])} min={0} max={600_000} />
        </Field>
        <Field label="Jitter ± (ms)" htmlFor="prop-delay-jitter">
          <NumberInput id="prop-delay-jitter" data-testid="prop-delay-jitter" placeholder="0" {...form.number(['task', 'jitterMs'])} min={0} max={600_000} optional />
        </Field>
      </div>
      <Field label="Distribution" htmlFor="prop-delay-distribution" error={form.issue(['task', 'distribution'])}>
        <Select
          id="prop-delay-distribution"
          data-testid="prop-delay-distribution"
          value={task.distribution ?? ''}
          onChange={(e) => form.set(['task', 'distribution'], e.target.value || undefined)}
        >
          <option value="">Automatic: uniform with jitter, else fixed</option>
          <option value="fixed">Fixed: exactly the service time</option>
          <option value="uniform">Uniform: service time ± jitter</option>
          <option value="exponential">Exponential: mean = service time (M/M/c)</option>
        </Select>
      </Field>
    </>
  );
}
