'use client';

import type { ConsumerData } from '@/lib/pipeline/schema';
import { Field } from '@/components/ui/field';
import { Input, Select } from '@/components/ui/input';
import { NumberInput } from '@/components/ui/number-input';
import type { NodeForm } from '../use-node-form';
import { HeaderRows } from './header-rows';

type Http = Extract<ConsumerData['task'], { kind: 'http' }>;
const METHODS: ReadonlyArray<Http['method']> = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export function HttpFields({ form }: { form: NodeForm<ConsumerData> }) {
  const task = form.data.task as Http;
  const urlError = form.issue(['task', 'url']);
  return (
    <>
      <Field label="URL" htmlFor="prop-http-url" error={urlError} hint="POST, PUT and PATCH send the message as JSON; the response body becomes the message.">
        <Input
          id="prop-http-url"
          data-testid="prop-http-url"
          type="url"
          className="font-mono text-xs"
          placeholder="https://example.com/hook"
          value={task.url}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={urlError ? true : undefined}
          aria-describedby={urlError ? 'prop-http-url-error' : undefined}
          onChange={(e) => form.set(['task', 'url'], e.target.value)}
        />
      </Field>
      <div className="grid grid-cols-2 gap-2">
        <Field label="Method" htmlFor="prop-http-method" error={form.issue(['task', 'method'])}>
          <Select id="prop-http-method" data-testid="prop-http-method" value={task.method} onChange={(e) => form.set(['task', 'method'], e.target.value)}>
            {METHODS.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Timeout (ms)" htmlFor="prop-http-timeout">
          <NumberInput id="prop-http-timeout" data-testid="prop-http-timeout" placeholder="10000" {...form.number(['task', 'timeoutMs'])} min={1} max={120_000} integer optional />
        </Field>
      </div>
      <p className="-mt-1 text-xs text-subtle">Timeout covers the whole exchange (default 10&nbsp;s). Timeouts, 429 and 5xx are retried.</p>
      <HeaderRows headers={task.headers} issue={form.issue(['task', 'headers'])} onChange={(headers) => form.set(['task', 'headers'], headers)} />
    </>
  );
}
