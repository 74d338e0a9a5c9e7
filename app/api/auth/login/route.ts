import { json } from '@/lib/api/http';
import { route } from '@/lib/api/route';
import { sessionCookie } from '@/lib/auth/cookies';
import { LoginBody } from '@/lib/auth/schemas';
import { checkCredentials, createSession } from '@/lib/auth/sessions';
import { AppError } from '@/lib/errors';

export const POST = route({ auth: 'none', body: LoginBody }, async ({ body, services }) => {
  const user = await checkCredentials(services.db, body.email, body.password);
  if (!user) throw new AppError('unauthorized', 'The email or password is wrong.');
  const { token } = await createSession(services.db, user.id);
  return json({ user: { email: user.email } }, 200, { 'set-cookie': sessionCookie(token, !!services.env.COOKIE_SECURE) });
});
