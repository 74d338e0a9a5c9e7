/**
 * What the editor knows about operations on a deployed pipeline (generator
 * progress, paused queues) beyond the per-node counters, and the small rules
 * for reading it. Pure, so it is tested without a browser.
 */
import type { GeneratorStatus, NodeStats } from '@/lib/client/types';

export interface GeneratorView {
  status: GeneratorStatus | null;
  /** The server has no generator routes (yet): the controls say so and polling stops. */
  unsupported?: boolean;
  /** The last call's problem ("not in the deployed version"), shown beside the controls. */
  error?: string | null;
}

export const POLL_RUNNING_MS = 1000;
export const POLL_IDLE_MS = 5000;

/**
 * How long until the next status poll: about a second while a generator
 * runs, a slow poll otherwise (a generator may be started through the API),
 * none when the server has no such route for any of them.
 */
export function nextPollDelay(views: ReadonlyArray<GeneratorView | undefined>): number | null {
  if (views.length > 0 && views.every((v) => v?.unsupported)) return null;
  return views.some((v) => v?.status?.state === 'running') ? POLL_RUNNING_MS : POLL_IDLE_MS;
}

/** A pause/resume the user just did, kept until the stats (when they carry `paused`) catch up. */
export interface LocalPause {
  paused: boolean;
  at: number;
}
export const LOCAL_PAUSE_TRUST_MS = 3000;

/**
 * Whether a queue is paused: the stats' own `paused` flag when the server
 * sends one, except in the seconds right after the user's own click (the
 * next tick may predate it); the user's last action otherwise.
 */
export function isQueuePaused(stats: NodeStats | undefined, local: LocalPause | undefined, now: number): boolean {
  const reported = (stats as { paused?: unknown } | undefined)?.paused;
  if (typeof reported === 'boolean' && (!local || now - local.at > LOCAL_PAUSE_TRUST_MS)) return reported;
  return local?.paused ?? false;
}

/** 0..1 for a progress bar; 0 without a count. */
export function generatorProgress(status: Pick<GeneratorStatus, 'sent' | 'count'> | null | undefined): number {
  if (!status || !(status.count > 0)) return 0;
  return Math.min(1, Math.max(0, status.sent / status.count));
}
