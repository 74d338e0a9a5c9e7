'use client';

import { useState } from 'react';
import { api } from '@/lib/client/api-client';
import { Button } from '@/components/ui/button';

export function SignOutButton() {
  const [pending, setPending] = useState(false);
  return (
    <Button
      size="sm"
      variant="ghost"
      data-testid="sign-out-button"
      disabled={pending}
      onClick={async () => {
        setPending(true);
        try {
          await api.logout();
        } finally {
          // A full load, so no signed-in page stays in the client router's cache.
          window.location.assign('/login');
        }
      }}
    >
      Sign out
    </Button>
  );
}
