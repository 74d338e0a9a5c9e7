import { describe, expect, it } from 'vitest';
import { emptyNodeStats } from '../stats/aggregate';
import type { NodeStats } from '../stats/types';
import { applySnapshot, type NodeSample } from './apply-snapshot';
import { createMetrics } from './registry';

const stats = (s: Partial<NodeStats>): NodeStats => ({ ...emptyNodeStats(), ...s });

const node = (node_id: string, node_type: NodeSample['labels']['node_type'], s: Partial<NodeStats>): NodeSample => ({
  labels: { pipeline_id: 'p1', pipeline: 'Orders "EU"', node_id, node_type },
  stats: stats(s),
});

const labels = (id: string, type: string) => `pipeline_id="p1",pipeline="Orders \\"EU\\"",node_id="${id}",node_type="${type}"`;

describe('applySnapshot', () => {
  it('writes each node the series of its type, in Prometheus text with escaped labels', async () => {
    const m = createMetrics();
    applySnapshot(m, {
      pipelinesDeployed: 1,
      workers: 2,
      nodes: [
        node('p', 'producer', { out: 7, ratePerSec: 1.5 }),
        node('q', 'queue', { in: 7, out: 5, waiting: 2, active: 0, delayed: 1, serviceMs: { p50: 4, p95: 9.5, p99: 12 }, waitMs: { p50: 0.52, p95: 2, p99: 3 } }),
        node('c', 'consumer', { in: 6, out: 4, completed: 4, failed: 1, retried: 1, serviceMs: { p50: 4, p95: 9.5, p99: 12 } }),
      ],
    });
    const text = await m.registry.metrics();
    const lines = text.split('\n');
    expect(lines).toContain('conveyor_pipelines_deployed 1');
    expect(lines).toContain('conveyor_workers 2');
    expect(lines).toContain(`conveyor_node_messages_out_total{${labels('p', 'producer')}} 7`);
    expect(lines).toContain(`conveyor_node_messages_in_total{${labels('p', 'producer')}} 0`);
    expect(lines).toContain(`conveyor_node_rate_per_second{${labels('p', 'producer')}} 1.5`);
    expect(lines).toContain(`conveyor_queue_waiting{${labels('q', 'queue')}} 2`);
    expect(lines).toContain(`conveyor_queue_delayed{${labels('q', 'queue')}} 1`);
    expect(lines).toContain(`conveyor_node_service_seconds{${labels('q', 'queue')},quantile="0.95"} 0.0095`);
    expect(lines).toContain(`conveyor_node_wait_seconds{${labels('q', 'queue')},quantile="0.99"} 0.003`);
    expect(lines).toContain(`conveyor_node_wait_seconds{${labels('q', 'queue')},quantile="0.5"} 0.00052`);
    expect(lines).toContain(`conveyor_node_completed_total{${labels('c', 'consumer')}} 4`);
    expect(lines).toContain(`conveyor_node_failed_total{${labels('c', 'consumer')}} 1`);
    expect(lines).toContain(`conveyor_node_retried_total{${labels('c', 'consumer')}} 1`);
    expect(lines).toContain('# TYPE conveyor_node_completed_total counter');
    expect(lines).toContain('# TYPE conveyor_node_service_seconds gauge');
    // Series that would always be 0 for a node type are left out.
    expect(text).not.toMatch(/conveyor_node_completed_total\{[^}]*node_type="(producer|queue)"/);
    expect(text).not.toMatch(/conveyor_queue_\w+\{[^}]*node_type="(producer|consumer)"/);
    expect(text).not.toMatch(/conveyor_node_(service|wait)_seconds\{[^}]*node_type="producer"/);
    expect(text).toMatch(/# HELP conveyor_node_messages_in_total .*a deploy resets them to 0/);
  });

  it('replaces the previous scrape: an undeployed pipeline has no series left', async () => {
    const m = createMetrics();
    applySnapshot(m, { pipelinesDeployed: 1, workers: 1, nodes: [node('c', 'consumer', { completed: 3 })] });
    applySnapshot(m, { pipelinesDeployed: 0, workers: 0, nodes: [] });
    const text = await m.registry.metrics();
    expect(text).not.toContain('node_id=');
    expect(text.split('\n')).toContain('conveyor_pipelines_deployed 0');
  });

  it('never fails a scrape over a negative or non-numeric total', async () => {
    const m = createMetrics();
    applySnapshot(m, { pipelinesDeployed: 1, workers: 0, nodes: [node('c', 'consumer', { in: -2, completed: Number.NaN })] });
    const lines = (await m.registry.metrics()).split('\n');
    expect(lines).toContain(`conveyor_node_messages_in_total{${labels('c', 'consumer')}} 0`);
    expect(lines).toContain(`conveyor_node_completed_total{${labels('c', 'consumer')}} 0`);
  });
});
