import { z } from 'zod';
import { RunSchema, RunStatusSchema } from '../runtime/runs';

/** Query and response of GET /pipelines/:id/runs; also feed the OpenAPI document. */
export const MAX_RUN_PAGE = 100;

export const RunListQuery = z.object({
  status: RunStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_RUN_PAGE, `limit is at most ${MAX_RUN_PAGE}`).default(20),
  /** nextCursor of the previous page, as given. */
  cursor: z.string().min(1).max(200).optional(),
});
export type RunListInput = z.infer<typeof RunListQuery>;

export const RunListSchema = z.object({
  items: z.array(RunSchema),
  /** Present when there are older runs: pass it as ?cursor= for the next page. */
  nextCursor: z.string().optional(),
});
export type RunList = z.infer<typeof RunListSchema>;
