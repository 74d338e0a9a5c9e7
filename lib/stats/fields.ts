/**
 * Field names inside the stats hashes (keys.statsTotals / keys.statsSecond).
 * Node ids never contain '|' (IdSchema), so it separates parts unambiguously.
 *
 *   totals hash (counters since deploy)        per-second hash (EXPIRE = STATS_WINDOW_SEC)
 *   _since                 deploy time (ms)     <node>|<counter>            count in that second
 *   <node>|<counter>       count                <node>|svc|<bucket>         service-time histogram
 *   <node>|w|<worker>|completed|failed         <node>|wait|<bucket>        waiting-time histogram
 *
 * counter is one of COUNTERS; bucket is a histogram.ts bucket key.
 */
export const COUNTERS = ['in', 'out', 'completed', 'failed', 'retried'] as const;
export type Counter = (typeof COUNTERS)[number];
export type HistogramName = 'svc' | 'wait';
export type WorkerCounter = 'completed' | 'failed';

export const SINCE_FIELD = '_since';

export const counterField = (nodeId: string, counter: Counter) => `${nodeId}|${counter}`;
export const workerField = (nodeId: string, workerId: string, counter: WorkerCounter) =>
  `${nodeId}|w|${safeWorkerId(workerId)}|${counter}`;
export const histogramField = (nodeId: string, name: HistogramName, bucket: string) => `${nodeId}|${name}|${bucket}`;

/** Worker ids come from WORKER_NAME or host:pid; '|' would break parsing, so it is replaced. */
export const safeWorkerId = (workerId: string) => workerId.replace(/\|/g, '_');

export type ParsedField =
  | { kind: 'counter'; nodeId: string; counter: Counter }
  | { kind: 'worker'; nodeId: string; workerId: string; counter: WorkerCounter }
  | { kind: 'histogram'; nodeId: string; name: HistogramName; bucket: string };

const isCounter = (s: string): s is Counter => (COUNTERS as readonly string[]).includes(s);

/** Null for fields this version does not know (e.g. written by a newer worker): readers skip them. */
export function parseField(field: string): ParsedField | null {
  const parts = field.split('|');
  const nodeId = parts[0];
  if (!nodeId) return null;
  if (parts.length === 2 && isCounter(parts[1]!)) return { kind: 'counter', nodeId, counter: parts[1] };
  if (parts.length === 3 && (parts[1] === 'svc' || parts[1] === 'wait') && parts[2]) {
    return { kind: 'histogram', nodeId, name: parts[1], bucket: parts[2] };
  }
  if (parts.length === 4 && parts[1] === 'w' && parts[2] && (parts[3] === 'completed' || parts[3] === 'failed')) {
    return { kind: 'worker', nodeId, workerId: parts[2], counter: parts[3] };
  }
  return null;
}
