// Restore one file on one node, for callers that have already checked the request (CSRF, the user's right to exec,
// the right to record the audit): the bulk restore of a pool's drift group calls it once per node. The write and
// its audit Event (with the real outcome, after the act) are the single-node restore's own (server/actions.ts).
//
// This is the one place to run the MCO's post-action for the path (reload or restart the service the cluster's
// NodeDisruptionPolicy names, MCO pkg/daemon/update.go calculatePostConfigChangeAction) once the restore dialog's
// policy work lands: `then` is accepted here and nowhere else.
import type * as k8s from '@kubernetes/client-node';
import { audited } from './actions';
import type { ClusterCache } from './cache';
import { ApiFailure, badRequest } from './errors';
import { managedEntry, nodeTarget } from './nodefiles';
import { writeNodeFile } from './nodewrite';

export interface RestoreActor {
  cache: ClusterCache;
  /** The acting user's KubeConfig: every write is made, and authorised by the cluster, as that user. */
  kc: k8s.KubeConfig;
  /** The user's name for the audit. */
  actor: string;
}

/** A service action after the write (reload crio.service...). None is supported yet: see the header. */
export interface PostAction {
  type: string;
  serviceName?: string;
}

/**
 * Write `path` on `node` back to its current config's contents and mode, audited. `context` is added to the audit
 * message (e.g. "bulk restore of group g on pool worker"). Resolves with a message; throws ApiFailure on failure
 * (after recording it).
 */
export async function restoreOneFile(a: RestoreActor, node: string, path: string, opts: { then?: PostAction[]; context?: string } = {}): Promise<string> {
  if (opts.then?.length) throw badRequest('service actions after a restore are not available in this console yet: restore only');
  const t = nodeTarget(a.cache, node);
  const e = managedEntry(t, path);
  if (e.masked) throw badRequest(`${path} is a masked unit (a link to /dev/null), not a file Plumb can write; use force reconcile`);
  if (!e.contents) throw new ApiFailure(422, 'config_undecodable', `the config's contents for ${path} cannot be decoded: ${e.decodeError ?? 'unknown error'}`);
  const contents = e.contents;
  const mode = e.mode.toString(8).padStart(4, '0');
  const ctx = opts.context ? ` (${opts.context})` : '';
  const r = await audited(
    a.kc,
    { kind: 'Node', name: node, uid: a.cache.nodes.get(node)?.metadata.uid, apiVersion: 'v1' },
    'PlumbRestoreFile',
    () => writeNodeFile(a.kc, t.pod, path, contents, e.mode),
    `${a.actor} restored ${path} on node ${node} through Plumb to its contents and mode ${mode} in ${t.config.metadata.name}${ctx}`,
    `${a.actor} tried to restore ${path} on node ${node} through Plumb to its contents and mode ${mode} in ${t.config.metadata.name}${ctx}, which`,
  );
  const note = r.auditError ? ` The audit event could not be recorded: ${r.auditError}` : '';
  return `Restored ${path} (${contents.length} bytes, mode ${mode}) from ${t.config.metadata.name}.${note}`;
}
