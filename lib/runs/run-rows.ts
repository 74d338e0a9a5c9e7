import { RunStatusSchema, RunStepSchema, type Run } from '../runtime/runs';

/**
 * A finished run as a row of the Run table and back, so a run read from the
 * database looks like one read from Redis (API.md's Run). One difference:
 * Prisma reads a JSON null and SQL NULL alike, so a run whose sink returned
 * null reads back without `output`, as does a run with no output.
 */

export interface RunRow {
  id: string;
  pipelineId: string;
  version: number;
  status: string;
  steps: unknown;
  output: unknown;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** The run's error: that of the first step (in start order) that failed for good. */
export function runError(run: Run): string | null {
  if (run.status !== 'failed') return null;
  const failed = run.steps.filter((s) => s.status === 'failed');
  return (failed.find((s) => s.error) ?? failed[0])?.error ?? null;
}

export function fromRunRow(row: RunRow): Run {
  const status = RunStatusSchema.safeParse(row.status);
  const steps = RunStepSchema.array().safeParse(row.steps);
  const run: Run = {
    id: row.id,
    pipelineId: row.pipelineId,
    version: row.version,
    status: status.success ? status.data : 'failed',
    steps: steps.success ? steps.data : [],
    createdAt: row.createdAt.toISOString(),
  };
  if (row.output !== null && row.output !== undefined) run.output = row.output;
  if (row.finishedAt) run.finishedAt = row.finishedAt.toISOString();
  return run;
}
