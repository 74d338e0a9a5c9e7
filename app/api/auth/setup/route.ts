import { json } from '@/lib/api/http';
import { route } from '@/lib/api/route';
import { sessionCookie } from '@/lib/auth/cookies';
import { CredentialsBody } from '@/lib/auth/schemas';
import { createFirstUser, createSession } from '@/lib/auth/sessions';
import { AppError } from '@/lib/errors';

/** First start only: creates the admin user and signs them in. */
export const POST = route({ auth: 'none', body: CredentialsBody }, async ({ body, services }) => {
  const user = await createFirstUser(services.db, body.email, body.password);
  if (!user) throw new AppError('conflict', 'Setup is done already: sign in instead.');
  const { token } = await createSession(services.db, user.id);
  return json({ user: { email: user.email } }, 201, { 'set-cookie': sessionCookie(token, !!services.env.COOKIE_SECURE) });
});
