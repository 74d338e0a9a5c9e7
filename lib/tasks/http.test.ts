import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UnrecoverableError } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_RESPONSE_BYTES, parseBody, runHttp } from './http';
import type { TaskContext, TaskOf } from './types';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
const seen: Seen[] = [];
let server: Server;
let base: string;

/** Routes of the local test server, by path. */
const routes: Record<string, (req: IncomingMessage, res: ServerResponse, body: string) => void> = {
  '/echo': (req, res, body) => json(res, 200, { method: req.method, got: body ? JSON.parse(body) : null }),
  '/text': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('hello');
  },
  '/empty': (_req, res) => {
    res.writeHead(204);
    res.end();
  },
  '/bad-request': (_req, res) => json(res, 422, { error: 'field x is required', pad: 'y'.repeat(2000) }),
  '/not-found': (_req, res) => {
    res.writeHead(404);
    res.end();
  },
  '/too-many': (_req, res) => json(res, 429, { error: 'slow down' }),
  '/boom': (_req, res) => {
    res.writeHead(503, { 'content-type': 'text/plain' });
    res.end('upstream unavailable');
  },
  '/slow': (_req, res) => {
    const t = setTimeout(() => json(res, 200, { late: true }), 3000);
    res.on('close', () => clearTimeout(t));
  },
  '/huge': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    // Chunked, no content-length: the reader has to stop by itself.
    const chunk = 'x'.repeat(64 * 1024);
    let sent = 0;
    const pump = () => {
      while (sent < MAX_RESPONSE_BYTES * 2) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('error', () => undefined);
    pump();
  },
  '/redirect-same': (_req, res) => {
    res.writeHead(307, { location: '/echo' });
    res.end();
  },
  '/redirect-303': (_req, res) => {
    res.writeHead(303, { location: `${base}/echo` });
    res.end();
  },
  '/redirect-scheme': (_req, res) => {
    res.writeHead(302, { location: 'ftp://127.0.0.1/file' });
    res.end();
  },
  '/redirect-https': (_req, res) => {
    res.writeHead(301, { location: 'https://127.0.0.1/echo' });
    res.end();
  },
  '/redirect-loop': (_req, res) => {
    res.writeHead(302, { location: '/redirect-loop' });
    res.end();
  },
};

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const path = new URL(req.url!, 'http://x').pathname;
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      (routes[path] ?? ((_q, r) => json(r, 404, { error: 'no route' })))(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const ctx: TaskContext = { runId: 'r', nodeId: 'h', attempt: 1 };
const call = (path: string, extra: Partial<TaskOf<'http'>> = {}): TaskOf<'http'> => ({ kind: 'http', method: 'POST', url: `${base}${path}`, ...extra });
async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the task to fail');
}
const last = () => seen[seen.length - 1]!;

