// The three actions: force reconcile, restore one file, pause/resume a pool. Each: read-only, origin and CSRF
// checks, the user's permission, validation, then a Kubernetes Event recorded BEFORE acting, then the act itself.
import { randomBytes } from 'node:crypto';
import * as k8s from '@kubernetes/client-node';
import type { ActionReply, ForceReconcileRequest, PausePoolRequest, RestoreFileRequest } from '../lib/api/types';
import type { ClusterCache } from './cache';
import { guardAction, identify, requireCapability, requireKubeConfig, type Capability } from './auth';
import { ApiFailure, badRequest, notFound, toApiFailure } from './errors';
import { FORCE_FILE, octalMode } from '../lib/mco';
import { managedEntry, nodeTarget, touchForceFile, writeNodeFile } from './nodefiles';
import { jsonBody, nodePath, objectName } from './validate';

const MCO_GROUP = 'machineconfiguration.openshift.io';

async function begin(req: Request, cache: ClusterCache, capability: Capability) {
  guardAction(req);
  await cache.requireConnected();
  const id = identify(req, cache);
  const perms = await requireCapability(id, capability);
  return { kc: requireKubeConfig(id), user: perms.user };
}

/** Record the audit Event as the acting user; a failure stops the action. */
async function recordEvent(
  kc: k8s.KubeConfig,
  involved: { kind: string; name: string; uid?: string; apiVersion: string },
  reason: string,
  message: string,
): Promise<void> {
  const now = new Date();
  const body: k8s.CoreV1Event = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${involved.name}.${now.getTime().toString(16)}${randomBytes(3).toString('hex')}`, namespace: 'default' },
    involvedObject: { kind: involved.kind, name: involved.name, uid: involved.uid, apiVersion: involved.apiVersion },
    reason,
    message,
    type: 'Normal',
    source: { component: 'plumb' },
    reportingComponent: 'plumb',
    reportingInstance: 'plumb',
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
  };
  try {
    await kc.makeApiClient(k8s.CoreV1Api).createNamespacedEvent({ namespace: 'default', body });
  } catch (err) {
    const f = toApiFailure(err);
    throw new ApiFailure(f.status, f.code, `could not record the audit event, so nothing was done: ${f.message}`);
  }
}

export async function forceReconcile(req: Request, cache: ClusterCache, nodeParam: string): Promise<ActionReply> {
  const node = objectName(nodeParam, 'node');
  const { kc, user } = await begin(req, cache, 'forceReconcile');
  const body = await jsonBody<ForceReconcileRequest>(req);
  if (body.confirm !== node) throw badRequest(`to force a reconcile, send {"confirm": "${node}"} (the node's name)`);
  const t = nodeTarget(cache, node);
  await recordEvent(
    kc,
    { kind: 'Node', name: node, uid: cache.nodes.get(node)?.metadata.uid, apiVersion: 'v1' },
    'PlumbForceReconcile',
    `${user} forced a reconcile of node ${node} through Plumb (created ${FORCE_FILE}); the daemon re-applies ${t.config.metadata.name} and reboots the node`,
  );
  await touchForceFile(kc, t.pod);
  return { ok: true, message: `Created ${FORCE_FILE} on ${node}: the daemon re-applies ${t.config.metadata.name} and reboots the node.` };
}

export async function restoreFile(req: Request, cache: ClusterCache, nodeParam: string): Promise<ActionReply> {
  const node = objectName(nodeParam, 'node');
  const { kc, user } = await begin(req, cache, 'restoreFile');
  const body = await jsonBody<RestoreFileRequest>(req);
  const path = nodePath(body.path);
  const t = nodeTarget(cache, node);
  const e = managedEntry(t, path);
  if (e.masked) throw badRequest(`${path} is a masked unit (a link to /dev/null), not a file Plumb can write; use force reconcile`);
  if (!e.contents) throw badRequest(`the config's contents for ${path} cannot be decoded: ${e.decodeError ?? 'unknown error'}`);
  const mode = octalMode(e.mode);
  await recordEvent(
    kc,
    { kind: 'Node', name: node, uid: cache.nodes.get(node)?.metadata.uid, apiVersion: 'v1' },
    'PlumbRestoreFile',
    `${user} restored ${path} on node ${node} through Plumb to its contents and mode ${mode} in ${t.config.metadata.name}`,
  );
  await writeNodeFile(kc, t.pod, path, e.contents, e.mode);
  return { ok: true, message: `Restored ${path} on ${node} (${e.contents.length} bytes, mode ${mode}) from ${t.config.metadata.name}.` };
}

export async function pausePool(req: Request, cache: ClusterCache, poolParam: string): Promise<ActionReply> {
  const pool = objectName(poolParam, 'pool');
  const { kc, user } = await begin(req, cache, 'pausePool');
  const body = await jsonBody<PausePoolRequest>(req);
  if (typeof body.paused !== 'boolean') throw badRequest('send {"paused": true} or {"paused": false}');
  const p = cache.pools.get(pool);
  if (!p) throw notFound(`MachineConfigPool ${pool} not found`);
  const verb = body.paused ? 'paused' : 'resumed';
  await recordEvent(
    kc,
    { kind: 'MachineConfigPool', name: pool, uid: p.metadata.uid, apiVersion: `${MCO_GROUP}/v1` },
    'PlumbPausePool',
    `${user} ${verb} MachineConfigPool ${pool} through Plumb`,
  );
  try {
    await kc.makeApiClient(k8s.CustomObjectsApi).patchClusterCustomObject(
      { group: MCO_GROUP, version: 'v1', plural: 'machineconfigpools', name: pool, body: { spec: { paused: body.paused } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
  } catch (err) {
    throw toApiFailure(err);
  }
  return { ok: true, message: `MachineConfigPool ${pool} ${verb}.` };
}
