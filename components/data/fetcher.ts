// Fetching /api from the browser: JSON in, JSON out, and every failure as an ApiFailure carrying the server's
// `{error, message}` so pages can say what went wrong in words.
import type { ApiError } from '@/lib/api/types';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiError['error'] | 'network',
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

async function failure(res: Response): Promise<ApiFailure> {
  let body: Partial<ApiError> = {};
  try {
    body = (await res.json()) as Partial<ApiError>;
  } catch {
    // Not JSON (a proxy error page, say): fall back to the status text.
  }
  return new ApiFailure(res.status, body.error ?? 'internal', body.message ?? `${res.status} ${res.statusText}`);
}

export async function apiGet<T>(path: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { signal, headers: { accept: 'application/json' }, cache: 'no-store' });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiFailure(0, 'network', 'The Plumb server cannot be reached.');
  }
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

export async function apiPost<T>(path: string, body: unknown, csrfToken: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrfToken },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiFailure(0, 'network', 'The Plumb server cannot be reached.');
  }
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

/** A query string from one of lib/api's query types: `path=%2Fetc%2Fx&reveal=1`. */
export function query<Q extends object>(q: Q): string {
  return Object.entries(q)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');
}

/** Encode one path segment (node and pool names are DNS-1123, but config names come from the cluster). */
export const seg = (s: string) => encodeURIComponent(s);
