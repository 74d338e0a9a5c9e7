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
}

function check(text: string, { min, max, integer, optional }: Pick<NumberInputProps, 'min' | 'max' | 'integer' | 'optional'>) {
  if (text.trim() === '') return optional ? { value: undefined, error: null } : { value: undefined, error: 'required' };
  const n = Number(text);
  if (!Number.isFinite(n)) return { value: undefined, error: 'not a number' };
  if (integer && !Number.isInteger(n)) return { value: undefined, error: 'a whole number' };
  if (min !== undefined && n < min) return { value: undefined, error: `at least ${min}` };
  if (max !== undefined && n > max) return { value: undefined, error: `at most ${max}` };
  return { value: n, error: null };
}

/**
 * A number field that keeps what the user types (an empty box, "0.") while
 * only passing on values that fit the schema's range.
 */
export function NumberInput({ value, onValueChange, min, max, integer, optional, ...rest }: NumberInputProps) {
  const [text, setText] = useState(value === undefined ? '' : String(value));
  const [seen, setSeen] = useState(value);
  const [error, setError] = useState<string | null>(null);
  // Follow outside changes (another node selected, undo) without fighting the user's typing.
  if (value !== seen) {
    setSeen(value);
    const current = check(text, { min, max, integer, optional });
    if (current.value !== value) {
      setText(value === undefined ? '' : String(value));
      setError(null);
    }
  }
  return (
    <>
      <Input
        type="number"
        inputMode={integer ? 'numeric' : 'decimal'}
        min={min}
        max={max}
        step={integer ? 1 : 'any'}
        value={text}
        aria-invalid={error ? true : undefined}
        title={error ?? undefined}
        onChange={(e) => {
          const next = e.target.value;
          setText(next);
          const result = check(next, { min, max, integer, optional });
          setError(result.error);
          if (!result.error && result.value !== value) {
            setSeen(result.value);
            onValueChange(result.value);
          }
        }}
        {...rest}
      />
      {error ? <p className="text-xs text-danger">Enter {error}.</p> : null}
    </>
  );
}
