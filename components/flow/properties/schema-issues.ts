/**
 * Inline validation for the properties panel: a node's data parsed with its
 * type's schema from lib/pipeline/schema.ts (the same schemas the API applies
 * on save), the issues keyed by their path inside `data` ("task.url",
 * "backoff.jitter", "task.rules.0.when") so each sits next to its field.
 */
import type { z } from 'zod';
import { ConsumerDataSchema, ProducerDataSchema, QueueDataSchema, type NodeType } from '@/lib/pipeline/schema';

const SCHEMAS = { producer: ProducerDataSchema, queue: QueueDataSchema, consumer: ConsumerDataSchema } as const;

export type DataPath = ReadonlyArray<string | number>;
/** Path "a.b.0" -> a sentence for the user. One message per path: the first. */
export type FieldIssues = Readonly<Record<string, string>>;

export const pathKey = (path: DataPath) => path.map(String).join('.');

export function nodeDataIssues(type: NodeType, data: unknown): FieldIssues {
  const out: Record<string, string> = {};
  const result = SCHEMAS[type].safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues) out[pathKey(issue.path as DataPath)] ??= friendlyMessage(issue);
  }
  // A rule of validateGraph that belongs to one field: schedule takes cron or an interval.
  const source = type === 'producer' ? (data as { source?: { kind?: string; cron?: unknown; everyMs?: unknown } }).source : undefined;
  if (source?.kind === 'schedule' && (source.cron === undefined) === (source.everyMs === undefined)) {
    out['source.cron'] ??= 'Give either a cron expression or an interval, not both.';
  }
  return out;
}

/** The message for one path when `data` is invalid there, else null. */
export function issueAt(type: NodeType, data: unknown, path: DataPath): string | null {
  return nodeDataIssues(type, data)[pathKey(path)] ?? null;
}

const sentence = (text: string) => {
  const t = text.trim();
  return t ? t[0]!.toUpperCase() + t.slice(1) + (/[.!?]$/.test(t) ? '' : '.') : 'Invalid value.';
};

/** zod's issue as a short sentence ("Must be at most 1."), keeping the schemas' own custom messages. */
export function friendlyMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_big':
      if (issue.origin === 'number' || issue.origin === 'int') {
        return issue.inclusive ? `Must be at most ${fmt(issue.maximum)}.` : `Must be less than ${fmt(issue.maximum)}.`;
      }
      if (issue.origin === 'string') return `At most ${fmt(issue.maximum)} characters.`;
      if (issue.origin === 'array') return `At most ${fmt(issue.maximum)} entries.`;
      break;
    case 'too_small':
      if (issue.origin === 'number' || issue.origin === 'int') {
        return issue.inclusive ? `Must be at least ${fmt(issue.minimum)}.` : `Must be more than ${fmt(issue.minimum)}.`;
      }
      if (issue.origin === 'string') {
        if (!issue.message.startsWith('Too small')) return sentence(issue.message);
        return Number(issue.minimum) <= 1 ? 'Required.' : `At least ${fmt(issue.minimum)} characters.`;
      }
      break;
    case 'invalid_type':
      // Issues do not carry the input (zod's reportInput is off); the message says what was received.
      if (/received undefined$/.test(issue.message)) return 'Required.';
      if (issue.expected === 'int') return 'Must be a whole number.';
      if (issue.expected === 'number') return 'Must be a number.';
      break;
    case 'invalid_format':
      if (issue.format === 'url') return 'Must be a full URL, like https://example.com/hook.';
      break;
    case 'invalid_union':
      if (issue.path.at(-1) === 'kind') return 'Unknown kind.';
      break;
  }
  return sentence(issue.message);
}

const fmt = (n: number | bigint) => (typeof n === 'number' ? n.toLocaleString('en-US') : String(n));
