'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { headersToRows, rowsToHeaders, type HeaderRow } from './header-rows-model';

/**
 * Request headers as name / value rows. Rows stay in the form while they do
 * not make a valid record (no name yet, a repeated name), with the reason on
 * the row; the document only ever gets a valid record.
 */
export function HeaderRows({
  headers,
  issue,
  onChange,
}: {
  headers: Record<string, string> | undefined;
  issue: string | null;
  onChange: (headers: Record<string, string> | undefined) => void;
}) {
  const [rows, setRows] = useState<HeaderRow[]>(() => headersToRows(headers));
  const result = rowsToHeaders(rows);
  const errors = result.ok ? {} : result.errors;

  const edit = (next: HeaderRow[]) => {
    setRows(next);
    const r = rowsToHeaders(next);
    if (r.ok && JSON.stringify(r.headers) !== JSON.stringify(headers)) onChange(r.headers);
  };

  return (
    <div className="space-y-1.5" role="group" aria-labelledby="prop-http-headers-label">
      <div className="flex items-center justify-between">
        <span id="prop-http-headers-label" className="text-xs font-medium text-muted">
          Headers
        </span>
        <Button size="sm" variant="ghost" data-testid="prop-http-header-add" onClick={() => setRows([...rows, { key: '', value: '' }])}>
          + Add header
        </Button>
      </div>
      {rows.length === 0 ? <p className="text-xs text-subtle">None.</p> : null}
      {rows.map((row, i) => (
        <div key={i} className="space-y-0.5">
          <div className="grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)_auto] gap-1">
            <Input
              aria-label={`Header ${i + 1} name`}
              data-testid={`prop-http-header-key-${i}`}
              className="font-mono text-xs"
              placeholder="Name"
              value={row.key}
              spellCheck={false}
              autoComplete="off"
              aria-invalid={errors[i] ? true : undefined}
              onChange={(e) => edit(rows.map((r, j) => (j === i ? { ...r, key: e.target.value } : r)))}
            />
            <Input
              aria-label={`Header ${i + 1} value`}
              data-testid={`prop-http-header-value-${i}`}
              className="font-mono text-xs"
              placeholder="Value"
              value={row.value}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => edit(rows.map((r, j) => (j === i ? { ...r, value: e.target.value } : r)))}
            />
            <Button
              size="sm"
              variant="ghost"
              className="h-8 px-2 hover:text-danger"
              aria-label={`Remove header ${i + 1}`}
              data-testid={`prop-http-header-remove-${i}`}
              onClick={() => edit(rows.filter((_, j) => j !== i))}
            >
              ✕
            </Button>
          </div>
          {errors[i] ? (
            <p className="text-xs text-danger" data-testid={`prop-http-header-error-${i}`}>
              {errors[i]} Not saved until fixed.
            </p>
          ) : null}
        </div>
      ))}
      {issue ? <p className="text-xs text-danger">{issue}</p> : null}
      <p className="text-xs text-subtle">Values are stored with the pipeline as typed; keep secrets out of them.</p>
    </div>
  );
}
