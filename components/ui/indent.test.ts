import { describe, expect, it } from 'vitest';
import { indentEdit } from './indent';

describe('indentEdit', () => {
  it('inserts two spaces at the caret', () => {
    expect(indentEdit('return msg;', 0, 0, false)).toEqual({ value: '  return msg;', start: 2, end: 2 });
    expect(indentEdit('ab', 1, 1, false)).toEqual({ value: 'a  b', start: 3, end: 3 });
  });

  it('replaces a selection within one line', () => {
    expect(indentEdit('abcd', 1, 3, false)).toEqual({ value: 'a  d', start: 3, end: 3 });
  });

  it('indents every selected line and keeps them selected', () => {
    const value = 'a\nb\nc';
    const r = indentEdit(value, 0, value.length, false);
    expect(r.value).toBe('  a\n  b\n  c');
    expect(r.value.slice(r.start, r.end)).toBe('a\n  b\n  c');
  });

  it('outdents the caret line or the selected lines', () => {
    expect(indentEdit('    x', 5, 5, true)).toEqual({ value: '  x', start: 3, end: 3 });
    const r = indentEdit('  a\n b\nc', 0, 8, true);
    expect(r.value).toBe('a\nb\nc');
    expect(r.start).toBe(0);
    expect(r.end).toBe(5);
  });

  it('does not take the line after a selection that ends at a line start', () => {
    const r = indentEdit('a\nb\nc', 0, 4, false);
    expect(r.value).toBe('  a\n  b\nc');
  });

  it('leaves a line without indentation alone on outdent', () => {
    expect(indentEdit('x', 1, 1, true)).toEqual({ value: 'x', start: 1, end: 1 });
  });
});
