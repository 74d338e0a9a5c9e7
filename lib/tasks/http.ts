import { UnrecoverableError } from 'bullmq';
import type { TaskOf, TaskRunner } from './types';

/**
 * Calls an endpoint with the message.
 *
 * Request: `method` to `url` with `headers`. POST, PUT and PATCH send the
 * message as JSON (Content-Type: application/json unless a header says
 * otherwise); GET and DELETE send no body. Credentials in the URL
 * (`https://user:pass@host/`) become a Basic Authorization header.
 *
 * Output: on 2xx, the response body, JSON when it parses as JSON, else the
 * text (the same rule as messages from external sources); an empty body
 * (204) is null. Status and headers are not part of the message: a non-2xx
 * never gets here.
 *
 * Failures:
 * - 5xx, 408, 429, network errors, and timeouts (default 10 s, the whole
 *   exchange including reading the body): a retryable Error, so the queue's
 *   attempts and backoff apply.
 * - other 4xx, and 3xx that are not followed: UnrecoverableError, with the
 *   status and the start of the response body.
 * - a response body over 1 MiB: UnrecoverableError (the same call returns
 *   the same body).
 *
 * Redirects are followed by hand, at most 5, only to the same scheme (never
 * https -> http, nor to anything else); credentials headers are dropped when
 * a redirect leaves the origin. The URL is operator-configured (admin only),
 * so there is no host allowlist; error messages show it without its
 * credentials and query string, which may carry secrets.
 */
export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;
export const MAX_RESPONSE_BYTES = 1024 * 1024;
export const MAX_REDIRECTS = 5;
/** How much of an error response's body its message quotes. */
const ERROR_BODY_CHARS = 500;

const HAS_BODY = new Set(['POST', 'PUT', 'PATCH']);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const RETRYABLE_4XX = new Set([408, 429]);
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

export const runHttp: TaskRunner<'http'> = async (task, payload, ctx) => {
  const timeoutMs = task.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = ctx.signal ? AbortSignal.any([timeout, ctx.signal]) : timeout;

  let url = new URL(task.url);
  let method: string = task.method;
  let body = HAS_BODY.has(method) ? JSON.stringify(payload ?? null) : undefined;
  const headers = requestHeaders(task, url, body !== undefined);
  url.username = url.password = '';
  const where = () => `http ${method} ${shown(url)}`;

  try {
    for (let hops = 0; ; hops++) {
      const res = await fetch(url, { method, headers, body, redirect: 'manual', signal });
      const location = res.headers.get('location');
      if (REDIRECTS.has(res.status) && location) {
        await res.body?.cancel().catch(() => undefined);
        const next = new URL(location, url);
        if (hops >= MAX_REDIRECTS) throw new UnrecoverableError(`${where()}: more than ${MAX_REDIRECTS} redirects`);
        if (next.protocol !== url.protocol) {
          throw new UnrecoverableError(`${where()}: redirect to ${next.protocol} refused (${res.status}; only ${url.protocol} redirects are followed)`);
        }
        if (next.origin !== url.origin) for (const h of CREDENTIAL_HEADERS) headers.delete(h);
        // As browsers do: 303, and 301/302 after a POST, continue as a GET without the body.
        if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
          headers.delete('content-type');
        }
        next.username = next.password = '';
        url = next;
        continue;
      }
      if (res.status >= 200 && res.status < 300) {
        const { text, truncated } = await readText(res, MAX_RESPONSE_BYTES);
        if (truncated) throw new UnrecoverableError(`${where()}: the response body is larger than ${MAX_RESPONSE_BYTES} bytes`);
        return { output: parseBody(text) };
      }
      const { text } = await readText(res, ERROR_BODY_CHARS * 4);
      const quoted = text.trim() ? `: ${trimmed(text)}` : '';
      const message = `${where()} answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${quoted}`;
      if (res.status >= 500 || RETRYABLE_4XX.has(res.status)) throw new HttpStatusError(message);
      throw new UnrecoverableError(message);
    }
  } catch (e) {
    if (e instanceof UnrecoverableError || e instanceof HttpStatusError) throw e;
    if (timeout.aborted) throw new Error(`${where()} timed out after ${timeoutMs} ms`);
    if (ctx.signal?.aborted) throw new Error(`${where()} aborted: the worker is shutting down`);
    throw new Error(`${where()} failed: ${networkReason(e)}`);
  }
};

/** A status worth retrying (5xx, 408, 429). */
class HttpStatusError extends Error {
  override name = 'HttpStatusError';
}

function requestHeaders(task: TaskOf<'http'>, url: URL, hasBody: boolean): Headers {
  const headers = new Headers({ accept: 'application/json, text/plain;q=0.9, */*;q=0.8', 'user-agent': 'conveyor' });
  if (hasBody) headers.set('content-type', 'application/json');
  if (url.username || url.password) {
    const user = decodeURIComponent(url.username);
    const pass = decodeURIComponent(url.password);
    headers.set('authorization', `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`);
  }
  try {
    for (const [name, value] of Object.entries(task.headers ?? {})) headers.set(name, value);
  } catch (e) {
    throw new UnrecoverableError(`http task headers are invalid: ${(e as Error).message}`);
  }
  return headers;
}

/** Reads at most `max` bytes of the body; `truncated` when there was more. */
async function readText(res: Response, max: number): Promise<{ text: string; truncated: boolean }> {
  if (!res.body) return { text: '', truncated: false };
  const declared = Number(res.headers.get('content-length'));
  if (declared > max && max === MAX_RESPONSE_BYTES) {
    // Not worth reading what will be refused; error bodies (smaller max) are read in part and quoted.
    await res.body.cancel().catch(() => undefined);
    return { text: '', truncated: true };
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > max) {
      chunks.push(value.subarray(0, max - size));
      size = max;
      truncated = true;
      await reader.cancel().catch(() => undefined);
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  return { text: Buffer.concat(chunks, size).toString('utf8'), truncated };
}

/** JSON when it parses as JSON, else the text; an empty body is null. */
export function parseBody(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const trimmed = (text: string) => {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > ERROR_BODY_CHARS ? `${oneLine.slice(0, ERROR_BODY_CHARS)}…` : oneLine;
};

/** The URL without credentials or query string: either may carry secrets. */
const shown = (url: URL) => `${url.origin}${url.pathname}`;

/** undici reports "fetch failed" and puts the reason (ECONNREFUSED, ENOTFOUND...) in `cause`. */
function networkReason(e: unknown): string {
  const err = e as { message?: string; cause?: { code?: string; message?: string } };
  const cause = err?.cause;
  if (cause?.message) return cause.code && !cause.message.includes(cause.code) ? `${cause.code} ${cause.message}` : cause.message;
  return err?.message ?? String(e);
}
