import { z } from 'zod';
import { GraphSchema } from '../pipeline/schema';

/** Request and response schemas of the pipeline routes; also feed the OpenAPI document. */
export const PipelineNameSchema = z.string().trim().min(1, 'a name is required').max(120);

export const CreatePipelineBody = z.object({
  name: PipelineNameSchema,
  description: z.string().max(2000).optional(),
  graph: GraphSchema,
});
export type CreatePipelineInput = z.infer<typeof CreatePipelineBody>;

export const UpdatePipelineBody = z.object({
  name: PipelineNameSchema.optional(),
  description: z.string().max(2000).optional(),
  graph: GraphSchema.optional(),
});
export type UpdatePipelineInput = z.infer<typeof UpdatePipelineBody>;

export const PipelineSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  graph: GraphSchema,
  deployedVersion: z.number().int().nullable(),
  /** Added to API.md's shape: when the deployed version was deployed; null when not deployed. */
  deployedAt: z.string().nullable(),
  /**
   * Added to API.md's shape: the draft differs from the deployed version in
   * anything but node positions (lib/pipelines/draft-changed.ts); false when
   * nothing is deployed.
   */
  draftChanged: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PipelineDto = z.infer<typeof PipelineSchema>;
