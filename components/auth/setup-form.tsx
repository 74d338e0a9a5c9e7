'use client';

import { api, ApiError, errorMessage } from '@/lib/client/api-client';
import { CredentialsForm } from './credentials-form';

export function SetupForm() {
  return (
    <CredentialsForm
      idPrefix="setup"
      submitLabel="Create admin and continue"
      pendingLabel="Creating…"
      newPassword
      onSubmit={async (email, password) => {
        try {
          await api.setup(email, password);
          window.location.assign('/');
          return null;
        } catch (e) {
          if (e instanceof ApiError && e.status === 409) {
            window.location.assign('/login');
            return 'Setup is done already: sign in instead.';
          }
          if (e instanceof ApiError && e.details.length) {
            return e.details
              .map((d) => (d && typeof d === 'object' && 'message' in d ? String((d as { message: unknown }).message) : ''))
              .filter(Boolean)
              .join('; ');
          }
          return errorMessage(e);
        }
      }}
    />
  );
}
