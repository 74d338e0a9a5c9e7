'use client';

import { api, ApiError, errorMessage } from '@/lib/client/api-client';
import { CredentialsForm } from './credentials-form';

/** Only same-site paths are followed after sign-in (no open redirect). */
export function safeNextPath(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

export function LoginForm({ next }: { next?: string }) {
  return (
    <CredentialsForm
      idPrefix="login"
      submitLabel="Sign in"
      pendingLabel="Signing in…"
      onSubmit={async (email, password) => {
        try {
          await api.login(email, password);
          window.location.assign(safeNextPath(next));
          return null;
        } catch (e) {
          if (e instanceof ApiError && e.status === 401) return 'The email or password is wrong.';
          return errorMessage(e);
        }
      }}
    />
  );
}
