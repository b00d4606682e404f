// /api/nodes: every node with its pool. /api/nodes/:node: the node's MCO state, decoded annotations, the reason explained, MCN phases and events.
import 'server-only';
import { firstRows, type NodeTableView, type NodesFirstScreen } from '../../lib/api/node-table';
import type { NodeReply, NodesReply } from '../../lib/api/types';
import { ANNOTATION_PREFIX, NodeAnnotations } from '../../lib/mco/types';
import { permissions, type Identity, type ReadResource } from '../auth';
import type { ClusterCache } from '../cache';
import { notFound } from '../errors';
import { annotation, eventItem, nodeConfigState, poolCondition } from './common';
import { nodeServices } from './disruption';
import { poolNode } from './pools';
import { explainReason } from '../../lib/mco/reason';

/** `machineConfigNodes: false` leaves out the MachineConfigNode (a user who may list nodes but not those). */
export function nodeReply(cache: ClusterCache, name: string, opts: { machineConfigNodes?: boolean } = {}): NodeReply {
  const n = cache.nodes.get(name);
  if (!n) throw notFound(`node ${name} not found`);
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(n.metadata.annotations ?? {})) {
    if (k.startsWith(ANNOTATION_PREFIX)) annotations[k.slice(ANNOTATION_PREFIX.length)] = v;
  }
  const reason = annotation(n, NodeAnnotations.reason) ?? '';
  let machineConfigNode: NodeReply['machineConfigNode'] = null;
  const mcn = opts.machineConfigNodes === false ? undefined : cache.machineConfigNodes?.get(name);
  if (mcn) {
    machineConfigNode = {
      phases: (mcn.status?.conditions ?? []).map(poolCondition),
      currentConfig: mcn.status?.configVersion?.current ?? null,
      desiredConfig: mcn.spec?.configVersion?.desired ?? mcn.status?.configVersion?.desired ?? null,
    };
  }
  return {
    name,
    pool: cache.poolOf(name),
    state: annotation(n, NodeAnnotations.state),
    reason,
    explanation: explainReason(reason),
    ...nodeConfigState(n),
    postConfigAction: annotation(n, NodeAnnotations.postConfigAction),
    annotations,
    machineConfigNode,
    events: cache.eventsFor('Node', name).map(eventItem),
    addresses: n.status?.addresses ?? [],
    nodeInfo: (n.status?.nodeInfo ?? {}) as Record<string, string>,
    services: nodeServices(cache, name),
  };
}

/** What a node's reply is made of (its MachineConfigNode is left out for a user who may not list those). */
export const NODE_READS: ReadResource[] = ['nodes', 'events'];

/** The node's reply as `id` may see it: without its MachineConfigNode for a forwarded user who may not list those. */
export async function nodeReplyFor(cache: ClusterCache, id: Identity, name: string): Promise<NodeReply> {
  const machineConfigNodes = id.key === 'kubeconfig' || (await permissions(id, cache.kc)).reads.machineconfignodes;
  return nodeReply(cache, name, { machineConfigNodes });
}

/** The first screen of a node's pages: its reply without events (their ages would read differently in the browser). */
export async function nodeFirstScreen(cache: ClusterCache, id: Identity, name: string): Promise<NodeReply> {
  return { ...(await nodeReplyFor(cache, id, name)), events: [] };
}

/** What the node list is made of: a forwarded user must be allowed to list and watch each to be sent it. */
export const NODES_READS: ReadResource[] = ['nodes', 'machineconfigpools'];

export function nodesReply(cache: ClusterCache): NodesReply {
  const nodes = [...cache.nodes.values()].map((n) => ({ ...poolNode(n), pool: cache.poolOf(n.metadata.name) }));
  nodes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { nodes };
}

/** The first screen of `/nodes` for the table view of the page's URL (lib/api/node-table.ts NodesFirstScreen). */
export function nodesFirstScreen(cache: ClusterCache, view: NodeTableView): NodesFirstScreen {
  const { rows, counts } = firstRows(nodesReply(cache).nodes, view);
  return { reply: { nodes: rows }, counts };
}
