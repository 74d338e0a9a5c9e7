import { redirect } from 'next/navigation';
import { connection } from 'next/server';
import { getCurrentUser, needsSetup } from './current-user';

/**
 * Page guards for server components. They only decide where the browser goes;
 * the data itself comes through the API, which authorises every call again.
 * `connection()` keeps these pages out of build-time prerendering: they read
 * the database on every request.
 */
export async function requireUser(nextPath?: string): Promise<{ id: string; email: string }> {
  await connection();
  const user = await getCurrentUser();
  if (user) return user;
  if (await needsSetup()) redirect('/setup');
  redirect(nextPath && nextPath !== '/' ? `/login?next=${encodeURIComponent(nextPath)}` : '/login');
}

/** For /login: first start goes to /setup, a signed-in user goes home. */
export async function redirectIfSignedIn(): Promise<void> {
  await connection();
  if (await needsSetup()) redirect('/setup');
  if (await getCurrentUser()) redirect('/');
}

/** For /setup: only while no user exists. */
export async function requireSetupPending(): Promise<void> {
  await connection();
  if (!(await needsSetup())) redirect((await getCurrentUser()) ? '/' : '/login');
}
