'use client';

import { useState, type TextareaHTMLAttributes } from 'react';
import { CodeTextarea } from './code-textarea';
import { formatJson, parseJsonText, sameJson } from './json-text';

/**
 * A JSON textarea: keeps the user's text while they type and passes on the
 * parsed value only when it is JSON (an empty field: undefined). Text that
 * does not parse is never written; the reason shows under the field, with
 * the test id `<data-testid>-error`.
 */
export function JsonInput({
  value,
  onValueChange,
  ...rest
}: Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onChange'> & {
  value: unknown;
  onValueChange: (value: unknown) => void;
}) {
  const [text, setText] = useState(() => formatJson(value));
  const [seen, setSeen] = useState(value);
  if (value !== seen) {
    setSeen(value);
    if (!sameJson(text, value)) setText(formatJson(value));
  }
  const parsed = parseJsonText(text);
  const testId = (rest as { 'data-testid'?: string })['data-testid'];
  const errorId = rest.id ? `${rest.id}-error` : undefined;
  return (
    <>
      <CodeTextarea
        value={text}
        onValueChange={(next) => {
          setText(next);
          const result = parseJsonText(next);
          if (result.ok && JSON.stringify(result.value) !== JSON.stringify(value)) {
            setSeen(result.value);
            onValueChange(result.value);
          }
        }}
        aria-invalid={parsed.ok ? undefined : true}
        aria-describedby={parsed.ok ? undefined : errorId}
        {...rest}
      />
      {parsed.ok ? null : (
        <p className="text-xs text-danger" id={errorId} data-testid={testId ? `${testId}-error` : undefined}>
          Not valid JSON, not saved: {parsed.error}
        </p>
      )}
    </>
  );
}
