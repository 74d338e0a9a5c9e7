import { json } from '@/lib/api/http';
import { buildOpenApiDocument } from '@/lib/api/openapi';

let cached: unknown;

/** Public: the OpenAPI document needs no key. */
export async function GET(): Promise<Response> {
  cached ??= buildOpenApiDocument();
  return json(cached);
}
