import { describe, expect, it } from 'vitest';
import { compilePayloadTemplate } from './template';

const at = Date.UTC(2030, 0, 2, 3, 4, 5, 6);
const iso = '2030-01-02T03:04:05.006Z';

describe('compilePayloadTemplate', () => {
  it('sends { seq, at } when the node has no payload', () => {
    expect(compilePayloadTemplate(undefined)({ seq: 7, now: at })).toEqual({ seq: 7, at: iso });
  });

  it('turns a string that is exactly {{seq}} or {{nowMs}} into a number', () => {
    const t = compilePayloadTemplate({ n: '{{seq}}', ms: '{{ nowMs }}', when: '{{now}}' });
    expect(t({ seq: 42, now: at })).toEqual({ n: 42, ms: at, when: iso });
  });

  it('replaces placeholders inside text, in nested objects and arrays, leaving keys and other values alone', () => {
    const t = compilePayloadTemplate({ id: 'order-{{seq}}', '{{seq}}': 1, list: [{ at: 'at {{now}}' }, 3, null, true], x: '{{other}}' });
    expect(t({ seq: 3, now: at })).toEqual({ id: 'order-3', '{{seq}}': 1, list: [{ at: `at ${iso}` }, 3, null, true], x: '{{other}}' });
  });

  it('shares a payload without placeholders instead of copying it', () => {
    const payload = { a: [1, 2, { b: 'c' }] };
    const t = compilePayloadTemplate(payload);
    expect(t({ seq: 1, now: at })).toBe(payload);
    expect(compilePayloadTemplate('plain')({ seq: 1, now: at })).toBe('plain');
    expect(compilePayloadTemplate(5)({ seq: 1, now: at })).toBe(5);
  });

  it('templates a bare string payload', () => {
    expect(compilePayloadTemplate('{{seq}}')({ seq: 9, now: at })).toBe(9);
    expect(compilePayloadTemplate('#{{seq}}')({ seq: 9, now: at })).toBe('#9');
  });

  it('gives every message its own object', () => {
    const t = compilePayloadTemplate({ n: '{{seq}}' });
    const a = t({ seq: 1, now: at });
    const b = t({ seq: 2, now: at });
    expect(a).not.toBe(b);
    expect([a, b]).toEqual([{ n: 1 }, { n: 2 }]);
  });
});
