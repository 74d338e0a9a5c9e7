/** Number formatting for dense live figures. */

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

export function formatCount(n: number): string {
  return Math.abs(n) < 100_000 ? whole.format(n) : compact.format(n);
}

export function formatRate(perSec: number): string {
  if (perSec === 0) return '0';
  if (perSec < 10) return perSec.toFixed(1);
  return formatCount(Math.round(perSec));
}

export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) return '–';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}
