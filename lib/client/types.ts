/**
 * Response shapes of the API as the browser sees them (API.md). The pipeline
 * document types come from lib/, the one place they are defined; the stats
 * shapes are written out here because the browser only reads them.
 */
import type { Graph } from '@/lib/pipeline/schema';
import type { GraphIssue } from '@/lib/pipeline/validate-graph';

export type { Graph, GraphIssue };

export interface Pipeline {
  id: string;
  name: string;
  description: string;
  graph: Graph;
  deployedVersion: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

export interface NodeStats {
  in: number;
  out: number;
  completed: number;
  failed: number;
  retried: number;
  ratePerSec: number;
  serviceMs: Percentiles;
  waitMs: Percentiles;
  waiting?: number;
  active?: number;
  delayed?: number;
  byWorker: Record<string, { completed: number; failed: number }>;
}

export interface WorkerInfo {
  id: string;
  host: string;
  pid: number;
  startedAt: string;
  lastSeenAt: string;
}

export interface PipelineStats {
  at: string;
  nodes: Record<string, NodeStats>;
  workers: WorkerInfo[];
}

export interface AuthStatus {
  needsSetup: boolean;
  user: { email: string } | null;
}

export type RunStatus = 'queued' | 'running' | 'completed' | 'failed';

export interface Run {
  id: string;
  pipelineId: string;
  version: number;
  status: RunStatus;
  steps: Array<{ nodeId: string; status: string; attempts: number; startedAt?: string; finishedAt?: string; error?: string }>;
  output?: unknown;
  createdAt: string;
  finishedAt?: string;
}
