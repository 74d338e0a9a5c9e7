'use client';

import { useRef, type KeyboardEvent, type TextareaHTMLAttributes } from 'react';
import { indentEdit } from './indent';
import { Textarea } from './input';

/**
 * A monospace textarea for code: Tab and Shift+Tab indent and outdent instead
 * of leaving the field. Escape, then Tab, moves focus on as usual, so the
 * field never traps keyboard users.
 */
export function CodeTextarea({
  value,
  onValueChange,
  onKeyDown,
  ...rest
}: Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onChange'> & {
  value: string;
  onValueChange: (value: string) => void;
}) {
  const escaped = useRef(false);
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    onKeyDown?.(e);
    if (e.defaultPrevented) return;
    if (e.key === 'Escape') {
      escaped.current = true;
      return;
    }
    if (e.key !== 'Tab' || e.ctrlKey || e.metaKey || e.altKey || escaped.current) {
      escaped.current = false;
      return;
    }
    e.preventDefault();
    const el = e.currentTarget;
    const edit = indentEdit(el.value, el.selectionStart, el.selectionEnd, e.shiftKey);
    onValueChange(edit.value);
    // After React writes the new value, put the selection back where the edit says.
    requestAnimationFrame(() => el.setSelectionRange(edit.start, edit.end));
  };
  return (
    <Textarea
      spellCheck={false}
      autoCapitalize="off"
      autoCorrect="off"
      wrap="off"
      value={value}
      onChange={(e) => onValueChange(e.target.value)}
      onKeyDown={onKey}
      {...rest}
    />
  );
}
