import { z } from 'zod';
import type { Db } from '../db';
import { randomToken, sha256 } from './tokens';

export const API_KEY_PREFIX = 'cvk_';
export const ScopeSchema = z.enum(['admin', 'trigger']);
export type Scope = z.infer<typeof ScopeSchema>;

export interface ApiKeyPrincipal {
  kind: 'key';
  keyId: string;
  name: string;
  scope: Scope;
  pipelineIds: string[];
}

export interface CreatedApiKey {
  id: string;
  key: string;
  name: string;
  scope: Scope;
  pipelineIds: string[];
}

/** Creates a key; the key itself is returned once and only its hash is stored. */
export async function createApiKey(
  db: Db,
  input: { name: string; scope: Scope; pipelineIds?: string[] },
): Promise<CreatedApiKey> {
  const key = API_KEY_PREFIX + randomToken(32);
  const pipelineIds = input.pipelineIds ?? [];
  const row = await db.apiKey.create({
    data: { name: input.name, prefix: key.slice(0, 12), hash: sha256(key), scope: input.scope, pipelineIds },
  });
  return { id: row.id, key, name: row.name, scope: input.scope, pipelineIds };
}

/** The principal for a presented key, or null when it is unknown or revoked. */
export async function authenticateApiKey(db: Db, key: string): Promise<ApiKeyPrincipal | null> {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) return null;
  const row = await db.apiKey.findUnique({ where: { hash: sha256(key) } });
  if (!row || row.revokedAt) return null;
  const scope = ScopeSchema.safeParse(row.scope);
  if (!scope.success) return null;
  const ids = z.array(z.string()).safeParse(row.pipelineIds);
  // lastUsedAt is informative; at most one write a minute per key keeps it off the hot path.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    void db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => {});
  }
  return { kind: 'key', keyId: row.id, name: row.name, scope: scope.data, pipelineIds: ids.success ? ids.data : [] };
}
