'use client';

import type { ConsumerData, Task } from '@/lib/pipeline/schema';
import { Field } from '@/components/ui/field';
import { Select } from '@/components/ui/input';
import { NumberInput } from '@/components/ui/number-input';

const TASK_KINDS: Array<{ kind: Task['kind']; name: string; ready: boolean }> = [
  { kind: 'noop', name: 'No-op (pass the message on)', ready: true },
  { kind: 'delay', name: 'Delay (simulated work)', ready: true },
  { kind: 'fail', name: 'Fail at a rate (drills)', ready: true },
  { kind: 'transform', name: 'Transform (JavaScript)', ready: false },
  { kind: 'http', name: 'HTTP call', ready: false },
  { kind: 'route', name: 'Route by condition', ready: false },
  { kind: 'amqp', name: 'RabbitMQ sink', ready: false },
  { kind: 'nats', name: 'NATS sink', ready: false },
  { kind: 'mqtt', name: 'MQTT sink', ready: false },
  { kind: 'zeromq', name: 'ZeroMQ sink', ready: false },
];

function defaultTask(kind: string): Task | null {
  switch (kind) {
    case 'noop':
      return { kind: 'noop' };
    case 'delay':
      return { kind: 'delay', ms: 100 };
    case 'fail':
      return { kind: 'fail', rate: 0.1 };
    default:
      return null;
  }
}

export function ConsumerProperties({
  data,
  update,
}: {
  data: ConsumerData;
  update: (patch: (d: ConsumerData) => ConsumerData) => void;
}) {
  const task = data.task;
  const setTask = (next: Task) => update((d) => ({ ...d, task: next }));
  return (
    <>
      <Field label="Concurrency" htmlFor="prop-concurrency" hint="Messages handled at once, per worker process.">
        <NumberInput
          id="prop-concurrency"
          data-testid="prop-concurrency"
          value={data.concurrency ?? 1}
          onValueChange={(v) => v !== undefined && update((d) => ({ ...d, concurrency: v }))}
          min={1}
          max={1000}
          integer
        />
      </Field>
      <Field label="Task" htmlFor="prop-task-kind">
        <Select
          id="prop-task-kind"
          data-testid="prop-task-kind"
          value={task.kind}
          onChange={(e) => {
            const next = defaultTask(e.target.value);
            if (next) setTask(next);
          }}
        >
          {TASK_KINDS.map((t) => (
            <option key={t.kind} value={t.kind} disabled={!t.ready && t.kind !== task.kind}>
              {t.ready ? t.name : `${t.name} (coming later)`}
            </option>
          ))}
        </Select>
      </Field>
      {task.kind === 'delay' ? (
        <div className="grid grid-cols-2 gap-2">
          <Field label="Service time (ms)" htmlFor="prop-delay-ms">
            <NumberInput
              id="prop-delay-ms"
              data-testid="prop-delay-ms"
              value={task.ms}
              onValueChange={(v) => v !== undefined && setTask({ ...task, ms: v })}
              min={0}
              max={600_000}
            />
          </Field>
          <Field label="Jitter ± (ms)" htmlFor="prop-delay-jitter">
            <NumberInput
              id="prop-delay-jitter"
              data-testid="prop-delay-jitter"
              placeholder="0"
              value={task.jitterMs}
              onValueChange={(v) => {
                const { jitterMs: _drop, ...rest } = task;
                setTask(v === undefined ? rest : { ...rest, jitterMs: v });
              }}
              min={0}
              max={600_000}
              optional
            />
          </Field>
        </div>
      ) : task.kind === 'fail' ? (
        <Field label="Failure rate (0 to 1)" htmlFor="prop-fail-rate" hint="0.1 fails one message in ten.">
          <NumberInput
            id="prop-fail-rate"
            data-testid="prop-fail-rate"
            value={task.rate}
            onValueChange={(v) => v !== undefined && setTask({ ...task, rate: v })}
            min={0}
            max={1}
          />
        </Field>
      ) : task.kind !== 'noop' ? (
        <p className="text-xs text-subtle">This task is configured through the API for now; its settings are kept as they are.</p>
      ) : null}
    </>
  );
}
