// List chunking: `limit` and `continue`. The continue token is the apiserver's own shape (base64 of
// {"v":"meta.k8s.io/v1","rv":N,"start":"<last key>\u0000"}, k8s.io/apiserver pkg/storage/continue.go); a continued
// page is served from the snapshot at the token's resourceVersion, rebuilt by undoing the store's later events,
// and a token older than the event history reaches back gets the 410 Expired a compacted etcd gives.
import type { HistoryResult } from '../store';
import type { KubeObject } from '../types';
import type { ResourceInfo } from './resources';
import type { Predicate } from './selectors';
import { badRequest, status, StatusError } from './status';

const TOKEN_VERSION = 'meta.k8s.io/v1';

const keyOf = (o: KubeObject) =>
  o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;

export function encodeContinue(rv: number, lastKey: string): string {
  return Buffer.from(JSON.stringify({ v: TOKEN_VERSION, rv, start: `${lastKey}\u0000` })).toString('base64url');
}

export function decodeContinue(token: string): { rv: number; start: string } {
  let t: { v?: unknown; rv?: unknown; start?: unknown } | null;
  try {
    t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('continue key is not valid: illegal base64 data or not a JSON continue token');
  }
  if (!t || t.v !== TOKEN_VERSION)
    throw badRequest(`continue key is not valid: server does not recognize this encoded version "${t?.v ?? ''}"`);
  if (typeof t.rv !== 'number' || !Number.isInteger(t.rv) || t.rv === 0 || t.rv < -1)
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof t.start !== 'string' || !t.start)
    throw badRequest('continue key is not valid: encoded start key empty (version meta.k8s.io/v1)');
  return { rv: t.rv, start: t.start };
}

const TOO_OLD =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

export interface PageRequest {
  info: ResourceInfo;
  namespace?: string;
  match: Predicate;
  /** Whether a label or field selector was given (the server then does not count the remaining items). */
  selective: boolean;
  limit: number;
  continueToken: string | null;
}

export interface Page {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/**
 * One page of a list. `current` lists the resource now (all namespaces); `history` gives its events after an RV.
 */
export function listPage(
  req: PageRequest,
  now: number,
  current: () => KubeObject[],
  history: (rv: number) => HistoryResult,
): Page {
  let rv = now;
  let start = '';
  let objects = current();
  if (req.continueToken !== null) {
    const t = decodeContinue(req.continueToken);
    start = t.start;
    // rv -1: the client accepted an inconsistent continuation (from a 410) and reads the latest state.
    if (t.rv !== -1 && t.rv < now) {
      const h = history(t.rv);
      if ('expired' in h) {
        const e: StatusError = status(410, 'Expired', TOO_OLD);
        (e.status.metadata as Record<string, unknown>) = { continue: encodeContinue(-1, start.replace(/\u0000$/, '')) };
        throw e;
      }
      // Undo the later events, newest first, to get the list as it was at the token's RV.
      const byKey = new Map(objects.map((o) => [keyOf(o), o]));
      for (const e of [...h.events].reverse()) {
        const k = keyOf(e.object);
        if (e.type === 'ADDED') byKey.delete(k);
        else byKey.set(k, (e.previous ?? e.object) as KubeObject);
      }
      objects = [...byKey.values()];
    }
    if (t.rv !== -1) rv = t.rv;
  }
  const ns = req.info.namespaced ? req.namespace : undefined;
  const matched = objects
    .filter((o) => (ns === undefined || o.metadata.namespace === ns) && req.match(o))
    .map((o) => [keyOf(o), o] as const)
    .filter(([k]) => !start || k >= start)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const page = req.limit > 0 ? matched.slice(0, req.limit) : matched;
  const out: Page = { items: page.map(([, o]) => o), resourceVersion: String(rv) };
  if (page.length < matched.length) {
    out.continue = encodeContinue(rv, page[page.length - 1][0]);
    if (!req.selective) out.remainingItemCount = matched.length - page.length;
  }
  return out;
}

/** The `limit` query parameter: 0 (no limit) when absent. */
export function limitParam(v: string | null): number {
  if (v === null || v === '') return 0;
  if (!/^\d+$/.test(v)) throw badRequest(`invalid limit "${v}"`);
  return Number(v);
}
