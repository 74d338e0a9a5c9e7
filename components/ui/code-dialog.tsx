'use client';

import { useEffect, useRef, type ReactNode } from 'react';
import { Button } from './button';
import { CodeTextarea } from './code-textarea';

/**
 * A code field opened large, in a modal <dialog> (Escape or Done closes it),
 * for code that does not fit the narrow properties panel. Edits go straight
 * to the same value as the small field.
 */
export function CodeDialog({
  open,
  onClose,
  title,
  before,
  after,
  value,
  onValueChange,
  testId,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  before?: ReactNode;
  after?: ReactNode;
  value: string;
  onValueChange: (value: string) => void;
  testId?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-label={title}
      data-testid={testId}
      className="m-auto w-[min(56rem,92vw)] rounded-lg border border-border bg-surface p-0 text-fg shadow-2xl backdrop:bg-black/50"
    >
      {open ? (
        <div className="flex flex-col gap-2 p-3">
          <div className="flex items-center justify-between">
            <h2 className="text-sm font-semibold">{title}</h2>
            <Button size="sm" variant="primary" onClick={onClose} data-testid={testId ? `${testId}-close` : undefined}>
              Done
            </Button>
          </div>
          <div className="overflow-hidden rounded-md border border-border bg-surface-2 font-mono text-xs">
            {before ? <div className="px-2 pt-1.5 pb-1 text-muted">{before}</div> : null}
            <CodeTextarea
              autoFocus
              aria-label={title}
              rows={24}
              className="resize-y rounded-none border-x-0 pl-4 shadow-none"
              value={value}
              onValueChange={onValueChange}
            />
            {after ? <div className="px-2 pt-1 pb-1.5 text-muted">{after}</div> : null}
          </div>
        </div>
      ) : null}
    </dialog>
  );
}
