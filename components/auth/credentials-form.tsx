'use client';

import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';

/**
 * Email + password, shared by sign-in and first-run setup. `onSubmit` returns
 * an error message to show, or null when it succeeded (and navigated away).
 */
export function CredentialsForm({
  idPrefix,
  submitLabel,
  pendingLabel,
  newPassword,
  onSubmit,
}: {
  idPrefix: 'login' | 'setup';
  submitLabel: string;
  pendingLabel: string;
  newPassword?: boolean;
  onSubmit: (email: string, password: string) => Promise<string | null>;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setPending(true);
    setError(null);
    const message = await onSubmit(email.trim(), password);
    if (message) {
      setError(message);
      setPending(false);
    }
  };

  return (
    <form onSubmit={submit} className="space-y-4">
      <Field label="Email" htmlFor={`${idPrefix}-email`}>
        <Input
          id={`${idPrefix}-email`}
          data-testid={`${idPrefix}-email`}
          type="email"
          autoComplete={newPassword ? 'username' : 'email'}
          required
          autoFocus
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </Field>
      <Field label="Password" htmlFor={`${idPrefix}-password`} hint={newPassword ? 'At least 8 characters.' : undefined}>
        <Input
          id={`${idPrefix}-password`}
          data-testid={`${idPrefix}-password`}
          type="password"
          autoComplete={newPassword ? 'new-password' : 'current-password'}
          required
          minLength={newPassword ? 8 : undefined}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </Field>
      {error ? (
        <p className="rounded-md border border-danger/30 bg-danger-soft px-3 py-2 text-sm text-danger" role="alert" data-testid={`${idPrefix}-error`}>
          {error}
        </p>
      ) : null}
      <Button type="submit" variant="primary" className="w-full" disabled={pending} data-testid={`${idPrefix}-submit`}>
        {pending ? pendingLabel : submitLabel}
      </Button>
    </form>
  );
}
