// Small shared pieces of the views: events, conditions, node MCO state.
import 'server-only';
import type { EventItem, PoolCondition } from '../../lib/api/types';
import type { Condition, Node } from '../../lib/mco/types';
import { NodeAnnotations } from '../../lib/mco/types';
import type { EventLite } from '../cache';

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
