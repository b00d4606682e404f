// Which pool a node belongs to, as the MCO decides it (helpers.GetPoolsForNode / GetPrimaryPoolForNode and the
// MCO pkg/helpers/helpers.go GetNodesForPool).
import type { LabelSelector, MachineConfigPool, Node } from './types';

/**
 * Whether labels satisfy a Kubernetes label selector: every matchLabels pair and every matchExpressions
 * requirement (In, NotIn, Exists, DoesNotExist). An absent or empty selector matches everything here; callers
 * decide what an empty selector means (the MCO makes an empty pool nodeSelector match no node).
 * An unknown operator matches nothing (Kubernetes rejects such a selector, so it selects nothing).
 */
export function matchesSelector(
  selector: LabelSelector | undefined | null,
  labels: Record<string, string> | undefined | null,
): boolean {
  if (!selector) return true;
  const have = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (!Object.hasOwn(have, key) || have[key] !== value) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    const present = Object.hasOwn(have, req.key);
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In':
        if (!present || !values.includes(have[req.key])) return false;
        break;
      case 'NotIn':
        if (present && values.includes(have[req.key])) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** A selector with no requirements at all; the MCO lets such a pool select no node. */
export function isEmptySelector(selector: LabelSelector | undefined | null): boolean {
  return (
    !selector ||
    (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0)
  );
}

export function isWindowsNode(node: Node): boolean {
  return node.metadata.labels?.['kubernetes.io/os'] === 'windows';
}

const MASTER = 'master';
const WORKER = 'worker';

/**
 * The node's primary pool: master wins over a custom pool, a custom pool wins over worker; a node in more than
 * one custom pool belongs to none (error, with the MCO's message). Windows nodes belong to none.
 */
export function primaryPool(
  node: Node,
  pools: readonly MachineConfigPool[],
): { pool: MachineConfigPool | null; error?: string } {
  if (isWindowsNode(node)) return { pool: null };
  const matching = pools.filter(
    (p) => !isEmptySelector(p.spec?.nodeSelector) && matchesSelector(p.spec?.nodeSelector, node.metadata.labels),
  );
  let master: MachineConfigPool | undefined;
  let worker: MachineConfigPool | undefined;
  const custom: MachineConfigPool[] = [];
  for (const p of matching) {
    if (p.metadata.name === MASTER) master = p;
    else if (p.metadata.name === WORKER) worker = p;
    else custom.push(p);
  }
  if (custom.length > 1) {
    return {
      pool: null,
      error: `node ${node.metadata.name} belongs to ${custom.length} custom roles, cannot proceed with this Node`,
    };
  }
  if (master) return { pool: master };
  if (custom.length === 1) return { pool: custom[0] };
  return { pool: worker ?? null };
}

/**
 * Every pool's nodes (keyed by pool name, every pool present, nodes in input order) and the nodes that could not
 * be placed, with the MCO's message.
 */
export function poolMembership(
  pools: readonly MachineConfigPool[],
  nodes: readonly Node[],
): { byPool: Record<string, Node[]>; errors: { node: string; message: string }[] } {
  const byPool: Record<string, Node[]> = {};
  for (const p of pools) byPool[p.metadata.name] = [];
  const errors: { node: string; message: string }[] = [];
  for (const node of nodes) {
    const { pool, error } = primaryPool(node, pools);
    if (error) errors.push({ node: node.metadata.name, message: error });
    if (pool) byPool[pool.metadata.name].push(node);
  }
  return { byPool, errors };
}

/** The nodes whose primary pool is `pool` (the node controller's getNodesForPool), in input order. */
export function poolNodes(
  pool: MachineConfigPool,
  pools: readonly MachineConfigPool[],
  nodes: readonly Node[],
): Node[] {
  // The pool itself may be missing from `pools` (e.g. a new pool being previewed): include it.
  const all = pools.some((p) => p.metadata.name === pool.metadata.name)
    ? pools.map((p) => (p.metadata.name === pool.metadata.name ? pool : p))
    : [...pools, pool];
  return nodes.filter((n) => primaryPool(n, all).pool?.metadata.name === pool.metadata.name);
}
