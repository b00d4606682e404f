// The scaffolding every route handler under app/api/ shares: JSON errors for anything thrown, the route's object
// names validated, the cache connected, the caller identified and, with forwarded users, authorised for what the
// reply is made of. A handler says what it reads and returns its reply.
import 'server-only';
import { identify, requireReads, type Identity, type ReadResource } from './auth';
import { getCache, type ClusterCache } from './cache';
import { handle, json } from './errors';
import { objectName } from './validate';

export interface RouteContext<N extends string> {
  req: Request;
  url: URL;
  cache: ClusterCache;
  id: Identity;
  /** The route's dynamic segments, each a valid object name. */
  names: Record<N, string>;
}

export interface RouteSpec<N extends string> {
  /** Dynamic segment -> what it names, for the 400 message (`{ node: 'node' }`). */
  names?: Record<N, string>;
  /** What the reply is made of: a forwarded user must be allowed to list and watch each (403 otherwise). */
  reads?: ReadResource[];
  /** Wait for the cache to be connected first, 503 otherwise (default true; the stream reports the status itself). */
  connected?: boolean;
  /** Reply status on success (default 200). */
  status?: number;
}

type NextContext = { params: Promise<Record<string, string | string[]>> };

/** A GET/POST handler for Next: `export const GET = route({ names: { node: 'node' } }, async (c) => reply)`. */
export function route<N extends string = never>(
  spec: RouteSpec<N>,
  fn: (c: RouteContext<N>) => Promise<unknown> | unknown,
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
      const reply = await fn({ req, url: new URL(req.url), cache, id, names });
      return reply instanceof Response ? reply : json(reply, spec.status ?? 200);
    });
}
