import { describe, expect, it } from 'vitest';
import { issueAt, nodeDataIssues } from './schema-issues';

describe('nodeDataIssues', () => {
  it('is empty for valid data', () => {
    expect(nodeDataIssues('queue', { label: 'Q', attempts: 3, backoff: { type: 'fixed', delayMs: 100, jitter: 0.5 } })).toEqual({});
    expect(nodeDataIssues('consumer', { label: 'C', task: { kind: 'http', method: 'GET', url: 'https://example.com/' } })).toEqual({});
  });

  it('keys issues by their path inside data, as sentences', () => {
    const issues = nodeDataIssues('consumer', {
      label: '',
      concurrency: 1.5,
      task: { kind: 'http', method: 'GET', url: 'nope' },
    });
    expect(issues).toEqual({
      label: 'A label is required.',
      concurrency: 'Must be a whole number.',
      'task.url': 'Must be a full URL, like https://example.com/hook.',
    });
  });

  it('says at most / at least / more than for number bounds', () => {
    expect(issueAt('consumer', { label: 'C', task: { kind: 'fail', rate: 2 } }, ['task', 'rate'])).toBe('Must be at most 1.');
    expect(issueAt('queue', { label: 'Q', backoff: { type: 'fixed', delayMs: -1 } }, ['backoff', 'delayMs'])).toBe('Must be at least 0.');
    expect(issueAt('producer', { label: 'P', source: { kind: 'generator', ratePerSec: 0, count: 5 } }, ['source', 'ratePerSec'])).toBe(
      'Must be more than 0.',
    );
    expect(issueAt('queue', { label: 'Q', priority: 3_000_000 }, ['priority'])).toBe('Must be at most 2,097,152.');
  });

  it('names missing required fields and empty strings', () => {
    const issues = nodeDataIssues('queue', { label: 'Q', rateLimit: { max: 5 } });
    expect(issues['rateLimit.durationMs']).toBe('Required.');
    expect(issueAt('consumer', { label: 'C', task: { kind: 'route', rules: [{ when: '', edgeId: 'e1' }] } }, ['task', 'rules', 0, 'when'])).toBe(
      'Required.',
    );
  });

  it('adds the schedule rule: cron or an interval, exactly one', () => {
    expect(nodeDataIssues('producer', { label: 'P', source: { kind: 'schedule' } })['source.cron']).toMatch(/either a cron/);
    expect(nodeDataIssues('producer', { label: 'P', source: { kind: 'schedule', cron: '* * * * *', everyMs: 1000 } })['source.cron']).toMatch(
      /not both/,
    );
    expect(nodeDataIssues('producer', { label: 'P', source: { kind: 'schedule', everyMs: 1000 } })).toEqual({});
  });

  it('reports an unknown kind', () => {
    expect(nodeDataIssues('producer', { label: 'P', source: { kind: 'weird' } })['source.kind']).toBe('Unknown kind.');
  });
});
