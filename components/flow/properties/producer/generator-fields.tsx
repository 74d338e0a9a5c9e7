'use client';

import type { ProducerData } from '@/lib/pipeline/schema';
import { Field } from '@/components/ui/field';
import { JsonInput } from '@/components/ui/json-input';
import { NumberInput } from '@/components/ui/number-input';
import { formatCount, formatMs } from '../../format';
import type { NodeForm } from '../use-node-form';
import { TemplateHint } from './template-hint';

type Generator = Extract<ProducerData['source'], { kind: 'generator' }>;

export function GeneratorFields({ form }: { form: NodeForm<ProducerData> }) {
  const source = form.data.source as Generator;
  const rate = form.number(['source', 'ratePerSec']);
  const count = form.number(['source', 'count']);
  const duration = source.ratePerSec > 0 ? (source.count / source.ratePerSec) * 1000 : undefined;
  return (
    <>
      <div className="grid grid-cols-2 gap-2">
        <Field label="Rate (msg/s)" htmlFor="prop-generator-rate">
          <NumberInput id="prop-generator-rate" data-testid="prop-generator-rate" {...rate} min={0} max={100_000} />
        </Field>
        <Field label="Messages" htmlFor="prop-generator-count">
          <NumberInput id="prop-generator-count" data-testid="prop-generator-count" {...count} min={1} max={10_000_000} integer />
        </Field>
      </div>
      {duration !== undefined ? (
        <p className="text-xs text-subtle">
          {formatCount(source.count)} messages over about {formatMs(duration)} once started.
        </p>
      ) : null}
      <Field label="Payload template" htmlFor="prop-generator-payload" hint={<TemplateHint first="the message number (1 to the count)" />}>
        <JsonInput
          id="prop-generator-payload"
          data-testid="prop-generator-payload"
          rows={4}
          placeholder='{ "n": "{{seq}}" }'
          value={source.payload}
          onValueChange={(v) => form.set(['source', 'payload'], v)}
        />
      </Field>
    </>
  );
}
