import { route, readCookie } from '@/lib/api/route';
import { clearSessionCookie } from '@/lib/auth/cookies';
import { deleteSession, SESSION_COOKIE } from '@/lib/auth/sessions';

export const POST = route({ auth: 'none' }, async ({ req, services }) => {
  await deleteSession(services.db, readCookie(req, SESSION_COOKIE));
  return new Response(null, { status: 204, headers: { 'set-cookie': clearSessionCookie(!!services.env.COOKIE_SECURE) } });
});
