/**
 * Response shapes of the API as the browser sees them (API.md). They are the
 * types lib/ defines once (graph, pipeline, stats, run), re-exported as types
 * only, so nothing server-side ends up in the browser bundle.
 */
import type { PipelineStats } from '@/lib/stats/types';

export type { Graph } from '@/lib/pipeline/schema';
export type { GraphIssue } from '@/lib/pipeline/validate-graph';
export type { PipelineDto as Pipeline } from '@/lib/pipelines/schemas';
export type { NodeStats, PipelineStats, Percentiles, WorkerStatus } from '@/lib/stats/types';
export type { Run, RunStatus } from '@/lib/runtime/runs';

export interface AuthStatus {
  needsSetup: boolean;
  user: { email: string } | null;
}

/**
 * Fields a pipeline gains with versions (additive to API.md). Read as
 * optional: a server without them leaves them out, and the editor then shows
 * nothing rather than guessing.
 */
export interface PipelineVersionInfo {
  deployedAt?: string | null;
  draftChanged?: boolean;
}

/** GET /api/v1/pipelines/:id/producers/:nodeId, a load generator's progress. */
export type GeneratorState = 'idle' | 'running' | 'stopped' | 'done';
export interface GeneratorStatus {
  state: GeneratorState;
  sent: number;
  count: number;
  ratePerSec: number;
  startedAt?: string;
  finishedAt?: string;
}

/** The stats body, with the fields later releases may add to it (read when present). */
export type LiveStats = PipelineStats & { generators?: Record<string, GeneratorStatus> };
