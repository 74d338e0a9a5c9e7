import { route } from '@/lib/api/route';
import { countUsers } from '@/lib/auth/sessions';

export const GET = route({ auth: 'none' }, async ({ principal, services }) => ({
  needsSetup: (await countUsers(services.db)) === 0,
  user: principal?.kind === 'user' ? { email: principal.email } : null,
}));
