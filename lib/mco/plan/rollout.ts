// In which order the node controller moves a pool's nodes to a new rendered config, and how many at once
// (MCO pkg/controller/node/node_controller.go getAllCandidateMachines / getCandidateMachines, maxUnavailable, and the
// zone-then-age ordering of its candidates). The simulator's node controller and the console's plans share these.
import { NodeAnnotations as A, type MachineConfigPool, type Node } from '../types';

const ann = (n: Node, key: string): string => n.metadata.annotations?.[key] ?? '';

export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** Ready for the MCO: Ready=True, no disk pressure, network available, schedulable (node_controller.go isNodeReady). */
export function isNodeReady(n: Node): boolean {
  const cond = (t: string) => n.status?.conditions?.find((c) => c.type === t)?.status;
  if (cond('Ready') !== 'True') return false;
  if (cond('DiskPressure') === 'True' || cond('NetworkUnavailable') === 'True') return false;
  return !n.spec?.unschedulable;
}

export function isNodeDone(n: Node): boolean {
  const cur = ann(n, A.currentConfig);
  return cur !== '' && cur === ann(n, A.desiredConfig) && ann(n, A.state) === 'Done';
}

/** The daemon failed to reach its desired config (MCDFailing: Degraded or Unreconcilable). */
export function isNodeFailing(n: Node): boolean {
  const state = ann(n, A.state);
  return ann(n, A.currentConfig) !== ann(n, A.desiredConfig) && (state === 'Degraded' || state === 'Unreconcilable');
}

export function isNodeUnavailable(n: Node): boolean {
  return !isNodeReady(n) || (!isNodeDone(n) && !isNodeFailing(n));
}

/** maxUnavailable as an IntOrString: a count, or a percentage of the pool rounded down; at least 1. */
export function maxUnavailable(pool: MachineConfigPool, poolSize: number): number {
  const v = pool.spec.maxUnavailable;
  let n = 1;
  if (typeof v === 'number') n = Math.floor(v);
  else if (typeof v === 'string') {
    const pct = /^(\d+)%$/.exec(v.trim());
    if (pct) n = Math.floor((Number(pct[1]) * poolSize) / 100);
    else if (/^\d+$/.test(v.trim())) n = Number(v.trim());
  }
  return Math.max(1, n);
}

/** Candidate order: zone ascending (nodes without a zone last), then oldest first, then name. */
export function rolloutOrder(a: Node, b: Node): number {
  const za = a.metadata.labels?.[ZONE_LABEL];
  const zb = b.metadata.labels?.[ZONE_LABEL];
  if (za !== zb) {
    if (za === undefined) return 1;
    if (zb === undefined) return -1;
    return za < zb ? -1 : 1;
  }
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

export interface RolloutPlan {
  /** maxUnavailable resolved against the pool's size. */
  maxUnavailable: number;
  /** Node names in the order the controller targets them, in batches (empty when the pool is paused). */
  batches: string[][];
  /** Nodes to update that are not Ready now: the controller targets them only once they are. */
  waiting: string[];
  /** Nodes already unavailable now: they use up capacity, so the first batch is smaller by this many. */
  unavailableNow: string[];
  /**
   * Nodes that use up every slot now (unavailable ones, and ones failing the target): while they stay so, the
   * controller targets nobody (getAllCandidateMachines returns no candidates). A node Degraded by drift counts:
   * its current and desired configs are equal, so it is neither Done nor "failing" (node/status.go isNodeUnavailable).
   */
  blockedBy: string[];
  /** Nodes already on (or targeted at) the new config. */
  alreadyThere: string[];
  paused: boolean;
}

/**
 * The rollout of `target` over the pool's `nodes`: the candidates (managed nodes not already targeted at it) in the
 * controller's order, in batches of maxUnavailable, the first one reduced by the nodes unavailable now. The
 * controller works as a sliding window (a finished node frees its slot at once), so batches are an upper bound of
 * the waiting between nodes, not a barrier.
 */
export function planRollout(pool: MachineConfigPool, nodes: Node[], target: string): RolloutPlan {
  const max = maxUnavailable(pool, nodes.length);
  const managed = nodes.filter((n) => ann(n, A.currentConfig) !== '');
  const unavailableNow = managed.filter(isNodeUnavailable);
  const alreadyThere = managed.filter((n) => ann(n, A.desiredConfig) === target).map((n) => n.metadata.name);
  const todo = managed.filter((n) => ann(n, A.desiredConfig) !== target);
  const ready = todo.filter(isNodeReady).sort(rolloutOrder);
  const waiting = todo
    .filter((n) => !isNodeReady(n))
    .sort(rolloutOrder)
    .map((n) => n.metadata.name);
  const paused = !!pool.spec.paused;
  const failingTarget = managed.filter((n) => ann(n, A.desiredConfig) === target && isNodeFailing(n));
  const blockedBy =
    unavailableNow.length + failingTarget.length >= max
      ? [...unavailableNow, ...failingTarget].map((n) => n.metadata.name)
      : [];
  const batches: string[][] = [];
  if (!paused) {
    const names = ready.map((n) => n.metadata.name);
    let i = 0;
    const first = max - unavailableNow.length;
    if (first > 0) {
      batches.push(names.slice(0, first));
      i = first;
    }
    for (; i < names.length; i += max) batches.push(names.slice(i, i + max));
    if (waiting.length > 0) for (let j = 0; j < waiting.length; j += max) batches.push(waiting.slice(j, j + max));
  }
  return {
    maxUnavailable: max,
    batches: batches.filter((b) => b.length > 0),
    waiting,
    unavailableNow: unavailableNow.map((n) => n.metadata.name),
    blockedBy,
    alreadyThere,
    paused,
  };
}
