// /api/pools and /api/pools/:pool, from the cache. Replies are memoised per cache generation, so repeated reads of
// an unchanged cluster cost one map lookup.
import 'server-only';
import { firstRows, type NodeTableView, type PoolFirstScreen } from '../../lib/api/node-table';
import { poolAttention } from '../../lib/api/pool-attention';
import type { AttentionItem, PoolNode, PoolPagePatch, PoolReply, PoolsReply, PoolSummary } from '../../lib/api/types';
import type { MachineConfigPool, Node } from '../../lib/mco/types';
import { NodeAnnotations } from '../../lib/mco/types';
import type { ReadResource } from '../auth';
import type { ClusterCache } from '../cache';
import { notFound } from '../errors';
import { annotation, eventItem, nodeConfigState, nodePhase, poolCondition } from './common';
import { explainReason } from '../../lib/mco/reason';

export { poolAttention };

export function poolSummary(p: MachineConfigPool): PoolSummary {
  const st = p.status ?? {};
  return {
    name: p.metadata.name,
    renderedConfig: st.configuration?.name ?? null,
    targetConfig: p.spec?.configuration?.name ?? null,
    paused: p.spec?.paused === true,
    maxUnavailable: p.spec?.maxUnavailable ?? 1,
    machineCount: st.machineCount ?? 0,
    readyMachineCount: st.readyMachineCount ?? 0,
    updatedMachineCount: st.updatedMachineCount ?? 0,
    degradedMachineCount: st.degradedMachineCount ?? 0,
    unavailableMachineCount: st.unavailableMachineCount ?? 0,
    conditions: (st.conditions ?? []).map(poolCondition),
    creationTimestamp: p.metadata.creationTimestamp ?? null,
  };
}

export function poolNode(n: Node): PoolNode {
  return {
    name: n.metadata.name,
    state: annotation(n, NodeAnnotations.state),
    reason: annotation(n, NodeAnnotations.reason) ?? '',
    ...nodeConfigState(n),
    phase: nodePhase(n),
    zone: n.metadata.labels?.['topology.kubernetes.io/zone'] ?? null,
  };
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

interface Memo {
  generation: number;
  value: unknown;
  /** Its JSON text, made on first use. */
  body?: string;
}
const memo = new WeakMap<ClusterCache, Map<string, Memo>>();

/** The reply `key` names at the cache's current generation, built once per generation. Callers must not change it. */
function memoEntry(cache: ClusterCache, key: string, build: () => unknown): Memo {
  let m = memo.get(cache);
  if (!m) memo.set(cache, (m = new Map()));
  const hit = m.get(key);
  if (hit && hit.generation === cache.generation) return hit;
  const entry: Memo = { generation: cache.generation, value: build() };
  m.set(key, entry);
  return entry;
}

function memoised(cache: ClusterCache, key: string, build: () => unknown): string {
  const entry = memoEntry(cache, key, build);
  return (entry.body ??= JSON.stringify(entry.value));
}

export function poolsReply(cache: ClusterCache): PoolsReply {
  const pools = [...cache.pools.values()].map(poolSummary).sort(byName);
  const attention: AttentionItem[] = [];
  for (const name of cache.attention) {
    const n = cache.nodes.get(name);
    if (!n) continue;
    const reason = annotation(n, NodeAnnotations.reason) ?? '';
    attention.push({
      node: name,
      pool: cache.poolOf(name),
      state: annotation(n, NodeAnnotations.state) ?? '',
      reason,
      explanation: explainReason(reason),
    });
  }
  attention.sort((a, b) => (a.node < b.node ? -1 : 1));
  return { rev: cache.rev(), pools, attention, poolAttention: pools.flatMap(poolAttention) };
}

/** What the pools' reply is made of: a forwarded user must be allowed to list and watch each to be sent it. */
export const POOLS_READS: ReadResource[] = ['machineconfigpools', 'nodes'];

/** The JSON text of PoolsReply. */
export function poolsJson(cache: ClusterCache): string {
  return memoised(cache, '*', () => poolsReply(cache));
}

/** PoolsReply for a page to render into its document (the overview, `/pools`): the same memoised reply, whole. */
export function poolsFirstScreen(cache: ClusterCache): PoolsReply {
  return memoEntry(cache, '*', () => poolsReply(cache)).value as PoolsReply;
}

export function poolReply(cache: ClusterCache, name: string): PoolReply {
  const p = cache.pools.get(name);
  if (!p) throw notFound(`MachineConfigPool ${name} not found`);
  const nodes: PoolNode[] = [];
  for (const n of cache.poolNodeNames(name)) {
    const node = cache.nodes.get(n);
    if (node) nodes.push(poolNode(node));
  }
  nodes.sort(byName);
  return {
    rev: cache.rev(),
    pool: poolSummary(p),
    nodes,
    ...poolPage(p),
    events: cache.eventsFor('MachineConfigPool', name).map(eventItem),
  };
}

/** A pool page's fields beside its summary and nodes. */
export function poolPage(p: MachineConfigPool): PoolPagePatch {
  const source = p.spec?.configuration?.source ?? p.status?.configuration?.source ?? [];
  return {
    sources: source.map((s) => s.name),
    selectors: {
      machineConfigSelector: p.spec?.machineConfigSelector ?? null,
      nodeSelector: p.spec?.nodeSelector ?? null,
    },
  };
}

/** What a pool's reply is made of: a forwarded user must be allowed to list and watch each to be sent it. */
export const POOL_READS: ReadResource[] = ['machineconfigpools', 'nodes', 'events'];

/** The JSON text of PoolReply (throws not_found). */
export function poolJson(cache: ClusterCache, name: string): string {
  if (!cache.pools.has(name)) throw notFound(`MachineConfigPool ${name} not found`);
  return memoised(cache, `pool/${name}`, () => poolReply(cache, name));
}

/**
 * The first screen of `/pools/<name>` for the table view of the page's URL (lib/api/node-table.ts PoolFirstScreen),
 * from the same memoised reply as poolJson (throws not_found).
 */
export function poolFirstScreen(cache: ClusterCache, name: string, view: NodeTableView): PoolFirstScreen {
  if (!cache.pools.has(name)) throw notFound(`MachineConfigPool ${name} not found`);
  const reply = memoEntry(cache, `pool/${name}`, () => poolReply(cache, name)).value as PoolReply;
  const { rows, counts } = firstRows(reply.nodes, view);
  return { reply: { ...reply, nodes: rows, events: [] }, counts };
}
