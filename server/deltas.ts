// What a change did to the views, worked out once per change in the cache (not once per open stream): a node's
// pool-page row fields, a pool's summary fields, a pool's new or updated event, and which views cannot be patched
// (a pool's node list, the overview's attention list). server/stream.ts sends each stream its share.
import 'server-only';
import type { EventItem, NodeRowPatch, PoolNode, PoolPagePatch, PoolSummary, PoolSummaryPatch } from '../lib/api/types';
import { poolPatch, rowPatch } from '../lib/api/patch';
import type { ClusterCache, EventLite } from './cache';
import { eventItem } from './views/common';
import { poolNode, poolPage, poolSummary } from './views/pools';

/** A change notice with what it changed in the views; the cache's listeners receive these. */
export interface CacheChange {
  kind: 'Node' | 'MachineConfig' | 'MachineConfigPool' | 'MachineConfigNode' | 'Event';
  name: string;
  /** Node: the row fields that changed in its primary pool's list (absent when nothing on the row changed). */
  row?: { pool: string; set: NodeRowPatch };
  /** Pools whose node list changed (a node added, removed or moved): their pages cannot be patched. */
  members?: string[];
  /** The overview's attention list changed. */
  attention?: boolean;
  /** MachineConfigPool: its summary fields that changed. */
  summary?: PoolSummaryPatch;
  /** MachineConfigPool: its page's sources or selectors changed (the new values). */
  page?: PoolPagePatch;
  /** MachineConfigPool: it came or went. */
  reshaped?: boolean;
  /** Event about a MachineConfigPool: the item as its page lists it (absent when it was deleted). */
  event?: { pool: string; item: EventItem | null };
}

/** The last row and summary announced per object, to diff the next one against. */
export class ViewDeltas {
  private readonly rows = new Map<string, { pool: string | null; row: PoolNode; attention: string | null }>();
  private readonly summaries = new Map<string, { summary: PoolSummary; rest: string }>();

  constructor(private readonly cache: ClusterCache) {}

  /** After cache.nodes (and membership) took the change of `name`. */
  node(name: string): CacheChange {
    const change: CacheChange = { kind: 'Node', name };
    const prev = this.rows.get(name);
    const node = this.cache.nodes.get(name);
    if (!node) {
      this.rows.delete(name);
      if (prev?.pool) change.members = [prev.pool];
      if (prev?.attention !== null && prev?.attention !== undefined) change.attention = true;
      return change;
    }
    const pool = this.cache.poolOf(name);
    const row = poolNode(node);
    const attention = this.cache.attention.has(name) ? `${row.state}\n${row.reason}` : null;
    this.rows.set(name, { pool, row, attention });
    if ((prev?.attention ?? null) !== attention) change.attention = true;
    if (!prev || prev.pool !== pool) {
      change.members = [prev?.pool, pool].filter((p): p is string => !!p);
      return change;
    }
    const set = rowPatch(prev.row, row);
    if (set && pool) change.row = { pool, set };
    return change;
  }

  /** After cache.pools took the change of `name` (and membership was recomputed). */
  pool(name: string): CacheChange {
    const change: CacheChange = { kind: 'MachineConfigPool', name };
    const prev = this.summaries.get(name);
    const p = this.cache.pools.get(name);
    if (!p) {
      this.summaries.delete(name);
      change.reshaped = true;
      return change;
    }
    const summary = poolSummary(p);
    const page = poolPage(p);
    const rest = JSON.stringify(page);
    this.summaries.set(name, { summary, rest });
    if (!prev) change.reshaped = true;
    else if (prev.rest !== rest) change.page = page;
    const set = poolPatch(prev?.summary, summary);
    if (set) change.summary = set;
    return change;
  }

  /** Membership was recomputed in full (a pool changed): rows whose pool changed make their pools stale. */
  remember(): string[] {
    const moved = new Set<string>();
    for (const [name, r] of this.rows) {
      const pool = this.cache.poolOf(name);
      if (pool === r.pool) continue;
      if (r.pool) moved.add(r.pool);
      if (pool) moved.add(pool);
      r.pool = pool;
    }
    return [...moved];
  }

  event(e: EventLite, deleted: boolean): CacheChange {
    const change: CacheChange = { kind: 'Event', name: e.involvedName };
    if (e.involvedKind === 'MachineConfigPool')
      change.event = { pool: e.involvedName, item: deleted ? null : eventItem(e) };
    return change;
  }
}
