import { cookies } from 'next/headers';
import { authenticateSession, countUsers, SESSION_COOKIE } from '@/lib/auth/sessions';
import { getServices } from '@/lib/services';

/** The signed-in user of this request, for server components that guard pages. */
export async function getCurrentUser(): Promise<{ id: string; email: string } | null> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  const principal = await authenticateSession(getServices().db, token);
  return principal ? { id: principal.userId, email: principal.email } : null;
}

/** True until the first user has been created. */
export async function needsSetup(): Promise<boolean> {
  return (await countUsers(getServices().db)) === 0;
}
