import { createHash, randomBytes } from 'node:crypto';

/**
 * Ids Conveyor makes up. BullMQ custom job ids must not contain ':' nor be
 * integers; node ids are [A-Za-z0-9_-] and run ids [a-z0-9_], so '.' is a
 * safe separator.
 */

/**
 * `run_` + milliseconds since the epoch in base 36 (9 digits, so ids sort by
 * creation time until the year 5188) + 64 random bits in base 36. URL-safe.
 */
export function newRunId(now = Date.now()): string {
  const time = now.toString(36).padStart(9, '0');
  const rand = randomBytes(8).readBigUInt64BE().toString(36).padStart(13, '0');
  return `run_${time}${rand}`;
}

/** The job a producer adds to one of its queues for a run. */
export function initialJobId(runId: string, queueNodeId: string): string {
  return `${runId}.${queueNodeId}`;
}

/**
 * The job a consumer adds to `queueNodeId` after processing `parentJobId`.
 * Deterministic, so a retried parent re-adding its children is a no-op for
 * those BullMQ still holds. The parent's id is hashed rather than appended
 * so ids stay short however deep the graph is; 96 bits make a collision
 * within one run negligible.
 */
export function childJobId(runId: string, parentJobId: string, consumerId: string, queueNodeId: string): string {
  const h = createHash('sha256').update(`${parentJobId}/${consumerId}/${queueNodeId}`).digest('base64url').slice(0, 16);
  return `${runId}.${queueNodeId}.${h}`;
}
