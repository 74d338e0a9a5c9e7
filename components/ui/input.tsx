import type { InputHTMLAttributes, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';
import { cx } from './cx';

export const controlClass = cx(
  'w-full rounded-md border border-border bg-surface px-2 text-sm text-fg shadow-xs',
  'placeholder:text-subtle focus:border-accent focus:outline-2 focus:outline-accent/25',
  'disabled:opacity-60 aria-invalid:border-danger aria-invalid:outline-danger/25',
);

export function Input({ className, ...rest }: InputHTMLAttributes<HTMLInputElement>) {
  return <input className={cx(controlClass, 'h-8', className)} {...rest} />;
}

export function Select({ className, ...rest }: SelectHTMLAttributes<HTMLSelectElement>) {
  return <select className={cx(controlClass, 'h-8 pr-6', className)} {...rest} />;
}

export function Textarea({ className, ...rest }: TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <textarea className={cx(controlClass, 'py-1.5 font-mono text-xs', className)} {...rest} />;
}
