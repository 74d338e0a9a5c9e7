'use client';

import { useState, type InputHTMLAttributes } from 'react';
import { Input } from './input';

interface NumberInputProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type' | 'min' | 'max'> {
  value: number | undefined;
  /** Called with a valid number, or undefined when an optional field is emptied. */
  onValueChange: (value: number | undefined) => void;
  min?: number;
  max?: number;
  integer?: boolean;
  optional?: boolean;
  /**
   * A further check of a number that passed the bounds, e.g. the node's data
   * with it parsed by the node type's schema. A message refuses the value.
   */
  validate?: (value: number) => string | null;
  /** A problem with the stored value itself, shown when the typed text has none. */
  error?: string | null;
}

type Rules = Pick<NumberInputProps, 'min' | 'max' | 'integer' | 'optional' | 'validate'>;

function check(text: string, { min, max, integer, optional, validate }: Rules): { value: number | undefined; error: string | null } {
  if (text.trim() === '') return optional ? { value: undefined, error: null } : { value: undefined, error: 'Required.' };
  const n = Number(text);
  if (!Number.isFinite(n)) return { value: undefined, error: 'Enter a number.' };
  if (integer && !Number.isInteger(n)) return { value: undefined, error: 'Enter a whole number.' };
  if (min !== undefined && n < min) return { value: undefined, error: `Must be at least ${min.toLocaleString('en-US')}.` };
  if (max !== undefined && n > max) return { value: undefined, error: `Must be at most ${max.toLocaleString('en-US')}.` };
  const error = validate?.(n) ?? null;
  return error ? { value: undefined, error } : { value: n, error: null };
}

/**
 * A number field that keeps what the user types (an empty box, "0.", "1.5"
 * in a 0..1 field) while only passing on values that pass the checks, and
 * says why next to the field when it does not. The message carries the test
 * id `<data-testid>-error`.
 */
export function NumberInput({ value, onValueChange, min, max, integer, optional, validate, error: storedError, ...rest }: NumberInputProps) {
  const [text, setText] = useState(value === undefined ? '' : String(value));
  const [seen, setSeen] = useState(value);
  const [error, setError] = useState<string | null>(null);
  const rules = { min, max, integer, optional, validate };
  // Follow outside changes (another node selected, undo) without fighting the user's typing.
  if (value !== seen) {
    setSeen(value);
    const current = check(text, rules);
    if (current.value !== value) {
      setText(value === undefined ? '' : String(value));
      setError(null);
    }
  }
  const shown = error ?? storedError ?? null;
  const testId = (rest as { 'data-testid'?: string })['data-testid'];
  const errorId = rest.id ? `${rest.id}-error` : undefined;
  return (
    <>
      <Input
        type="number"
        inputMode={integer ? 'numeric' : 'decimal'}
        min={min}
        max={max}
        step={integer ? 1 : 'any'}
        value={text}
        aria-invalid={shown ? true : undefined}
        aria-describedby={shown ? errorId : undefined}
        onChange={(e) => {
          const next = e.target.value;
          setText(next);
          const result = check(next, rules);
          setError(result.error);
          if (!result.error && result.value !== value) {
            setSeen(result.value);
            onValueChange(result.value);
          }
        }}
        {...rest}
      />
      {shown ? (
        <p className="text-xs text-danger" id={errorId} data-testid={testId ? `${testId}-error` : undefined}>
          {shown}
        </p>
      ) : null}
    </>
  );
}
