import { describe, expect, it } from 'vitest';
import { consumerNode, edge, queueNode, specOf } from '../testing';
import type { PipelineNode } from '../../pipeline/schema';
import { desiredSchedules, tickFireTime } from './schedules';

const producer = (id: string, source: Record<string, unknown>): PipelineNode =>
  ({ id, type: 'producer', position: { x: 0, y: 0 }, data: { label: id, source } }) as PipelineNode;

describe('desiredSchedules', () => {
  it('wants one scheduler per schedule producer: cron in UTC or an interval; other producers none', () => {
    const spec = specOf(
      {
        nodes: [
          producer('every', { kind: 'schedule', everyMs: 1000, payload: { a: 1 } }),
          producer('cron', { kind: 'schedule', cron: '0 9 * * 1' }),
          producer('gen', { kind: 'generator', ratePerSec: 10, count: 10 }),
          producer('http', { kind: 'http' }),
          queueNode('q'),
          consumerNode('c', { kind: 'noop' }),
        ],
        edges: [edge('every', 'q'), edge('cron', 'q'), edge('gen', 'q'), edge('http', 'q'), edge('q', 'c')],
      },
      'p1',
    );
    expect([...desiredSchedules([spec]).values()]).toEqual([
      { id: 'p1.every', repeat: { every: 1000 }, data: { pipelineId: 'p1', producerId: 'every' } },
      { id: 'p1.cron', repeat: { pattern: '0 9 * * 1', tz: 'UTC' }, data: { pipelineId: 'p1', producerId: 'cron' } },
    ]);
  });
});

describe('tickFireTime', () => {
  it('reads the planned time from the scheduler job id, else falls back to timestamp + delay', () => {
    expect(tickFireTime({ id: 'repeat:p1.s:1700000000123', timestamp: 1, delay: 0 })).toBe(1_700_000_000_123);
    expect(tickFireTime({ id: 'odd', timestamp: 1000, delay: 50 })).toBe(1050);
  });
});
