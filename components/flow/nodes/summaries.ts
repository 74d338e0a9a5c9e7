/** The one-line summaries node views show under their label. Pure. */
import type { ProducerData, QueueData, Task } from '@/lib/pipeline/schema';
import { formatCount, formatMs } from '../format';

const SOURCE_NAMES: Record<string, string> = {
  http: 'HTTP trigger',
  amqp: 'RabbitMQ',
  nats: 'NATS',
  mqtt: 'MQTT',
  zeromq: 'ZeroMQ',
};

export function sourceSummary(source: ProducerData['source']): string {
  switch (source.kind) {
    case 'schedule':
      return source.cron !== undefined ? `cron ${source.cron}` : source.everyMs ? `every ${formatMs(source.everyMs)}` : 'schedule';
    case 'generator':
      return `generator ${formatCount(source.ratePerSec)}/s × ${formatCount(source.count)}`;
    default:
      return SOURCE_NAMES[source.kind] ?? source.kind;
  }
}

export function queueSummary(data: QueueData): string {
  const parts: string[] = [];
  if (data.attempts && data.attempts > 1) parts.push(`${data.attempts} attempts${data.backoff ? ` (${data.backoff.type === 'fixed' ? 'fixed' : 'exp'})` : ''}`);
  if (data.rateLimit) parts.push(`≤${formatCount(data.rateLimit.max)}/${formatMs(data.rateLimit.durationMs)}`);
  if (data.maxWaiting) parts.push(`cap ${formatCount(data.maxWaiting)}`);
  if (data.priority) parts.push(`prio ${data.priority}`);
  if (data.delayMs) parts.push(`+${formatMs(data.delayMs)}`);
  if (data.dedupe) parts.push('dedupe');
  return parts.join(' · ');
}

export function taskSummary(task: Task): string {
  switch (task.kind) {
    case 'delay': {
      const base = task.distribution === 'exponential' ? `delay ~exp ${formatMs(task.ms)}` : `delay ${formatMs(task.ms)}`;
      return task.jitterMs && task.distribution !== 'exponential' && task.distribution !== 'fixed' ? `${base} ±${formatMs(task.jitterMs)}` : base;
    }
    case 'fail':
      return `fail ${Math.round(task.rate * 100)}%`;
    case 'http':
      return `${task.method} ${hostOf(task.url)}`;
    case 'route':
      return `route · ${task.rules.length} rule${task.rules.length === 1 ? '' : 's'}`;
    case 'transform':
      return 'transform (JS)';
    default:
      return task.kind;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url || 'no URL';
  }
}
