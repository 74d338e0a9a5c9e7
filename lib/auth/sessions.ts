import type { Db } from '../db';
import { hashPassword, verifyPassword } from './password';
import { randomToken, sha256 } from './tokens';

export const SESSION_COOKIE = 'cv_session';
export const SESSION_TTL_MS = 14 * 24 * 3600 * 1000;

export interface UserPrincipal {
  kind: 'user';
  userId: string;
  email: string;
}

/**
 * Sessions are random tokens in an httpOnly cookie; the database keeps only
 * their hash, so a leaked database does not leak sessions, and sign-out or an
 * expiry revokes them for real.
 */
export async function createSession(db: Db, userId: string): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken(32);
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await db.session.create({ data: { id: sha256(token), userId, expiresAt } });
  return { token, expiresAt };
}

export async function authenticateSession(db: Db, token: string | undefined): Promise<UserPrincipal | null> {
  if (!token || token.length > 200) return null;
  const row = await db.session.findUnique({ where: { id: sha256(token) }, include: { user: true } });
  if (!row) return null;
  if (row.expiresAt.getTime() < Date.now()) {
    await db.session.delete({ where: { id: row.id } }).catch(() => {});
    return null;
  }
  return { kind: 'user', userId: row.userId, email: row.user.email };
}

export async function deleteSession(db: Db, token: string | undefined): Promise<void> {
  if (!token) return;
  await db.session.deleteMany({ where: { id: sha256(token) } });
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export async function countUsers(db: Db): Promise<number> {
  return db.user.count();
}

/** Creates the first (admin) user; refuses once any user exists. */
export async function createFirstUser(db: Db, email: string, password: string) {
  const passwordHash = await hashPassword(password);
  return db.$transaction(async (tx) => {
    if ((await tx.user.count()) > 0) return null;
    return tx.user.create({ data: { email: normalizeEmail(email), passwordHash } });
  });
}

// A real hash to compare against when the email is unknown, so timing does not
// tell which emails have accounts.
let dummyHash: Promise<string> | undefined;

export async function checkCredentials(db: Db, email: string, password: string) {
  const user = await db.user.findUnique({ where: { email: normalizeEmail(email) } });
  if (!user) {
    dummyHash ??= hashPassword('not-a-real-password');
    await verifyPassword(password, await dummyHash);
    return null;
  }
  return (await verifyPassword(password, user.passwordHash)) ? user : null;
}
