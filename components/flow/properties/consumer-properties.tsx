'use client';

import { useRef } from 'react';
import type { ConsumerData, Task } from '@/lib/pipeline/schema';
import { Field } from '@/components/ui/field';
import { Select } from '@/components/ui/input';
import { NumberInput } from '@/components/ui/number-input';
import { DelayFields } from './consumer/delay-fields';
import { FailFields } from './consumer/fail-fields';
import { HttpFields } from './consumer/http-fields';
import { RouteRules } from './consumer/route-rules';
import { defaultTask, TASK_KINDS } from './consumer/task-defaults';
import { TransformFields } from './consumer/transform-fields';
import { PanelSection } from './panel-section';
import { useNodeForm, type Update } from './use-node-form';

export function ConsumerProperties({ id, data, update }: { id: string; data: ConsumerData; update: Update<ConsumerData> }) {
  const form = useNodeForm('consumer', data, update);
  const task = data.task;
  // Switching kinds and back within one visit restores what was typed.
  const earlier = useRef(new Map<Task['kind'], Task>());
  return (
    <>
      <PanelSection title="Processing">
        <Field label="Concurrency" htmlFor="prop-concurrency" hint="Messages handled at once, per worker process.">
          <NumberInput id="prop-concurrency" data-testid="prop-concurrency" placeholder="1" {...form.number(['concurrency'])} min={1} max={1000} integer optional />
        </Field>
        <Field label="Task" htmlFor="prop-task-kind" error={form.issue(['task', 'kind'])}>
          <Select
            id="prop-task-kind"
            data-testid="prop-task-kind"
            value={task.kind}
            onChange={(e) => {
              const kind = e.target.value as Task['kind'];
              if (kind === task.kind) return;
              const next = earlier.current.get(kind) ?? defaultTask(kind);
              if (!next) return;
              earlier.current.set(task.kind, task);
              form.set(['task'], next);
            }}
          >
            {TASK_KINDS.map((t) => (
              <option key={t.kind} value={t.kind} disabled={!t.ready && t.kind !== task.kind}>
                {t.ready ? t.name : `${t.name} (coming soon)`}
              </option>
            ))}
          </Select>
        </Field>
      </PanelSection>
      {task.kind === 'noop' ? null : (
        <PanelSection title={TASK_TITLES[task.kind] ?? 'Task'}>
          {task.kind === 'delay' ? (
            <DelayFields form={form} />
          ) : task.kind === 'transform' ? (
            <TransformFields form={form} />
          ) : task.kind === 'http' ? (
            <HttpFields form={form} />
          ) : task.kind === 'fail' ? (
            <FailFields form={form} />
          ) : task.kind === 'route' ? (
            <RouteRules id={id} form={form} />
          ) : (
            <p className="text-xs text-subtle">This external sink is configured through the API for now; its settings are kept as they are.</p>
          )}
        </PanelSection>
      )}
    </>
  );
}

const TASK_TITLES: Partial<Record<Task['kind'], string>> = {
  delay: 'Delay',
  transform: 'Transform',
  http: 'HTTP call',
  fail: 'Failure drill',
  route: 'Routing rules',
};