describe('http', () => {
  it('POSTs the message as JSON with the node headers; a 2xx JSON body is the output', async () => {
    const r = await runHttp(call('/echo', { headers: { 'X-Api-Key': 'k1' } }), { order: 7 }, ctx);
    expect(r).toEqual({ output: { method: 'POST', got: { order: 7 } } });
    expect(last().headers['content-type']).toBe('application/json');
    expect(last().headers['x-api-key']).toBe('k1');
  });

  it('PUT and PATCH send the body; GET and DELETE do not', async () => {
    expect((await runHttp(call('/echo', { method: 'PUT' }), [1], ctx)).output).toEqual({ method: 'PUT', got: [1] });
    expect((await runHttp(call('/echo', { method: 'PATCH' }), 'x', ctx)).output).toEqual({ method: 'PATCH', got: 'x' });
    expect((await runHttp(call('/echo', { method: 'GET' }), { a: 1 }, ctx)).output).toEqual({ method: 'GET', got: null });
    expect(last().headers['content-type']).toBeUndefined();
    expect((await runHttp(call('/echo', { method: 'DELETE' }), { a: 1 }, ctx)).output).toEqual({ method: 'DELETE', got: null });
  });

  it('a text body is the output as a string; an empty one is null', async () => {
    expect((await runHttp(call('/text'), {}, ctx)).output).toBe('hello');
    expect((await runHttp(call('/empty'), {}, ctx)).output).toBeNull();
  });

  it('URL credentials become Basic auth and never appear in messages', async () => {
    const url = base.replace('http://', 'http://alice:s%3Dcret@');
    await runHttp({ kind: 'http', method: 'GET', url: `${url}/echo` }, {}, ctx);
    expect(last().headers.authorization).toBe(`Basic ${Buffer.from('alice:s=cret').toString('base64')}`);
    const e = await failure(runHttp({ kind: 'http', method: 'GET', url: `${url}/boom?token=abc` }, {}, ctx));
    expect(e.message).not.toMatch(/alice|cret|token/);
  });

  it('a 4xx is unrecoverable, with the status and a trimmed body', async () => {
    const e = await failure(runHttp(call('/bad-request'), {}, ctx));
    expect(e).toBeInstanceOf(UnrecoverableError);
    expect(e.message).toMatch(new RegExp(`^http POST ${base}/bad-request answered 422 Unprocessable Entity: \\{"error":"field x is required"`));
    expect(e.message.length).toBeLessThan(700);
    const e404 = await failure(runHttp(call('/not-found'), {}, ctx));
    expect(e404).toBeInstanceOf(UnrecoverableError);
    expect(e404.message).toBe(`http POST ${base}/not-found answered 404 Not Found`);
  });

  it('429 and 5xx are retryable', async () => {
    for (const path of ['/too-many', '/boom']) {
      const e = await failure(runHttp(call(path), {}, ctx));
      expect(e).not.toBeInstanceOf(UnrecoverableError);
    }
    const e = await failure(runHttp(call('/boom'), {}, ctx));
    expect(e.message).toBe(`http POST ${base}/boom answered 503 Service Unavailable: upstream unavailable`);
  });

  it('a timeout is retryable and prompt', async () => {
    const started = Date.now();
    const e = await failure(runHttp(call('/slow', { timeoutMs: 150 }), {}, ctx));
    expect(Date.now() - started).toBeLessThan(1500);
    expect(e).not.toBeInstanceOf(UnrecoverableError);
    expect(e.message).toBe(`http POST ${base}/slow timed out after 150 ms`);
  });

  it('a refused connection is retryable', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const e = await failure(runHttp({ kind: 'http', method: 'POST', url: `http://127.0.0.1:${port}/x` }, {}, ctx));
    expect(e).not.toBeInstanceOf(UnrecoverableError);
    expect(e.message).toMatch(/failed: .*ECONNREFUSED/);
  });

  it('stops when the worker aborts the job', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const e = await failure(runHttp(call('/slow'), {}, { ...ctx, signal: ac.signal }));
    expect(e).not.toBeInstanceOf(UnrecoverableError);
    expect(e.message).toMatch(/aborted: the worker is shutting down/);
  });

  it('refuses a response body over 1 MiB, unrecoverably', async () => {
    const e = await failure(runHttp(call('/huge'), {}, ctx));
    expect(e).toBeInstanceOf(UnrecoverableError);
    expect(e.message).toMatch(/larger than 1048576 bytes/);
  });

  it('follows redirects within the scheme: 307 keeps the method and body, 303 becomes a GET', async () => {
    expect((await runHttp(call('/redirect-same'), { a: 1 }, ctx)).output).toEqual({ method: 'POST', got: { a: 1 } });
    expect((await runHttp(call('/redirect-303'), { a: 1 }, ctx)).output).toEqual({ method: 'GET', got: null });
  });

  it('never follows a redirect to another scheme, nor forever', async () => {
    for (const path of ['/redirect-scheme', '/redirect-https']) {
      const e = await failure(runHttp(call(path), {}, ctx));
      expect(e).toBeInstanceOf(UnrecoverableError);
      expect(e.message).toMatch(/redirect to (ftp|https): refused/);
    }
    const loop = await failure(runHttp(call('/redirect-loop'), {}, ctx));
    expect(loop).toBeInstanceOf(UnrecoverableError);
    expect(loop.message).toMatch(/more than 5 redirects/);
  });

  it('invalid header values fail unrecoverably', async () => {
    const e = await failure(runHttp(call('/echo', { headers: { 'x-bad': 'a\nb' } }), {}, ctx));
    expect(e).toBeInstanceOf(UnrecoverableError);
  });
});

describe('parseBody', () => {
  it('JSON when it parses, else the text, empty is null', () => {
    expect(parseBody('{"a":1}')).toEqual({ a: 1 });
    expect(parseBody('42')).toBe(42);
    expect(parseBody('not json')).toBe('not json');
    expect(parseBody('  ')).toBeNull();
  });
});
