import type { InputHTMLAttributes, ReactNode } from 'react';
import { cx } from './cx';

/** A checkbox with its label beside it (the whole row is clickable). */
export function Checkbox({ label, className, ...rest }: Omit<InputHTMLAttributes<HTMLInputElement>, 'type'> & { label: ReactNode }) {
  return (
    <label className={cx('flex cursor-pointer items-center gap-2 text-xs font-medium text-fg select-none', className)}>
      <input type="checkbox" className="size-3.5 rounded border-border accent-(--cv-accent)" {...rest} />
      {label}
    </label>
  );
}
