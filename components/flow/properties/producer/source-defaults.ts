import type { Source } from '@/lib/pipeline/schema';

/** Source kinds of the graph language; the external ones are listed but not offered yet. */
export const SOURCE_KINDS: ReadonlyArray<{ kind: Source['kind']; name: string; ready: boolean }> = [
  { kind: 'http', name: 'HTTP (REST trigger)', ready: true },
  { kind: 'schedule', name: 'Schedule (cron / interval)', ready: true },
  { kind: 'generator', name: 'Load generator', ready: true },
  { kind: 'amqp', name: 'RabbitMQ (AMQP)', ready: false },
  { kind: 'nats', name: 'NATS', ready: false },
  { kind: 'mqtt', name: 'MQTT', ready: false },
  { kind: 'zeromq', name: 'ZeroMQ', ready: false },
];

export const DEFAULT_EVERY_MS = 60_000;
export const DEFAULT_CRON = '*/5 * * * *';

/**
 * A valid source of `kind` to start from. A payload template carries over
 * between schedule and generator, so switching between them loses nothing.
 */
export function defaultSource(kind: string, previous: Source): Source | null {
  const payload = 'payload' in previous && previous.payload !== undefined ? { payload: previous.payload } : {};
  switch (kind) {
    case 'http':
      return { kind: 'http' };
    case 'schedule':
      return { kind: 'schedule', everyMs: DEFAULT_EVERY_MS, ...payload };
    case 'generator':
      return { kind: 'generator', ratePerSec: 10, count: 100, ...(payload.payload !== undefined ? payload : { payload: { n: '{{seq}}' } }) };
    default:
      return null;
  }
}
