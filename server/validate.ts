// Input checks shared by the routes: object names, node paths, the typed queries of lib/api, JSON bodies with a size
// limit.
import 'server-only';
import type {
  AdoptQuery,
  CompareQuery,
  NodeFileQuery,
  PathPolicyQuery,
  RevealQuery,
  Unvalidated,
} from '../lib/api/types';
import { badRequest } from './errors';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const MAX_BODY_BYTES = 16 * 1024;

/** A Kubernetes object name (DNS-1123 subdomain), or 400. */
export function objectName(value: string | null | undefined, what: string): string {
  const v = value ?? '';
  if (!v || v.length > 253 || !DNS1123_SUBDOMAIN.test(v)) {
    throw badRequest(`${what} ${JSON.stringify(v.slice(0, 80))} is not a valid name (lower-case DNS-1123 subdomain)`);
  }
  return v;
}

/** An absolute, normalised node path: no NUL, no `.`/`..` segments, no empty segments. */
export function nodePath(value: unknown): string {
  if (typeof value !== 'string' || !value) throw badRequest('path is required');
  if (value.includes('\0')) throw badRequest('path must not contain NUL');
  if (!value.startsWith('/')) throw badRequest(`path must be absolute: ${JSON.stringify(value.slice(0, 200))}`);
  if (value.length > 4096) throw badRequest('path is too long');
  const segments = value.split('/').slice(1);
  if (segments.some((s) => s === '..' || s === '.'))
    throw badRequest(`path must not contain . or .. segments: ${JSON.stringify(value.slice(0, 200))}`);
  if (value !== '/' && segments.some((s) => s === ''))
    throw badRequest(`path is not normalised: ${JSON.stringify(value.slice(0, 200))}`);
  return value;
}

/** How to read each parameter of the query type T: a parser per field, given the raw value (null when absent). */
export type QueryParsers<T> = { [K in keyof T]-?: (value: string | null) => T[K] };

/** The query of `url` as T, each parameter through its parser in the order they are listed (a parser throws 400). */
export function parseQuery<T>(url: URL, parsers: QueryParsers<T>): T {
  const out = {} as T;
  for (const key of Object.keys(parsers) as (keyof T & string)[]) out[key] = parsers[key](url.searchParams.get(key));
  return out;
}

/** `reveal=1` asks for sensitive contents; any other value, or none, does not. */
const revealParam = (v: string | null): RevealQuery['reveal'] => (v === '1' ? '1' : undefined);

export const revealQuery: QueryParsers<RevealQuery> = { reveal: revealParam };
export const nodeFileQuery: QueryParsers<NodeFileQuery> = { path: nodePath, reveal: revealParam };
export const pathPolicyQuery: QueryParsers<PathPolicyQuery> = { path: nodePath };
export const compareQuery: QueryParsers<CompareQuery> = {
  from: (v) => objectName(v, 'from'),
  to: (v) => objectName(v, 'to'),
};
export const adoptQuery: QueryParsers<AdoptQuery> = { node: (v) => objectName(v, 'node'), path: nodePath };

/** The request body as text, refused with a 400 past `limit` bytes (declared or streamed). */
export async function bodyText(req: Request, limit: number = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > limit) throw badRequest(`request body too large (limit ${limit} bytes)`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        throw badRequest(`request body too large (limit ${limit} bytes)`);
      }
      chunks.push(value);
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The request body as JSON, at most MAX_BODY_BYTES: a JSON object with the fields of the request type T, unchecked. */
export async function jsonBody<T extends object = Record<string, unknown>>(req: Request): Promise<Unvalidated<T>> {
  const text = await bodyText(req);
  if (!text.trim()) return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw badRequest('request body is not valid JSON');
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw badRequest('request body must be a JSON object');
  return v as Unvalidated<T>;
}
