// MachineConfigPool status (counts and conditions) from the pool's nodes, as the MCO node controller computes
// it (MCO pkg/controller/node/status.go calculateStatus, pkg/controller/common/layered_node_state.go).
import {
  NodeAnnotations,
  type Condition,
  type MachineConfigNode,
  type MachineConfigPool,
  type Node,
  type PoolStatusResult,
} from './types';
import { goQuote } from './goquote';

export interface PoolStatusOptions {
  /** The OpenShift version whose controller to imitate, e.g. "4.13", "4.16", "4.20.1". Default 4.16. */
  version?: string;
  /** The pool's MachineConfigNodes (4.20+): their NodeDegraded messages feed the degraded list. */
  machineConfigNodes?: readonly MachineConfigNode[];
  /** RFC 3339 time for conditions whose status changes. Default: the current time, to the second. */
  now?: string;
}

/** `[major, minor]` of an OpenShift version string; the default (4.16) when absent or unparsable. */
export function parseOpenShiftVersion(version: string | undefined): [number, number] {
  const m = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  return m ? [Number(m[1]), Number(m[2])] : [4, 16];
}

function atLeast(v: [number, number], major: number, minor: number): boolean {
  return v[0] > major || (v[0] === major && v[1] >= minor);
}

const ann = (n: Node, key: string): string => n.metadata.annotations?.[key] ?? '';

/** current == desired, both set, state Done, and the image annotations agree (both absent for classic pools). */
export function isNodeDone(n: Node): boolean {
  const current = ann(n, NodeAnnotations.currentConfig);
  const desired = ann(n, NodeAnnotations.desiredConfig);
  return (
    current !== '' &&
    desired !== '' &&
    current === desired &&
    ann(n, NodeAnnotations.state) === 'Done' &&
    ann(n, NodeAnnotations.currentImage) === ann(n, NodeAnnotations.desiredImage)
  );
}

/** Done at the pool's target config (and, this being a classic pool, not targeting an image). */
export function isNodeUpdated(n: Node, pool: MachineConfigPool): boolean {
  return (
    isNodeDone(n) &&
    ann(n, NodeAnnotations.currentConfig) === (pool.spec?.configuration?.name ?? '') &&
    ann(n, NodeAnnotations.desiredImage) === ''
  );
}

/** Why the node is not schedulable for updates (the MCO's checkNodeReady), or null when it is ready. */
export function nodeNotReadyReason(n: Node): string | null {
  const name = n.metadata.name;
  for (const c of n.status?.conditions ?? []) {
    if (c.type === 'Ready' && c.status !== 'True') return `node ${name} is reporting NotReady=${c.status}`;
    if (c.type === 'DiskPressure' && c.status !== 'False') return `node ${name} is reporting OutOfDisk=${c.status}`;
    if (c.type === 'NetworkUnavailable' && c.status !== 'False')
      return `node ${name} is reporting NetworkUnavailable=${c.status}`;
  }
  if (n.spec?.unschedulable) return `node ${name} is reporting Unschedulable`;
  return null;
}

const isFailingState = (s: string) => s === 'Degraded' || s === 'Unreconcilable';

/** An update to a different config failed: the controller may retarget such a node, so it is not "unavailable". */
export function isNodeMCDFailing(n: Node): boolean {
  if (ann(n, NodeAnnotations.currentConfig) === ann(n, NodeAnnotations.desiredConfig)) return false;
  return isFailingState(ann(n, NodeAnnotations.state));
}

/** Not ready, or working towards (or not yet started on) a config and not failing. A drifted node is unavailable. */
export function isNodeUnavailable(n: Node): boolean {
  if (nodeNotReadyReason(n) !== null) return true;
  if (isNodeDone(n)) return false;
  return !isNodeMCDFailing(n);
}

export function isNodeDegraded(n: Node): boolean {
  return ann(n, NodeAnnotations.desiredConfig) !== '' && isFailingState(ann(n, NodeAnnotations.state));
}

