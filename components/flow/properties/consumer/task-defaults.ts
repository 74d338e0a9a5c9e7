import type { Task } from '@/lib/pipeline/schema';

/** Task kinds of the graph language; the external sinks are listed but not offered yet. */
export const TASK_KINDS: ReadonlyArray<{ kind: Task['kind']; name: string; ready: boolean }> = [
  { kind: 'noop', name: 'No-op (pass the message on)', ready: true },
  { kind: 'delay', name: 'Delay (simulated work)', ready: true },
  { kind: 'transform', name: 'Transform (JavaScript)', ready: true },
  { kind: 'http', name: 'HTTP call', ready: true },
  { kind: 'fail', name: 'Fail at a rate (drills)', ready: true },
  { kind: 'route', name: 'Route by condition', ready: true },
  { kind: 'amqp', name: 'RabbitMQ sink', ready: false },
  { kind: 'nats', name: 'NATS sink', ready: false },
  { kind: 'mqtt', name: 'MQTT sink', ready: false },
  { kind: 'zeromq', name: 'ZeroMQ sink', ready: false },
];

/**
 * What a task starts as when the user picks its kind. All valid except the
 * HTTP call's URL, which only the user can give: its field says so at once.
 */
export function defaultTask(kind: string): Task | null {
  switch (kind) {
    case 'noop':
      return { kind: 'noop' };
    case 'delay':
      return { kind: 'delay', ms: 100 };
    case 'transform':
      return { kind: 'transform', code: 'return { ...msg, seenAt: Date.now() };' };
    case 'http':
      return { kind: 'http', method: 'POST', url: '' };
    case 'fail':
      return { kind: 'fail', rate: 0.1 };
    case 'route':
      return { kind: 'route', rules: [] };
    default:
      return null;
  }
}
