import { mkdirSync } from 'node:fs';
import { request, type FullConfig } from '@playwright/test';
import { E2E_ADMIN } from '../playwright.config';

/**
 * Signs in once through the API and saves the session, so tests start signed
 * in instead of clicking through the login form every time.
 */
export default async function globalSetup(config: FullConfig) {
  const baseURL = config.projects[0]!.use.baseURL!;
  const ctx = await request.newContext({ baseURL });
  const res = await ctx.post('/api/auth/login', { data: E2E_ADMIN });
  if (!res.ok()) throw new Error(`e2e sign-in failed: ${res.status()} ${await res.text()}`);
  mkdirSync('e2e/.auth', { recursive: true });
  await ctx.storageState({ path: 'e2e/.auth/admin.json' });
  await ctx.dispose();
}
