import type { z } from 'zod';
import { authenticateApiKey } from '../auth/api-keys';
import { authenticateSession, SESSION_COOKIE } from '../auth/sessions';
import { AppError, isAppError } from '../errors';
import { log } from '../log';
import { issueAt } from '../pipeline/validate-graph';
import { getServices, type Services } from '../services';
import { errorResponse, json, readJsonBody } from './http';
import { requireAdmin, type Principal } from './principal';

/**
 * The one wrapper every API route goes through: authentication (bearer API key
 * or the UI's session cookie), the body size limit, zod parsing of body, query
 * and params, and mapping errors to the API's error shape. Route files stay a
 * few lines long.
 */
type AuthMode = 'none' | 'admin' | 'authenticated';

interface RouteSpec<B extends z.ZodType | undefined, Q extends z.ZodType | undefined> {
  auth: AuthMode;
  body?: B;
  query?: Q;
}

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;

export interface RouteContext<B, Q, A extends AuthMode> {
  req: Request;
  params: Record<string, string>;
  body: B;
  query: Q;
  principal: A extends 'none' ? Principal | null : Principal;
  services: Services;
}

type NextRouteContext = { params: Promise<Record<string, string | string[]>> };

export function route<A extends AuthMode, B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(
  spec: RouteSpec<B, Q> & { auth: A },
  handler: (ctx: RouteContext<Infer<B>, Infer<Q>, A>) => Promise<Response | unknown>,
): (req: Request, context: NextRouteContext) => Promise<Response> {
  return async (req, context) => {
    try {
      const services = getServices();
      const rawParams = (await context?.params) ?? {};
      const params = Object.fromEntries(
        Object.entries(rawParams).map(([k, v]) => [k, Array.isArray(v) ? v.join('/') : v]),
      );
      const principal = await authenticate(req, services);
      if (spec.auth !== 'none' && !principal) {
        throw new AppError('unauthorized', 'Send a valid API key as "Authorization: Bearer <key>" or sign in.');
      }
      if (spec.auth === 'admin' && principal) requireAdmin(principal);
      if (principal?.kind === 'user' && !isSafeMethod(req.method)) assertSameOrigin(req);

      const body = spec.body ? parseWith(spec.body, await readJsonBody(req), 'body') : undefined;
      const query = spec.query
        ? parseWith(spec.query, Object.fromEntries(new URL(req.url).searchParams), 'query')
        : undefined;

      const result = await handler({ req, params, body, query, principal, services } as RouteContext<
        Infer<B>,
        Infer<Q>,
        A
      >);
      return result instanceof Response ? result : json(result);
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}

export function toErrorResponse(error: unknown): Response {
  if (isAppError(error)) return errorResponse(error);
  const code = (error as { code?: unknown })?.code;
  if (code === 'P2025') return errorResponse(new AppError('not_found', 'Not found.'));
  log.error('unhandled error in API route', { error: String((error as Error)?.stack ?? error) });
  return errorResponse(new AppError('internal', 'Something went wrong on our side; it has been logged.'));
}

function parseWith<T extends z.ZodType>(schema: T, input: unknown, where: 'body' | 'query'): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new AppError(where === 'body' ? 'invalid_body' : 'bad_request', `The request ${where} is invalid.`, {
    details: result.error.issues.map((i) =>
      // Errors inside a graph name the node or edge, as validation does.
      i.path[0] === 'graph'
        ? issueAt((input as { graph?: unknown })?.graph, i.path.slice(1), i.message)
        : { path: i.path.join('.'), message: i.message },
    ),
  });
}

const isSafeMethod = (m: string) => m === 'GET' || m === 'HEAD' || m === 'OPTIONS';

/**
 * Cookie-authenticated writes must come from our own pages. Browsers send
 * Origin on cross-site POSTs; a mismatch is a forged request.
 */
function assertSameOrigin(req: Request): void {
  const origin = req.headers.get('origin');
  const site = req.headers.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') {
    throw new AppError('forbidden', 'Cross-site requests are not allowed with a session cookie.');
  }
  if (origin) {
    const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host');
    let originHost: string | null = null;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = null;
    }
    if (!host || originHost !== host) {
      throw new AppError('forbidden', 'Cross-site requests are not allowed with a session cookie.');
    }
  }
}

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    // A malformed %-escape is the client's cookie, not our fault: treat it as no cookie (401), never a 500.
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

async function authenticate(req: Request, services: Services): Promise<Principal | null> {
  const header = req.headers.get('authorization');
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match ? await authenticateApiKey(services.db, match[1]!) : null;
    if (!principal) throw new AppError('unauthorized', 'The API key is missing, malformed, unknown or revoked.');
    return principal;
  }
  return authenticateSession(services.db, readCookie(req, SESSION_COOKIE));
}
