// Stream deltas (lib/api/types.ts StreamDelta), made and applied: the server diffs a pool-page row or a pool summary
// against what it last announced; the browser applies the result to the replies it holds, in place of a refetch.
// The idea is Headlamp's (frontend/src/lib/k8s/api/v2/useKubeObjectList.ts updates its list from watch events
// instead of listing again), at the granularity of our rows. Pure: no I/O, no React.
import { poolAttention } from './pool-attention';
import type {
  CacheRev,
  EventItem,
  NodeRowPatch,
  PoolNode,
  PoolReply,
  PoolsReply,
  PoolSummary,
  PoolSummaryPatch,
  StreamDelta,
} from './types';

/** Events a pool page keeps, as the server does per object (server/cache.ts EVENTS_PER_OBJECT). */
export const EVENTS_KEPT = 50;

const same = (a: unknown, b: unknown) =>
  a === b || (typeof a === 'object' && a !== null && JSON.stringify(a) === JSON.stringify(b));

/** The fields of `next` that differ from `prev` (every field when there is no `prev`), or null when none do. */
function diff<T extends { name: string }>(prev: T | undefined, next: T): Partial<Omit<T, 'name'>> | null {
  const out: Record<string, unknown> = {};
  let any = false;
  for (const [k, v] of Object.entries(next)) {
    if (k === 'name') continue;
    if (prev && same((prev as Record<string, unknown>)[k], v)) continue;
    out[k] = v;
    any = true;
  }
  return any ? (out as Partial<Omit<T, 'name'>>) : null;
}

export const rowPatch = (prev: PoolNode | undefined, next: PoolNode): NodeRowPatch | null => diff(prev, next);

/**
 * The row fields the node table filters and sorts every row by (components/NodeTable.tsx `matches` and its sort
 * keys): a row out of view gets only these, so the filter counts and the order stay right without every row whole.
 */
export const ROW_INDEX_FIELDS = [
  'state',
  'phase',
  'ready',
  'currentConfig',
  'zone',
] as const satisfies readonly (keyof NodeRowPatch)[];

/** A row patch cut to ROW_INDEX_FIELDS, with whether it dropped anything. */
export function indexPatch(set: NodeRowPatch): { set: NodeRowPatch; dropped: boolean } {
  const out: Record<string, unknown> = {};
  let kept = 0;
  for (const k of ROW_INDEX_FIELDS)
    if (k in set) {
      out[k] = set[k];
      kept++;
    }
  return { set: out as NodeRowPatch, dropped: kept < Object.keys(set).length };
}
export const poolPatch = (prev: PoolSummary | undefined, next: PoolSummary): PoolSummaryPatch | null =>
  diff(prev, next);

/** Two patches of one object in order, as one: later values win. */
export function mergePatch<P extends object>(first: P | undefined, then: P): P {
  return first ? { ...first, ...then } : then;
}

/** Whether a reply already holds a change of generation `gen` from cache `epoch` (it was built at or after it). */
export function coveredBy(rev: CacheRev | undefined, epoch: string | null, gen: number): boolean {
  return !!rev && rev.epoch === epoch && rev.gen >= gen;
}

/** The delta's items a reply does not hold yet. */
function fresh<T extends { gen: number }>(items: T[] | undefined, rev: CacheRev | undefined, epoch: string | null) {
  return items?.filter((i) => !coveredBy(rev, epoch, i.gen)) ?? [];
}

function patchSummaries(pools: PoolSummary[], sets: { name: string; set?: PoolSummaryPatch }[]): PoolSummary[] {
  const by = new Map(sets.flatMap((p) => (p.set ? [[p.name, p.set] as const] : [])));
  if (!by.size) return pools;
  let changed = false;
  const out = pools.map((p) => {
    const set = by.get(p.name);
    if (!set) return p;
    changed = true;
    return { ...p, ...set };
  });
  return changed ? out : pools;
}

/** Newest first, as the server lists them (server/cache.ts eventsFor). */
const byLastSeen = (a: EventItem, b: EventItem) => (b.lastTimestamp ?? '').localeCompare(a.lastTimestamp ?? '');

/** The events with `items` added or replaced (by id), newest first, at most EVENTS_KEPT. */
export function upsertEvents(events: EventItem[], items: EventItem[]): EventItem[] {
  if (!items.length) return events;
  const ids = new Set(items.map((e) => e.id));
  const out = [...events.filter((e) => !e.id || !ids.has(e.id)), ...items];
  out.sort(byLastSeen);
  return out.slice(0, EVENTS_KEPT);
}

/**
 * A pool page's reply with a delta applied: its rows, its summary and its events, each only where the reply does not
 * hold it yet. Returns the same object when the delta changes nothing there (react-query then re-renders nothing).
 * The reply keeps the `rev` it was fetched with: a patched reply still misses what the server held back, so only a
 * fetch may claim a newer generation.
 */
export function applyToPool(reply: PoolReply, d: StreamDelta, epoch: string | null): PoolReply {
  const name = reply.pool.name;
  let nodes = reply.nodes;
  const rows = fresh(d.rows, reply.rev, epoch).filter((r) => r.pool === name);
  if (rows.length) {
    const by = new Map(rows.map((r) => [r.name, r.set]));
    nodes = reply.nodes.map((n) => {
      const set = by.get(n.name);
      return set ? { ...n, ...set } : n;
    });
  }
  const summaries = fresh(d.pools, reply.rev, epoch).filter((p) => p.name === name);
  const [pool] = patchSummaries([reply.pool], summaries);
  const page = summaries.findLast((p) => p.page)?.page;
  const items = fresh(d.events, reply.rev, epoch).flatMap((e) => (e.pool === name ? [e.item] : []));
  const events = upsertEvents(reply.events, items);
  if (nodes === reply.nodes && pool === reply.pool && events === reply.events && !page) return reply;
  return { ...reply, pool, nodes, events, ...page };
}

/**
 * The overview's reply with the pools' summary changes applied, and the pool attention derived again from them (the
 * node attention list is refetched, see `stale`).
 */
export function applyToPools(reply: PoolsReply, d: StreamDelta, epoch: string | null): PoolsReply {
  const pools = patchSummaries(reply.pools, fresh(d.pools, reply.rev, epoch));
  if (pools === reply.pools) return reply;
  return { ...reply, pools, poolAttention: pools.flatMap(poolAttention) };
}
