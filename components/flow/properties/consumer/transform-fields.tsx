'use client';

import { useState } from 'react';
import type { ConsumerData } from '@/lib/pipeline/schema';
import { Button } from '@/components/ui/button';
import { CodeDialog } from '@/components/ui/code-dialog';
import { CodeTextarea } from '@/components/ui/code-textarea';
import { Field } from '@/components/ui/field';
import { NumberInput } from '@/components/ui/number-input';
import type { NodeForm } from '../use-node-form';

type Transform = Extract<ConsumerData['task'], { kind: 'transform' }>;

const SIGNATURE = (
  <>
    <span className="text-accent">function</span> (msg) {'{'}
  </>
);

/** The transform's code, framed by the function it is the body of, and its sandbox limits. */
export function TransformFields({ form }: { form: NodeForm<ConsumerData> }) {
  const task = form.data.task as Transform;
  const codeError = form.issue(['task', 'code']);
  const [expanded, setExpanded] = useState(false);
  const setCode = (code: string) => form.set(['task', 'code'], code);
  return (
    <>
      <Field
        label="Code"
        htmlFor="prop-transform-code"
        error={codeError}
        hint="Return the new message (JSON). A throw fails the attempt and the queue's retries apply. Tab indents; Esc then Tab leaves the field."
      >
        <div className="overflow-hidden rounded-md border border-border bg-surface-2 font-mono text-xs">
          <div className="flex items-center justify-between px-2 pt-1 pb-0.5 text-muted">
            <span data-testid="transform-signature">{SIGNATURE}</span>
            <Button
              size="sm"
              variant="ghost"
              className="h-6 px-1.5 font-sans"
              data-testid="prop-transform-expand"
              onClick={() => setExpanded(true)}
              title="Edit in a larger window"
            >
              Expand
            </Button>
          </div>
          <CodeTextarea
            id="prop-transform-code"
            data-testid="prop-transform-code"
            aria-label="Function body"
            rows={8}
            className="min-h-28 resize-y rounded-none border-x-0 pl-4 shadow-none"
            value={task.code}
            maxLength={100_000}
            aria-invalid={codeError ? true : undefined}
            onValueChange={setCode}
          />
          <div className="px-2 pt-1 pb-1.5 text-muted">{'}'}</div>
        </div>
      </Field>
      <CodeDialog
        open={expanded}
        onClose={() => setExpanded(false)}
        title="Transform code"
        before={SIGNATURE}
        after="}"
        value={task.code}
        onValueChange={setCode}
        testId="code-dialog"
      />
      <div className="grid grid-cols-2 gap-2">
        <Field label="Time limit (ms)" htmlFor="prop-transform-timeout">
          <NumberInput id="prop-transform-timeout" data-testid="prop-transform-timeout" placeholder="1000" {...form.number(['task', 'timeoutMs'])} min={1} max={60_000} integer optional />
        </Field>
        <Field label="Memory (MB)" htmlFor="prop-transform-memory">
          <NumberInput id="prop-transform-memory" data-testid="prop-transform-memory" placeholder="32" {...form.number(['task', 'memoryMb'])} min={1} max={512} integer optional />
        </Field>
      </div>
    </>
  );
}
