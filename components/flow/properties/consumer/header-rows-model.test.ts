import { describe, expect, it } from 'vitest';
import { headersToRows, rowsToHeaders } from './header-rows-model';

describe('header rows', () => {
  it('round-trips a record', () => {
    const headers = { 'X-Api-Key': 'k', Accept: 'application/json' };
    expect(rowsToHeaders(headersToRows(headers))).toEqual({ ok: true, headers });
  });

  it('ignores blank rows and gives undefined for none', () => {
    expect(rowsToHeaders([{ key: '', value: '' }])).toEqual({ ok: true, headers: undefined });
    expect(rowsToHeaders([])).toEqual({ ok: true, headers: undefined });
  });

  it('trims names and keeps values as typed', () => {
    expect(rowsToHeaders([{ key: ' X-A ', value: ' v ' }])).toEqual({ ok: true, headers: { 'X-A': ' v ' } });
  });

  it('refuses a value without a name, a bad name and a repeated name (any case)', () => {
    const r = rowsToHeaders([
      { key: '', value: 'x' },
      { key: 'Bad Name', value: 'x' },
      { key: 'Accept', value: 'a' },
      { key: 'accept', value: 'b' },
    ]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors)).toEqual(['0', '1', '3']);
  });
});
