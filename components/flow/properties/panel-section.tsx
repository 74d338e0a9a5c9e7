import type { ReactNode } from 'react';

/** A titled group of fields in the properties panel. */
export function PanelSection({ title, aside, children, testId }: { title: string; aside?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <section className="space-y-3 border-b border-border px-3 py-3 last:border-b-0" data-testid={testId}>
      <div className="flex min-h-5 items-center justify-between gap-2">
        <h3 className="text-[11px] font-semibold tracking-wider text-muted uppercase">{title}</h3>
        {aside}
      </div>
      {children}
    </section>
  );
}
