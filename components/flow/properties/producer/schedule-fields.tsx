'use client';

import type { ProducerData } from '@/lib/pipeline/schema';
import { Field } from '@/components/ui/field';
import { Input, Select } from '@/components/ui/input';
import { JsonInput } from '@/components/ui/json-input';
import { NumberInput } from '@/components/ui/number-input';
import { formatMs } from '../../format';
import type { NodeForm } from '../use-node-form';
import { DEFAULT_CRON, DEFAULT_EVERY_MS } from './source-defaults';
import { TemplateHint } from './template-hint';

type Schedule = Extract<ProducerData['source'], { kind: 'schedule' }>;

export function ScheduleFields({ form }: { form: NodeForm<ProducerData> }) {
  const source = form.data.source as Schedule;
  const mode = source.cron !== undefined ? 'cron' : 'every';
  const every = form.number(['source', 'everyMs']);
  const cronError = form.issue(['source', 'cron']);
  return (
    <>
      <Field label="Fires" htmlFor="prop-schedule-mode">
        <Select
          id="prop-schedule-mode"
          data-testid="prop-schedule-mode"
          value={mode}
          onChange={(e) => {
            if (e.target.value === mode) return;
            const { cron: _c, everyMs: _e, ...rest } = source;
            form.set(['source'], e.target.value === 'cron' ? { ...rest, cron: DEFAULT_CRON } : { ...rest, everyMs: DEFAULT_EVERY_MS });
          }}
        >
          <option value="every">At a fixed interval</option>
          <option value="cron">On a cron schedule</option>
        </Select>
      </Field>
      {mode === 'cron' ? (
        <Field
          label="Cron expression"
          htmlFor="prop-schedule-cron"
          error={cronError}
          hint={
            <>
              minute hour day-of-month month day-of-week, e.g. <code className="font-mono">*/5 * * * *</code> = every 5 minutes.
            </>
          }
        >
          <Input
            id="prop-schedule-cron"
            data-testid="prop-schedule-cron"
            className="font-mono"
            value={source.cron ?? ''}
            maxLength={120}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={cronError ? true : undefined}
            onChange={(e) => form.set(['source', 'cron'], e.target.value)}
          />
        </Field>
      ) : (
        <Field
          label="Every (ms)"
          htmlFor="prop-schedule-every"
          error={cronError}
          hint={every.value ? `One message every ${formatMs(every.value)}.` : 'At least 100 ms.'}
        >
          <NumberInput id="prop-schedule-every" data-testid="prop-schedule-every" {...every} min={100} integer />
        </Field>
      )}
      <Field label="Payload template" htmlFor="prop-schedule-payload" hint={<TemplateHint first="the firing's number" />}>
        <JsonInput
          id="prop-schedule-payload"
          data-testid="prop-schedule-payload"
          rows={4}
          placeholder='{ "tick": "{{seq}}" }'
          value={source.payload}
          onValueChange={(v) => form.set(['source', 'payload'], v)}
        />
      </Field>
    </>
  );
}
