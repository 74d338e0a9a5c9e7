import { describe, expect, it } from 'vitest';
import { formatJson, parseJsonText, sameJson } from './json-text';

describe('json text', () => {
  it('parses JSON and treats an empty field as no value', () => {
    expect(parseJsonText('{"n": "{{seq}}"}')).toEqual({ ok: true, value: { n: '{{seq}}' } });
    expect(parseJsonText('  ')).toEqual({ ok: true, value: undefined });
    expect(parseJsonText('42')).toEqual({ ok: true, value: 42 });
  });

  it('reports text that is not JSON', () => {
    const r = parseJsonText('{ n: 1 }');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/JSON|property|token/i);
  });

  it('formats and compares by value, not by spacing', () => {
    expect(formatJson({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(formatJson(undefined)).toBe('');
    expect(sameJson('{"a":1}', { a: 1 })).toBe(true);
    expect(sameJson('{"a":2}', { a: 1 })).toBe(false);
    expect(sameJson('{"a":', { a: 1 })).toBe(false);
    expect(sameJson('', undefined)).toBe(true);
  });
});