function nowSeconds(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * SetMachineConfigPoolCondition: an identical condition (status, reason, message) leaves the list untouched;
 * otherwise the old one is removed and the new one appended, keeping lastTransitionTime when only reason or
 * message changed.
 */
export function setPoolCondition(conditions: Condition[], next: Condition): Condition[] {
  const current = conditions.find((c) => c.type === next.type);
  if (
    current &&
    current.status === next.status &&
    (current.reason ?? '') === (next.reason ?? '') &&
    (current.message ?? '') === (next.message ?? '')
  ) {
    return conditions;
  }
  const cond = { ...next };
  if (current && current.status === next.status) cond.lastTransitionTime = current.lastTransitionTime;
  return [...conditions.filter((c) => c.type !== next.type), cond];
}

/**
 * The pool's status as the controller would write it, from its nodes (use poolNodes) and its current status.
 * Counts: updated (Done at the target), ready (updated and schedulable), unavailable, degraded. Conditions
 * Updated, Updating, NodeDegraded, Degraded are set in that order onto the existing list (RenderDegraded and
 * others carried over), with the message format of the given OpenShift version:
 * - before 4.14 the update line is the bare rendered name, from 4.14 `MachineConfig <name>`;
 * - from 4.19 the Degraded message repeats the NodeDegraded message (before: "");
 * - from 4.20, with MachineConfigNodes, each MCN reporting NodeDegraded=True adds `Node <n> is reporting: "<MCN
 *   message>"` before the annotation-based entries, so a degraded node appears twice.
 */
export function calculatePoolStatus(
  pool: MachineConfigPool,
  nodes: readonly Node[],
  opts: PoolStatusOptions = {},
): PoolStatusResult {
  const version = parseOpenShiftVersion(opts.version);
  const now = opts.now ?? nowSeconds();
  const target = pool.spec?.configuration?.name ?? '';

  const updated = nodes.filter((n) => isNodeUpdated(n, pool));
  const ready = updated.filter((n) => nodeNotReadyReason(n) === null);
  const unavailable = nodes.filter(isNodeUnavailable);
  const degraded = nodes.filter(isNodeDegraded);

  const degradedReasons: string[] = [];
  if (atLeast(version, 4, 20) && opts.machineConfigNodes) {
    // The controller walks the pool's nodes' MCNs and takes the message of a NodeDegraded=True condition.
    for (const node of nodes) {
      const mcn = opts.machineConfigNodes.find(
        (m) => m.metadata.name === node.metadata.name || m.spec?.node?.name === node.metadata.name,
      );
      const cond = mcn?.status?.conditions?.find((c) => c.type === 'NodeDegraded' && c.status === 'True');
      if (cond) degradedReasons.push(`Node ${node.metadata.name} is reporting: ${goQuote(cond.message ?? '')}`);
    }
  }
  for (const n of degraded) {
    const reason = ann(n, NodeAnnotations.reason);
    if (reason !== '') degradedReasons.push(`Node ${n.metadata.name} is reporting: ${goQuote(reason)}`);
  }

  const machineCount = nodes.length;
  const allUpdated = updated.length === machineCount && ready.length === machineCount && unavailable.length === 0;
  const updateLine = atLeast(version, 4, 14) ? `MachineConfig ${target}` : target;
  const cond = (type: string, status: string, reason: string, message: string): Condition => ({
    type,
    status,
    reason,
    message,
    lastTransitionTime: now,
  });

  let conditions: Condition[] = (pool.status?.conditions ?? []).map((c) => ({ ...c }));
  let configuration = pool.status?.configuration;
  if (allUpdated) {
    conditions = setPoolCondition(conditions, cond('Updated', 'True', '', `All nodes are updated with ${updateLine}`));
    conditions = setPoolCondition(conditions, cond('Updating', 'False', '', ''));
    if (pool.spec?.configuration) configuration = structuredClone(pool.spec.configuration);
  } else {
    conditions = setPoolCondition(conditions, cond('Updated', 'False', '', ''));
    conditions = setPoolCondition(
      conditions,
      pool.spec?.paused
        ? cond('Updating', 'False', '', `Pool is paused; will not update to ${updateLine}`)
        : cond('Updating', 'True', '', `All nodes are updating to ${updateLine}`),
    );
  }

  const nodeDegraded = degraded.length > 0;
  const nodeDegradedMessage = degradedReasons.join(', ');
  conditions = setPoolCondition(
    conditions,
    nodeDegraded
      ? cond(
          'NodeDegraded',
          'True',
          `${degraded.length} nodes are reporting degraded status on sync`,
          nodeDegradedMessage,
        )
      : cond('NodeDegraded', 'False', '', ''),
  );

  const renderDegraded = (pool.status?.conditions ?? []).some(
    (c) => c.type === 'RenderDegraded' && c.status === 'True',
  );
  if (nodeDegraded || renderDegraded) {
    const message = nodeDegraded && atLeast(version, 4, 19) ? nodeDegradedMessage : '';
    conditions = setPoolCondition(conditions, cond('Degraded', 'True', '', message));
  } else {
    conditions = setPoolCondition(conditions, cond('Degraded', 'False', '', ''));
  }

  const result: PoolStatusResult = {
    machineCount,
    updatedMachineCount: updated.length,
    readyMachineCount: ready.length,
    unavailableMachineCount: unavailable.length,
    degradedMachineCount: degraded.length,
    conditions,
  };
  if (configuration) result.configuration = configuration;
  if (pool.metadata.generation !== undefined) result.observedGeneration = pool.metadata.generation;
  return result;
}
