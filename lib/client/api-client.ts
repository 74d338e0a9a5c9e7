/**
 * The browser's client for Conveyor's HTTP API: the same /api/v1 routes every
 * other client uses, authorised by the session cookie. Errors come back as
 * ApiError with the API's stable code and, for graph problems, the per node /
 * per edge details. A 401 on a signed-in route sends the user to /login.
 */
import type { Graph, GraphIssue } from './types';
import type { AuthStatus, GeneratorStatus, Pipeline, PipelineStats, Run } from './types';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown[];

  constructor(status: number, code: string, message: string, details: unknown[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** Details that name a node or an edge (graph_invalid, invalid_body inside the graph). */
  get graphIssues(): GraphIssue[] {
    return this.details.flatMap((d) => {
      if (!d || typeof d !== 'object') return [];
      const { nodeId, edgeId, message, path } = d as Record<string, unknown>;
      if (typeof message !== 'string') return [];
      return [
        {
          ...(typeof nodeId === 'string' ? { nodeId } : {}),
          ...(typeof edgeId === 'string' ? { edgeId } : {}),
          message: typeof path === 'string' && path && !nodeId && !edgeId ? `${path}: ${message}` : message,
        },
      ];
    });
  }
}

interface RequestOptions {
  body?: unknown;
  /** Auth routes answer 401 for a wrong password; only signed-in routes redirect. */
  redirectOnUnauthorized?: boolean;
  signal?: AbortSignal;
}

export function redirectToLogin(): void {
  if (typeof window === 'undefined' || window.location.pathname === '/login') return;
  const next = window.location.pathname + window.location.search;
  window.location.assign(`/login?next=${encodeURIComponent(next)}`);
}

async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      cache: 'no-store',
      headers: opts.body === undefined ? undefined : { 'content-type': 'application/json' },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network_error', 'The server could not be reached. Check your connection and try again.');
  }
  if (res.status === 401 && opts.redirectOnUnauthorized !== false) redirectToLogin();
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
    throw new ApiError(
      res.status,
      typeof err?.code === 'string' ? err.code : `http_${res.status}`,
      typeof err?.message === 'string' ? err.message : `The server answered ${res.status} ${res.statusText}.`.trim(),
      Array.isArray(err?.details) ? err.details : [],
    );
  }
  return data as T;
}

const pipelinePath = (id: string) => `/api/v1/pipelines/${encodeURIComponent(id)}`;
const producerPath = (id: string, nodeId: string) => `${pipelinePath(id)}/producers/${encodeURIComponent(nodeId)}`;
const queuePath = (id: string, nodeId: string) => `${pipelinePath(id)}/queues/${encodeURIComponent(nodeId)}`;

export const api = {
  // ---- auth (outside /v1) ---------------------------------------------------
  authStatus: () => request<AuthStatus>('GET', '/api/auth/status', { redirectOnUnauthorized: false }),
  login: (email: string, password: string) =>
    request<{ user: { email: string } }>('POST', '/api/auth/login', { body: { email, password }, redirectOnUnauthorized: false }),
  setup: (email: string, password: string) =>
    request<{ user: { email: string } }>('POST', '/api/auth/setup', { body: { email, password }, redirectOnUnauthorized: false }),
  logout: () => request<void>('POST', '/api/auth/logout', { redirectOnUnauthorized: false }),

  // ---- pipelines ------------------------------------------------------------
  listPipelines: (signal?: AbortSignal) => request<{ items: Pipeline[] }>('GET', '/api/v1/pipelines', { signal }),
  createPipeline: (input: { name: string; description?: string; graph: Graph }) =>
    request<Pipeline>('POST', '/api/v1/pipelines', { body: input }),
  getPipeline: (id: string, signal?: AbortSignal) => request<Pipeline>('GET', pipelinePath(id), { signal }),
  updatePipeline: (id: string, input: { name?: string; description?: string; graph?: Graph }) =>
    request<Pipeline>('PUT', pipelinePath(id), { body: input }),
  deletePipeline: (id: string) => request<void>('DELETE', pipelinePath(id)),
  validatePipeline: (id: string) => request<{ valid: true }>('POST', `${pipelinePath(id)}/validate`),
  deployPipeline: (id: string) => request<{ version: number }>('POST', `${pipelinePath(id)}/deploy`),
  undeployPipeline: (id: string) => request<unknown>('POST', `${pipelinePath(id)}/undeploy`),

  // ---- runs and stats -------------------------------------------------------
  triggerRun: (id: string, payload: unknown, producerId?: string) =>
    request<{ runId: string }>('POST', `${pipelinePath(id)}/runs`, { body: { payload, ...(producerId ? { producerId } : {}) } }),
  triggerBatch: (id: string, payloads: unknown[], producerId?: string) =>
    request<{ runIds: string[] }>('POST', `${pipelinePath(id)}/runs/batch`, {
      body: { payloads, ...(producerId ? { producerId } : {}) },
    }),
  getRun: (runId: string, signal?: AbortSignal) => request<Run>('GET', `/api/v1/runs/${encodeURIComponent(runId)}`, { signal }),
  getStats: (id: string, signal?: AbortSignal) => request<PipelineStats>('GET', `${pipelinePath(id)}/stats`, { signal }),
  statsStreamUrl: (id: string) => `${pipelinePath(id)}/stats/stream`,

  // ---- producers (load generators) ------------------------------------------
  getGenerator: (id: string, nodeId: string, signal?: AbortSignal) =>
    request<GeneratorStatus>('GET', producerPath(id, nodeId), { signal }),
  /** Without a body the generator runs with its deployed settings. */
  startGenerator: (id: string, nodeId: string, body?: { ratePerSec?: number; count?: number }) =>
    request<unknown>('POST', `${producerPath(id, nodeId)}/start`, { body: body ?? {} }),
  stopGenerator: (id: string, nodeId: string) => request<unknown>('POST', `${producerPath(id, nodeId)}/stop`),

  // ---- queue operations -----------------------------------------------------
  pauseQueue: (id: string, nodeId: string) => request<unknown>('POST', `${queuePath(id, nodeId)}/pause`),
  resumeQueue: (id: string, nodeId: string) => request<unknown>('POST', `${queuePath(id, nodeId)}/resume`),
  /** Sends a dead-letter queue's messages through again. */
  replayQueue: (id: string, nodeId: string) => request<unknown>('POST', `${queuePath(id, nodeId)}/replay`),
};

/**
 * Whether the server has no such route at all (an older server): Next.js
 * answers an unknown path with its HTML 404 page (so no API error code), and
 * a route may answer 501/405 for an operation it does not offer yet.
 */
export function isMissingRoute(e: unknown): boolean {
  if (!(e instanceof ApiError)) return false;
  return e.status === 501 || e.status === 405 || (e.status === 404 && e.code.startsWith('http_'));
}

/** A message for the user from anything a call can throw. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
