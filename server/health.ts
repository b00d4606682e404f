// /healthz and /readyz. Liveness is the process answering at all (a wedged event loop fails it); readiness is the
// cache being synced with the cluster, because every page and API read is served from it: a replica that has not
// listed yet, or has lost its watches, would answer 503s, so the Service should send users to another replica.
// Both are answered by scripts/serve.mjs before Next (through registerHealth()) and by app/healthz, app/readyz
// under `next dev`.
import 'server-only';
import { getCache } from './cache';

export interface Readiness {
  ready: boolean;
  /** Why not, in a sentence; null when ready. */
  reason: string | null;
  informers: { kind: string; synced: boolean; lastError: string | null }[];
}

const DRAINING = Symbol.for('plumb.draining');
type G = typeof globalThis & { [DRAINING]?: boolean };

export function readiness(): Readiness {
  const cache = getCache();
  const informers = cache.informerHealth().map(({ kind, synced, lastError }) => ({ kind, synced, lastError }));
  if ((globalThis as G)[DRAINING]) return { ready: false, reason: 'shutting down', informers };
  const status = cache.getStatus();
  if (status.connected) return { ready: true, reason: null, informers };
  const waiting = informers.filter((i) => !i.synced).map((i) => i.kind);
  const reason = status.message ?? 'not connected to the cluster';
  return { ready: false, reason: waiting.length ? `${reason} (not synced: ${waiting.join(', ')})` : reason, informers };
}

/** The replies, shared by the production server and the Next route handlers. */
export function healthReply(path: '/healthz' | '/readyz'): { status: number; body: string } {
  if (path === '/healthz') return { status: 200, body: JSON.stringify({ ok: true }) };
  const r = readiness();
  return { status: r.ready ? 200 : 503, body: JSON.stringify(r) };
}

const KEY = Symbol.for('plumb.health');
export type HealthHook = typeof healthReply;

/** Make healthReply reachable from scripts/serve.mjs, which runs outside Next's module graph. */
export function registerHealth(): void {
  (globalThis as typeof globalThis & { [KEY]?: HealthHook })[KEY] = healthReply;
}
