// Small shared pieces of the views: events, conditions, node MCO state.
import 'server-only';
import type { EventItem, PoolCondition, PoolNode } from '../../lib/api/types';
import type { Condition, MachineConfig, Node } from '../../lib/mco/types';
import { NodeAnnotations } from '../../lib/mco/types';
import type { ClusterCache, EventLite } from '../cache';
import { ApiFailure, notFound } from '../errors';

export function eventItem(e: EventLite): EventItem {
  return {
    id: `${e.namespace}/${e.name}`,
    type: e.type,
    reason: e.reason,
    message: e.message,
    object: `${e.involvedKind}/${e.involvedName}`,
    count: e.count,
    firstTimestamp: e.firstTimestamp,
    lastTimestamp: e.lastTimestamp,
    source: e.source,
  };
}

export function poolCondition(c: Condition): PoolCondition {
  return {
    type: c.type,
    status: c.status,
    reason: c.reason ?? '',
    message: c.message ?? '',
    lastTransitionTime: c.lastTransitionTime ?? null,
  };
}

export function annotation(node: Node, key: string): string | null {
  const v = node.metadata.annotations?.[key];
  return v === undefined ? null : v;
}

export function nodeReady(node: Node): boolean {
  return node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
}

/** What every node row shows of its config and drain: current and desired config, readiness, cordon, drain. */
export function nodeConfigState(
  n: Node,
): Pick<PoolNode, 'currentConfig' | 'desiredConfig' | 'ready' | 'unschedulable' | 'drain'> {
  return {
    currentConfig: annotation(n, NodeAnnotations.currentConfig),
    desiredConfig: annotation(n, NodeAnnotations.desiredConfig),
    ready: nodeReady(n),
    unschedulable: n.spec?.unschedulable === true,
    drain: {
      desired: annotation(n, NodeAnnotations.desiredDrain),
      lastApplied: annotation(n, NodeAnnotations.lastAppliedDrain),
    },
  };
}

/** 'rebooting' while the daemon has announced a reboot, or the node is NotReady mid-update. */
export function nodePhase(node: Node): string | null {
  const post = annotation(node, NodeAnnotations.postConfigAction);
  if (post === 'Rebooting') return 'rebooting';
  const current = annotation(node, NodeAnnotations.currentConfig);
  const desired = annotation(node, NodeAnnotations.desiredConfig);
  if (!nodeReady(node) && current && desired && current !== desired) return 'rebooting';
  if (current && desired && current !== desired) return 'updating';
  return null;
}

/** The node's current rendered config (its currentConfig annotation), or 404 for either, 409 before the MCO manages it. */
export function nodeCurrentConfig(cache: ClusterCache, node: string): MachineConfig {
  const n = cache.nodes.get(node);
  if (!n) throw notFound(`node ${node} not found`);
  const current = n.metadata.annotations?.[NodeAnnotations.currentConfig];
  if (!current)
    throw new ApiFailure(
      409,
      'conflict',
      `node ${node} has no currentConfig annotation: the MCO does not manage it yet`,
    );
  const config = cache.machineConfigs.get(current);
  if (!config) throw notFound(`the node's current config ${current} was not found`);
  return config;
}
