import { z } from 'zod';
import { IdSchema } from '../pipeline/schema';

export const MAX_WAIT_MS = 30_000;
export const MAX_BATCH = 1000;

export const TriggerBody = z.object({ payload: z.unknown(), producerId: IdSchema.optional() });
export const TriggerBatchBody = z.object({
  payloads: z.array(z.unknown()).min(1).max(MAX_BATCH, `at most ${MAX_BATCH} payloads per batch`),
  producerId: IdSchema.optional(),
});
export const TriggerQuery = z.object({
  wait: z.coerce.number().int().min(0).max(MAX_WAIT_MS, `wait is at most ${MAX_WAIT_MS} ms`).optional(),
});
export const IdempotencyKeySchema = z.string().min(1).max(255);

