import type { Db } from '../db';
import type { RuntimeContext } from '../runtime/context';
import { unpublishSpec } from '../runtime/deploy';
import { getPipelineRow } from './crud-pipelines';

/**
 * Stops the pipeline: workers close its consumers within a second. Jobs
 * already waiting stay in their queues, visible to operators.
 */
export async function undeployPipeline(id: string, { db, runtime }: { db: Db; runtime: RuntimeContext }): Promise<void> {
  await getPipelineRow(id, { db });
  await unpublishSpec(runtime, id);
  await db.pipeline.update({ where: { id }, data: { deployedVersion: null } });
}

export async function deletePipeline(id: string, deps: { db: Db; runtime: RuntimeContext }): Promise<void> {
  await undeployPipeline(id, deps);
  await deps.db.pipeline.delete({ where: { id } });
}
