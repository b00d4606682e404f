// The scaffolding every route handler under app/api/ shares: JSON errors for anything thrown, the route's object
// names validated, the cache connected, the caller identified and, with forwarded users, authorised for what the
// reply is made of. A handler says what it reads and returns its reply.
import 'server-only';
import { identify, requireReads, type Identity, type ReadResource } from './auth';
import { getCache, type ClusterCache } from './cache';
import { handle, json } from './errors';
import { objectName, parseQuery, type QueryParsers } from './validate';

export interface RouteContext<N extends string, Q = Record<string, never>> {
  req: Request;
  url: URL;
  /** The query, parsed by the spec's `query` parsers (400 on a bad value). */
  query: Q;
  cache: ClusterCache;
  id: Identity;
  /** The route's dynamic segments, each a valid object name. */
  names: Record<N, string>;
}

export interface RouteSpec<N extends string, Q = Record<string, never>> {
  /** Dynamic segment -> what it names, for the 400 message (`{ node: 'node' }`). */
  names?: Record<N, string>;
  /** The parsers of the route's query, typed by its lib/api query type (server/validate.ts `nodeFileQuery`, ...). */
  query?: QueryParsers<Q>;
  /** What the reply is made of: a forwarded user must be allowed to list and watch each (403 otherwise). */
  reads?: ReadResource[];
  /** Wait for the cache to be connected first, 503 otherwise (default true; the stream reports the status itself). */
  connected?: boolean;
  /** Reply status on success (default 200). */
  status?: number;
}

type NextContext = { params: Promise<Record<string, string | string[]>> };

/** A GET/POST handler for Next: `export const GET = route({ names: { node: 'node' } }, async (c) => reply)`. */
export function route<N extends string = never, Q = Record<string, never>>(
  spec: RouteSpec<N, Q>,
  fn: (c: RouteContext<N, Q>) => Promise<unknown> | unknown,
): (req: Request, ctx: NextContext) => Promise<Response> {
  return (req, ctx) =>
    handle(async () => {
      const params = ctx?.params ? await ctx.params : {};
      const names = {} as Record<N, string>;
      for (const [key, what] of Object.entries(spec.names ?? {}) as [N, string][]) {
        const v = params[key];
        names[key] = objectName(typeof v === 'string' ? v : null, what);
      }
      const cache = getCache();
      // Identify first: a request without the expected token gets 401 and nothing else, even while disconnected.
      const id = identify(req, cache);
      if (spec.connected !== false) await cache.requireConnected();
      if (spec.reads?.length) await requireReads(id, spec.reads, cache.kc);
      // The query after the checks above, as a handler reading it itself would: 401/403/503 come before a 400 for it.
      const url = new URL(req.url);
      const query = spec.query ? parseQuery(url, spec.query) : ({} as Q);
      const reply = await fn({ req, url, query, cache, id, names });
      return reply instanceof Response ? reply : json(reply, spec.status ?? 200);
    });
}
