import type { ApiKeyPrincipal } from '../auth/api-keys';
import type { UserPrincipal } from '../auth/sessions';
import { AppError } from '../errors';

export type Principal = UserPrincipal | ApiKeyPrincipal;

export const isAdmin = (p: Principal) => p.kind === 'user' || p.scope === 'admin';

export function requireAdmin(p: Principal): void {
  if (!isAdmin(p)) throw new AppError('forbidden', 'This needs an admin key.');
}

/** Trigger-scoped keys may trigger and read runs of the pipelines they name. */
export function requirePipelineAccess(p: Principal, pipelineId: string): void {
  if (isAdmin(p)) return;
  if (p.kind === 'key' && p.pipelineIds.includes(pipelineId)) return;
  throw new AppError('forbidden', 'This key is not allowed to use this pipeline.');
}
