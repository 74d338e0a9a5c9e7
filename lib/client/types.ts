/**
 * Response shapes of the API as the browser sees them (API.md). They are the
 * types lib/ defines once (graph, pipeline, stats, run), re-exported as types
 * only, so nothing server-side ends up in the browser bundle.
 */
export type { Graph } from '@/lib/pipeline/schema';
export type { GraphIssue } from '@/lib/pipeline/validate-graph';
export type { PipelineDto as Pipeline } from '@/lib/pipelines/schemas';
export type { NodeStats, PipelineStats, Percentiles, WorkerStatus } from '@/lib/stats/types';
export type { Run, RunStatus } from '@/lib/runtime/runs';

export interface AuthStatus {
  needsSetup: boolean;
  user: { email: string } | null;
}
