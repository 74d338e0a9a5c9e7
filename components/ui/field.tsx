import type { ReactNode } from 'react';

/**
 * A labelled form control with an optional hint or error under it. The error
 * carries the id and test id `<htmlFor>-error`, so a control can point at it
 * with aria-describedby.
 */
export function Field({
  label,
  htmlFor,
  hint,
  error,
  children,
}: {
  label: ReactNode;
  htmlFor: string;
  hint?: ReactNode;
  error?: string | null;
  children: ReactNode;
}) {
  return (
    <div className="flex min-w-0 flex-col gap-1">
      <label htmlFor={htmlFor} className="text-xs font-medium text-muted">
        {label}
      </label>
      {children}
      {error ? (
        <p className="text-xs text-danger" id={`${htmlFor}-error`} data-testid={`${htmlFor}-error`}>
          {error}
        </p>
      ) : hint ? (
        <p className="text-xs leading-4 text-subtle">{hint}</p>
      ) : null}
    </div>
  );
}
