/**
 * Log-scale histograms for latencies, in the style of DDSketch: a value v > 0
 * falls in bucket i = ceil(log_γ v), which covers (γ^(i-1), γ^i], and is read
 * back as 2γ^i / (γ + 1). With γ = (1 + α) / (1 - α) every value read back is
 * within a relative error α of the true value, whatever its magnitude, so
 * p50/p95/p99 of 0.2 ms and of 20 s are equally trustworthy.
 *
 * α = 2 % gives γ ≈ 1.0408: one decade of latency spans about 57 buckets, and
 * 1 µs .. 1 h about 560 indices; a node's second of traffic fills only the
 * handful its latencies actually hit, because buckets are stored sparsely
 * (Redis hash fields named by index).
 *
 * Values at or below MIN_VALUE_MS (including 0 and negatives, e.g. from
 * clock skew) go to the zero bucket "z", read back as 0.
 *
 * Bucket keys are strings (what Redis stores): "z" or the integer index.
 */
export const RELATIVE_ACCURACY = 0.02;
export const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);
/** 1 µs: below it a duration is indistinguishable from timer noise. */
export const MIN_VALUE_MS = 0.001;
export const ZERO_BUCKET = 'z';

export type BucketCounts = Map<string, number>;

export function bucketKey(valueMs: number): string {
  if (!(valueMs > MIN_VALUE_MS)) return ZERO_BUCKET; // also catches NaN
  // The small epsilon keeps exact powers of γ in their own bucket despite float error.
  return String(Math.ceil(Math.log(valueMs) / LOG_GAMMA - 1e-9));
}

/** The representative value of a bucket: within RELATIVE_ACCURACY of anything in it. */
export function bucketValue(key: string): number {
  if (key === ZERO_BUCKET) return 0;
  const i = Number(key);
  if (!Number.isFinite(i)) return NaN;
  return (2 * Math.pow(GAMMA, i)) / (GAMMA + 1);
}

const order = (key: string) => (key === ZERO_BUCKET ? -Infinity : Number(key));

export function addTo(counts: BucketCounts, key: string, n = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + n);
}

/**
 * Nearest-rank quantiles (q in [0, 1]) of a histogram: the value of the
 * bucket holding the ceil(q·n)-th smallest sample. Empty histogram -> 0.
 * Returns one value per requested quantile, in the order asked.
 */
export function quantiles(counts: BucketCounts, qs: readonly number[]): number[] {
  const entries = [...counts].filter(([k, n]) => n > 0 && !Number.isNaN(order(k)));
  const total = entries.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return qs.map(() => 0);
  entries.sort((a, b) => order(a[0]) - order(b[0]));
  return qs.map((q) => {
    const rank = Math.max(1, Math.ceil(Math.min(1, Math.max(0, q)) * total));
    let seen = 0;
    for (const [k, n] of entries) {
      seen += n;
      if (seen >= rank) return bucketValue(k);
    }
    return bucketValue(entries[entries.length - 1]![0]);
  });
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

/** p50/p95/p99 rounded to 0.01 ms (finer would be below the histogram's own resolution anyway). */
export function percentiles(counts: BucketCounts): Percentiles {
  const [p50, p95, p99] = quantiles(counts, [0.5, 0.95, 0.99]).map((v) => Math.round(v * 100) / 100);
  return { p50: p50!, p95: p95!, p99: p99! };
}
