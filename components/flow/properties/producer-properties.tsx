'use client';

import type { ProducerData, Source } from '@/lib/pipeline/schema';
import { Field } from '@/components/ui/field';
import { Select } from '@/components/ui/input';
import { useEditor } from '../editor-context';

// Every source kind of the graph language; the ones without a form yet are listed, disabled.
const SOURCE_KINDS: Array<{ kind: Source['kind']; name: string; ready: boolean }> = [
  { kind: 'http', name: 'HTTP (REST trigger)', ready: true },
  { kind: 'schedule', name: 'Schedule (cron / interval)', ready: false },
  { kind: 'generator', name: 'Load generator', ready: false },
  { kind: 'amqp', name: 'RabbitMQ (AMQP)', ready: false },
  { kind: 'nats', name: 'NATS', ready: false },
  { kind: 'mqtt', name: 'MQTT', ready: false },
  { kind: 'zeromq', name: 'ZeroMQ', ready: false },
];

export function ProducerProperties({ data, update }: { data: ProducerData; update: (patch: (d: ProducerData) => ProducerData) => void }) {
  const pipelineId = useEditor((s) => s.pipelineId);
  const kind = data.source.kind;
  return (
    <>
      <Field label="Source" htmlFor="prop-source-kind">
        <Select
          id="prop-source-kind"
          data-testid="prop-source-kind"
          value={kind}
          onChange={(e) => {
            if (e.target.value === 'http') update((d) => ({ ...d, source: { kind: 'http' } }));
          }}
        >
          {SOURCE_KINDS.map((s) => (
            <option key={s.kind} value={s.kind} disabled={!s.ready && s.kind !== kind}>
              {s.ready ? s.name : `${s.name} (coming later)`}
            </option>
          ))}
        </Select>
      </Field>
      {kind === 'http' ? (
        <div className="space-y-1 rounded-md border border-border bg-surface-2 p-2 text-xs text-muted">
          <p>Messages enter with a REST call once the pipeline is deployed:</p>
          <code className="block font-mono text-[11px] break-all text-fg">POST /api/v1/pipelines/{pipelineId}/runs</code>
          <code className="block font-mono text-[11px] text-fg">{'{ "payload": { … } }'}</code>
        </div>
      ) : (
        <p className="text-xs text-subtle">This source is configured through the API for now.</p>
      )}
    </>
  );
}
