// The two hottest reads (/api/pools and /api/pools/<pool>), answered by the production server (scripts/serve.mjs)
// before a request enters Next: Next's own per-request work is ~2 ms of CPU here, 30x what these memoised replies
// cost, and it is what made 20 concurrent clients queue. The bytes are the route handlers' own (same views, same
// memo). Only for the console's own identity: with forwarded users the route handlers authorise each read.
// Whatever is not a plain hit — not connected yet, an unknown pool, an odd path — returns null and goes
// through the route handler, which owns waiting, 503s and 404s.
import 'server-only';
import { getCache } from './cache';
import { config } from './config';
import { setProcessSingleton } from './singleton';
import { poolJson, poolsJson } from './views/pools';

const POOL_PATH = /^\/api\/pools\/([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?)$/;

export type FastRead = (pathname: string) => string | null;

export function fastRead(pathname: string): string | null {
  // With forwarded users every read is authorised per user: the route handlers do that, so no fast path.
  if (config().userTokenHeader) return null;
  const cache = getCache();
  if (!cache.getStatus().connected) return null;
  if (pathname === '/api/pools') return poolsJson(cache);
  const pool = POOL_PATH.exec(pathname)?.[1];
  return pool && cache.pools.has(pool) ? poolJson(cache, pool) : null;
}

/** Make fastRead reachable from scripts/serve.mjs, which runs in the same process outside Next's module graph. */
export function registerFastReads(): void {
  setProcessSingleton<FastRead>('fastReads', fastRead);
}
