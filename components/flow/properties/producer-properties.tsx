'use client';

import type { ProducerData } from '@/lib/pipeline/schema';
import { Field } from '@/components/ui/field';
import { Select } from '@/components/ui/input';
import { useEditor } from '../editor-context';
import { PanelSection } from './panel-section';
import { GeneratorControls } from './producer/generator-controls';
import { GeneratorFields } from './producer/generator-fields';
import { ScheduleFields } from './producer/schedule-fields';
import { defaultSource, SOURCE_KINDS } from './producer/source-defaults';
import { useNodeForm, type Update } from './use-node-form';

export function ProducerProperties({ id, data, update }: { id: string; data: ProducerData; update: Update<ProducerData> }) {
  const form = useNodeForm('producer', data, update);
  const kind = data.source.kind;
  return (
    <>
      <PanelSection title="Source">
        <Field label="Messages come from" htmlFor="prop-source-kind" error={form.issue(['source', 'kind'])}>
          <Select
            id="prop-source-kind"
            data-testid="prop-source-kind"
            value={kind}
            onChange={(e) => {
              if (e.target.value === kind) return;
              const next = defaultSource(e.target.value, data.source);
              if (next) form.set(['source'], next);
            }}
          >
            {SOURCE_KINDS.map((s) => (
              <option key={s.kind} value={s.kind} disabled={!s.ready && s.kind !== kind}>
                {s.ready ? s.name : `${s.name} (coming soon)`}
              </option>
            ))}
          </Select>
        </Field>
        {kind === 'http' ? (
          <HttpSourceInfo />
        ) : kind === 'schedule' ? (
          <ScheduleFields form={form} />
        ) : kind === 'generator' ? (
          <GeneratorFields form={form} />
        ) : (
          <p className="text-xs text-subtle">
            This external source is configured through the API for now; its settings are kept as they are.
          </p>
        )}
      </PanelSection>
      {kind === 'generator' ? <GeneratorControls id={id} source={data.source} valid={Object.keys(form.issues).length === 0} /> : null}
    </>
  );
}

function HttpSourceInfo() {
  const pipelineId = useEditor((s) => s.pipelineId);
  return (
    <div className="space-y-1 rounded-md border border-border bg-surface-2 p-2 text-xs text-muted">
      <p>Messages enter with a REST call once the pipeline is deployed:</p>
      <code className="block font-mono text-[11px] break-all text-fg">POST /api/v1/pipelines/{pipelineId}/runs</code>
      <code className="block font-mono text-[11px] text-fg">{'{ "payload": { … } }'}</code>
    </div>
  );
}
