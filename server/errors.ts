// Every failure the API reports: an HTTP status plus the `{error, message}` body of lib/api ApiError.
import 'server-only';
import type { ApiError } from '../lib/api/types';

export type ErrorCode = ApiError['error'];

export class ApiFailure extends Error {
  constructor(
    public status: number,
    public code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

export const badRequest = (m: string) => new ApiFailure(400, 'bad_request', m);
export const notFound = (m: string) => new ApiFailure(404, 'not_found', m);
export const forbidden = (m: string) => new ApiFailure(403, 'forbidden', m);
export const unauthorized = (m: string) => new ApiFailure(401, 'unauthorized', m);
export const unreachable = (m: string) => new ApiFailure(503, 'cluster_unreachable', m);
export const nodeUnreachable = (m: string) => new ApiFailure(502, 'node_unreachable', m);

/** The Kubernetes Status message inside a client-node ApiException, when there is one. */
function statusMessage(body: unknown): string | null {
  if (typeof body !== 'string') return null;
  try {
    const s = JSON.parse(body);
    return typeof s?.message === 'string' ? s.message : null;
  } catch {
    return body.length < 300 ? body : null;
  }
}

/** Map anything thrown while talking to the cluster to an ApiFailure (never leaks tokens: messages only). */
export function toApiFailure(err: unknown): ApiFailure {
  // Duck-typed: module instances (and so classes) may be duplicated across route bundles.
  if (err instanceof ApiFailure) return err;
  const a = err as Partial<ApiFailure> | null;
  if (a && a.name === 'ApiFailure' && typeof a.status === 'number' && typeof a.code === 'string') {
    return new ApiFailure(a.status, a.code, a.message ?? '');
  }
  const e = err as { code?: unknown; body?: unknown; message?: string; name?: string };
  // lib/mco's McoError: a rendered config that does not parse or decode (callers name the config in the message).
  if (e?.name === 'McoError') return new ApiFailure(422, 'config_undecodable', e.message ?? String(err));
  if (typeof e?.code === 'number' && e.code >= 400 && e.code < 600) {
    const msg = statusMessage(e.body) ?? e.message ?? `HTTP ${e.code}`;
    if (e.code === 401) return unauthorized(`the cluster rejected the credentials: ${msg}`);
    if (e.code === 403) return new ApiFailure(403, 'forbidden', msg);
    if (e.code === 404) return new ApiFailure(404, 'not_found', msg);
    if (e.code === 409) return new ApiFailure(409, 'conflict', msg);
    if (e.code === 400 || e.code === 422) return new ApiFailure(400, 'bad_request', msg);
    return new ApiFailure(502, 'internal', `the cluster answered ${e.code}: ${msg}`);
  }
  const text = String(e?.message ?? err);
  if (/ECONNREFUSED|ENOTFOUND|ECONNRESET|EHOSTUNREACH|ETIMEDOUT|socket hang up|fetch failed|network/i.test(text)) {
    return unreachable(`cannot reach the cluster: ${text}`);
  }
  return new ApiFailure(500, 'internal', text);
}

export function errorResponse(err: unknown): Response {
  const f = toApiFailure(err);
  if (f.status >= 500 && f.code === 'internal') console.error('[plumb] internal error:', f.message);
  const body: ApiError = { error: f.code, message: f.message };
  return Response.json(body, { status: f.status, headers: { 'cache-control': 'no-store' } });
}

/** Run a route body; any throw becomes a JSON error reply. */
export async function handle(fn: () => Promise<Response> | Response): Promise<Response> {
  try {
    return await fn();
  } catch (err) {
    return errorResponse(err);
  }
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  });
}
