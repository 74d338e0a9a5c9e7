import { route } from '@/lib/api/route';
import { loadEnv } from '@/lib/env';
import { renderMetrics } from '@/lib/metrics/render-metrics';
import type { Services } from '@/lib/services';

export const dynamic = 'force-dynamic';

// Prometheus text format (API.md "Health and metrics"): admin key, or open when METRICS_PUBLIC=1.
const serve = async ({ services }: { services: Services }) => {
  const { contentType, text } = await renderMetrics(services);
  return new Response(text, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
};
const forAdmins = route({ auth: 'admin' }, serve);
const forAnyone = route({ auth: 'none' }, serve);

// Chosen per request from loadEnv(), not at import: the env may be (re)loaded after this module is.
export function GET(req: Request, context: Parameters<typeof forAdmins>[1]): Promise<Response> {
  return (loadEnv().METRICS_PUBLIC ? forAnyone : forAdmins)(req, context);
}
