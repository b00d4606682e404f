// Restore one file on one node, for the bulk restore of a pool's drift group (server/pooldrift.ts), which has
// already checked the request (CSRF, the user's right to exec, the right to record the audit). The write, the
// service actions and their audit Events (each with its real outcome, after it happens) are the single-node
// restore's own (server/actions.ts restoreOnNode). With `policyAction`, the service actions are those the cluster's
// NodeDisruptionPolicy names for the path on that node (MCO pkg/daemon/update.go calculatePostConfigChangeAction):
// reload crio.service after a registries change, say, so running services do not keep the hand-edited settings.
import 'server-only';
import type * as k8s from '@kubernetes/client-node';
import type { PostRestoreAction } from '../lib/api/types';
import { restoreOnNode } from './actions';
import type { ClusterCache } from './cache';
import { ApiFailure } from './errors';
import { managedEntry, nodeTarget } from './nodefiles';
import { policyInputs } from './policywatch';
import { pathPolicy } from './views/disruption';

export interface RestoreActor {
  cache: ClusterCache;
  /** The acting user's KubeConfig: every write is made, and authorised by the cluster, as that user. */
  kc: k8s.KubeConfig;
  /** The user's name for the audit. */
  actor: string;
}

/** The service actions the cluster's policy offers after restoring `path` on `node`; 409 when the policy is not known. */
export async function policyActions(cache: ClusterCache, node: string, path: string): Promise<PostRestoreAction[]> {
  const e = managedEntry(nodeTarget(cache, node), path);
  const p = pathPolicy(await policyInputs(cache), node, e);
  if (p.status !== 'decided')
    throw new ApiFailure(
      409,
      'conflict',
      `the cluster's policy for ${path} is not known (${p.sentence}), so Plumb runs no service action: restore only`,
    );
  return p.offer;
}

/** Restore `path` on `node`, then (with `policyAction`) the policy's service actions. Resolves with the message. */
export async function restoreOneFile(
  a: RestoreActor,
  node: string,
  path: string,
  opts: { policyAction?: boolean; context?: string } = {},
): Promise<string> {
  const then = opts.policyAction ? await policyActions(a.cache, node, path) : [];
  return restoreOnNode(a.cache, a.kc, a.actor, node, path, then, opts.context);
}
