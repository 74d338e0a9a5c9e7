import type { Env } from '../lib/env';
import { createDb } from '../lib/db';
import { createFirstUser } from '../lib/auth/sessions';

/** ADMIN_EMAIL / ADMIN_PASSWORD create the first user at start, so a server needs no browser to set up. */
export async function bootstrapAdmin(env: Env): Promise<void> {
  if (!env.ADMIN_EMAIL || !env.ADMIN_PASSWORD) return;
  const db = createDb(env.DATABASE_URL);
  try {
    const user = await createFirstUser(db, env.ADMIN_EMAIL, env.ADMIN_PASSWORD);
    if (user) process.stdout.write(`[conveyor] created the admin user ${user.email}\n`);
  } finally {
    await db.$disconnect();
  }
}
