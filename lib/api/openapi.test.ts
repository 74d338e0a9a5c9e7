import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from './openapi';

describe('OpenAPI document', () => {
  const doc = buildOpenApiDocument() as unknown as { openapi: string; paths: Record<string, Record<string, { requestBody?: unknown }>>; components: { schemas: Record<string, unknown> } };

  it('describes every route of the public contract', () => {
    for (const p of [
      '/api/health',
      '/api/v1/pipelines',
      '/api/v1/pipelines/{id}',
      '/api/v1/pipelines/{id}/validate',
      '/api/v1/pipelines/{id}/deploy',
      '/api/v1/pipelines/{id}/undeploy',
      '/api/v1/pipelines/{id}/runs',
      '/api/v1/pipelines/{id}/runs/batch',
      '/api/v1/runs/{runId}',
      '/api/v1/pipelines/{id}/stats',
      '/api/v1/pipelines/{id}/stats/stream',
      '/api/v1/pipelines/{id}/queues/{nodeId}/jobs',
      '/api/v1/pipelines/{id}/queues/{nodeId}/jobs/{jobId}/retry',
      '/api/v1/pipelines/{id}/queues/{nodeId}/retry-failed',
      '/api/v1/pipelines/{id}/queues/{nodeId}/pause',
      '/api/v1/pipelines/{id}/queues/{nodeId}/resume',
    ]) {
      expect(doc.paths[p], p).toBeDefined();
    }
  });

  it('derives request bodies from the validating zod schemas', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/v1/pipelines']!.post!.requestBody).toBeDefined();
    const graph = JSON.stringify(doc.components.schemas.Graph);
    for (const kind of ['producer', 'queue', 'consumer', 'dead-letter', 'generator', 'transform']) expect(graph).toContain(kind);
  });
});
