import type { z } from 'zod';
import { AppError } from '../errors';
import type { RuntimeContext } from '../runtime/context';
import { getDeployedSpec } from '../runtime/deploy';
import { getRun, waitForRun } from '../runtime/runs';
import { triggerRuns } from '../runtime/trigger';
import { json } from '../api/http';
import { IdempotencyKeySchema, type TriggerBatchBody, type TriggerBody } from './trigger-schemas';

async function deployedSpec(runtime: RuntimeContext, pipelineId: string) {
  const spec = await getDeployedSpec(runtime, pipelineId);
  if (!spec) throw new AppError('not_deployed', 'This pipeline is not deployed; deploy it before triggering runs.');
  return spec;
}

function idempotencyKeyOf(req: Request): string | undefined {
  const raw = req.headers.get('idempotency-key');
  if (raw === null) return undefined;
  const parsed = IdempotencyKeySchema.safeParse(raw);
  if (!parsed.success) throw new AppError('bad_request', 'Idempotency-Key must be 1 to 255 characters.');
  return parsed.data;
}

/** POST /pipelines/:id/runs: one run, optionally waiting for it to finish. */
export async function triggerOne(
  pipelineId: string,
  input: { body: z.infer<typeof TriggerBody>; wait?: number; req: Request },
  { runtime }: { runtime: RuntimeContext },
): Promise<Response> {
  const spec = await deployedSpec(runtime, pipelineId);
  const [runId] = await triggerRuns(runtime, {
    spec,
    producerId: input.body.producerId,
    payloads: [input.body.payload],
    idempotencyKey: idempotencyKeyOf(input.req),
  });
  if (input.wait) {
    const finished = await waitForRun(runtime, runId!, input.wait);
    if (finished) {
      const run = await getRun(runtime, runId!);
      if (run && (run.status === 'completed' || run.status === 'failed')) return json(run, 200);
    }
  }
  return json({ runId }, 202);
}

/** POST /pipelines/:id/runs/batch */
export async function triggerBatch(
  pipelineId: string,
  body: z.infer<typeof TriggerBatchBody>,
  { runtime }: { runtime: RuntimeContext },
): Promise<Response> {
  const spec = await deployedSpec(runtime, pipelineId);
  const runIds = await triggerRuns(runtime, { spec, producerId: body.producerId, payloads: body.payloads });
  return json({ runIds }, 202);
}
