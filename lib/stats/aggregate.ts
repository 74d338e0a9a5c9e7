import { parseField, SINCE_FIELD, type Counter } from './fields';
import { addTo, percentiles, type BucketCounts } from './histogram';
import type { NodeStats } from './types';

/**
 * Pure part of the stats reader: raw Redis hashes in, API NodeStats out.
 * Kept apart from the Redis calls so the arithmetic is unit-tested.
 */
export type NodeKind = 'producer' | 'queue' | 'consumer';

export interface RawStats {
  /** HGETALL of the totals hash. */
  totals: Record<string, string>;
  /** HGETALL of each per-second hash read, with its epoch second. */
  seconds: Array<{ sec: number; fields: Record<string, string> }>;
}

/** Seconds of history behind rates and percentiles (API.md: "over the last 60 s"). */
export const WINDOW_SEC = 60;

const RATE_COUNTER: Record<NodeKind, Counter> = { producer: 'out', queue: 'in', consumer: 'completed' };

const num = (s: string | undefined) => {
  const n = Number(s);
  return Number.isFinite(n) ? n : 0;
};

/** A node with nothing counted yet. */
export function emptyNodeStats(): NodeStats {
  return {
    in: 0,
    out: 0,
    completed: 0,
    failed: 0,
    retried: 0,
    ratePerSec: 0,
    serviceMs: { p50: 0, p95: 0, p99: 0 },
    waitMs: { p50: 0, p95: 0, p99: 0 },
    byWorker: {},
  };
}

/**
 * @param nodes every node of the deployed spec, with its kind
 * @param nowSec the reader's current epoch second
 *
 * Rates count the 60 complete seconds [now-60, now-1] (the current second
 * is still filling) divided by 60, or by the seconds since deploy when the
 * pipeline is younger than that. Percentiles use the 60 seconds
 * [now-59, now], current second included, so a fresh sample shows at once.
 */
export function aggregateNodeStats(
  nodes: ReadonlyArray<{ id: string; kind: NodeKind }>,
  raw: RawStats,
  nowSec: number,
): Record<string, NodeStats> {
  const out: Record<string, NodeStats> = {};
  const kindOf = new Map(nodes.map((n) => [n.id, n.kind]));
  for (const n of nodes) out[n.id] = emptyNodeStats();

  for (const [field, value] of Object.entries(raw.totals)) {
    const f = parseField(field);
    if (!f) continue;
    const node = out[f.nodeId];
    if (!node) continue; // a node removed by a redeploy
    if (f.kind === 'counter') node[f.counter] += num(value);
    else if (f.kind === 'worker') {
      const w = (node.byWorker[f.workerId] ??= { completed: 0, failed: 0 });
      w[f.counter] += num(value);
    }
  }

  const sinceMs = num(raw.totals[SINCE_FIELD]);
  const age = sinceMs > 0 ? nowSec - Math.floor(sinceMs / 1000) : WINDOW_SEC;
  const rateDivisor = Math.min(WINDOW_SEC, Math.max(1, age));
  const rateSums = new Map<string, number>();
  const svc = new Map<string, BucketCounts>();
  const wait = new Map<string, BucketCounts>();

  for (const { sec, fields } of raw.seconds) {
    if (sec < nowSec - WINDOW_SEC || sec > nowSec) continue;
    const countsForRate = sec <= nowSec - 1;
    const countsForLatency = sec > nowSec - WINDOW_SEC;
    for (const [field, value] of Object.entries(fields)) {
      const f = parseField(field);
      if (!f || !out[f.nodeId]) continue;
      if (f.kind === 'counter') {
        if (countsForRate && f.counter === RATE_COUNTER[kindOf.get(f.nodeId)!]) {
          rateSums.set(f.nodeId, (rateSums.get(f.nodeId) ?? 0) + num(value));
        }
      } else if (f.kind === 'histogram' && countsForLatency) {
        const target = f.name === 'svc' ? svc : wait;
        let h = target.get(f.nodeId);
        if (!h) target.set(f.nodeId, (h = new Map()));
        addTo(h, f.bucket, num(value));
      }
    }
  }

  for (const [id, node] of Object.entries(out)) {
    node.ratePerSec = Math.round(((rateSums.get(id) ?? 0) / rateDivisor) * 100) / 100;
    const s = svc.get(id);
    const w = wait.get(id);
    if (s) node.serviceMs = percentiles(s);
    if (w) node.waitMs = percentiles(w);
  }
  return out;
}
