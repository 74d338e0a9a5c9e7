'use client';

import type { NodeStats } from '@/lib/client/types';
import { useEditor } from './editor-context';
import { isQueuePaused } from './live-ops';

/**
 * Whether a deployed queue is paused, as far as the editor knows (see
 * isQueuePaused). Selects primitives only, so a stats tick that leaves the
 * flag alone re-renders nothing; the clock is read at render time.
 */
export function useQueuePaused(id: string): boolean {
  const deployed = useEditor((s) => s.deployedVersion !== null);
  const reported = useEditor((s) => (s.stats[id] as { paused?: unknown } | undefined)?.paused);
  const local = useEditor((s) => s.queuePauses[id]);
  if (!deployed) return false;
  const stats = (typeof reported === 'boolean' ? { paused: reported } : undefined) as NodeStats | undefined;
  return isQueuePaused(stats, local, Date.now());
}
