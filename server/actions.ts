// The three actions: force reconcile, restore one file, pause/resume a pool. Each: read-only, origin and CSRF
// checks, the user's permission, validation, then a Kubernetes Event recorded BEFORE acting, then the act itself (and, for
// a restore's service actions, an Event with each one's real outcome after it).
import { randomBytes } from 'node:crypto';
import * as k8s from '@kubernetes/client-node';
import type { ActionReply, ForceReconcileRequest, PausePoolRequest, PostRestoreAction, RestoreRequest } from '../lib/api/types';
import { FORCE_FILE, octalMode } from '../lib/mco';
import type { ClusterCache } from './cache';
import { guardAction, identify, requireCapability, requireKubeConfig, type Capability } from './auth';
import { ApiFailure, badRequest, nodeUnreachable, notFound, toApiFailure } from './errors';
import { managedEntry, nodeTarget, touchForceFile, writeNodeFile } from './nodefiles';
import { runServiceAction } from './nodeservice';
import { policyInputs } from './policywatch';
import { jsonBody, nodePath, objectName } from './validate';
import { pathPolicy, PLUMB_SERVICE_EVENT, postActionWords, sameActions } from './views/disruption';

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
  type: 'Normal' | 'Warning' = 'Normal',
): Promise<void> {
  const now = new Date();
  const body: k8s.CoreV1Event = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${involved.name}.${now.getTime().toString(16)}${randomBytes(3).toString('hex')}`, namespace: 'default' },
    involvedObject: { kind: involved.kind, name: involved.name, uid: involved.uid, apiVersion: involved.apiVersion },
    reason,
    message,
    type,
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

/** The `then` of a restore request: a list of {type, serviceName?} (lib/api RestoreRequest), or 400. */
function postActions(value: unknown): PostRestoreAction[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > 8) throw badRequest('then must be a list of at most 8 actions: [{"type": "Reload", "serviceName": "crio.service"}]');
  return value.map((a) => {
    const type = (a as { type?: unknown })?.type;
    const serviceName = (a as { serviceName?: unknown })?.serviceName;
    if (type === 'DaemonReload' && serviceName === undefined) return { type };
    if ((type === 'Reload' || type === 'Restart') && typeof serviceName === 'string' && /^[A-Za-z0-9:_.@\\-]{1,255}$/.test(serviceName)) return { type, serviceName };
    throw badRequest(`each action of then is {"type": "Reload"|"Restart", "serviceName": "<unit>"} or {"type": "DaemonReload"}; got ${JSON.stringify(a).slice(0, 200)}`);
  });
}

/**
 * Restore one file to its config's contents and mode; then, when asked, run the service actions the cluster's
 * disruption policy names for that path (reload crio.service…), so running services do not keep the hand-edited
 * settings. The audit Event is recorded before acting; each service action's real outcome is recorded after it.
 */
export async function restoreFile(req: Request, cache: ClusterCache, nodeParam: string): Promise<ActionReply> {
  const node = objectName(nodeParam, 'node');
  const { kc, user } = await begin(req, cache, 'restoreFile');
  const body = await jsonBody<RestoreRequest>(req);
  const path = nodePath(body.path);
  const then = postActions(body.then);
  const t = nodeTarget(cache, node);
  const e = managedEntry(t, path);
  if (e.masked) throw badRequest(`${path} is a masked unit (a link to /dev/null), not a file Plumb can write; use force reconcile`);
  if (!e.contents) throw badRequest(`the config's contents for ${path} cannot be decoded: ${e.decodeError ?? 'unknown error'}`);
  if (then.length) {
    const policy = pathPolicy(await policyInputs(cache), node, e);
    if (policy.status !== 'decided') {
      throw new ApiFailure(409, 'conflict', `the cluster's policy for ${path} is not known (${policy.sentence}), so Plumb runs no service action: restore only`);
    }
    if (!sameActions(then, policy.offer)) {
      const named = policy.offer.length ? policy.offer.map(postActionWords).join(', then ') : 'no service action';
      throw badRequest(`the cluster's policy for ${path} names ${named}; send exactly that in then, or nothing`);
    }
  }
  const mode = octalMode(e.mode);
  const involved = { kind: 'Node', name: node, uid: cache.nodes.get(node)?.metadata.uid, apiVersion: 'v1' };
  const after = then.length ? `, then to ${then.map(postActionWords).join(', then ')}` : '';
  await recordEvent(kc, involved, 'PlumbRestoreFile', `${user} restored ${path} on node ${node} through Plumb to its contents and mode ${mode} in ${t.config.metadata.name}${after}`);
  await writeNodeFile(kc, t.pod, path, e.contents, e.mode);
  const restored = `Restored ${path} on ${node} (${e.contents.length} bytes, mode ${mode}) from ${t.config.metadata.name}.`;
  const done: string[] = [];
  for (const a of then) {
    const words = postActionWords(a);
    let failure: string | null;
    try {
      failure = await runServiceAction(kc, t.pod, a);
    } catch (err) {
      failure = toApiFailure(err).message;
    }
    // The outcome, as it happened: a failed action is recorded as failed, and nothing after it runs.
    const past = a.type === 'DaemonReload' ? 'ran systemctl daemon-reload' : `${a.type === 'Reload' ? 'reloaded' : 'restarted'} ${a.serviceName}`;
    const outcome = failure
      ? recordEvent(kc, involved, 'PlumbServiceActionFailed', `${user} restored ${path} on node ${node} through Plumb, but ${words} failed: ${failure}`, 'Warning')
      : recordEvent(kc, involved, PLUMB_SERVICE_EVENT, `${user} ${past} on node ${node} through Plumb after restoring ${path}`);
    const unrecorded = await outcome.then(
      () => '',
      (err: unknown) => ` (${(err as Error).message})`,
    );
    if (failure) {
      throw nodeUnreachable(`${restored} ${done.length ? `Did ${done.join(', then ')}; ` : ''}${words} failed: ${failure}. Running services keep the hand-edited settings until they restart.${unrecorded}`);
    }
    done.push(words);
    if (unrecorded) done[done.length - 1] += unrecorded;
  }
  return { ok: true, message: done.length ? `${restored} Then: ${done.join(', then ')}.` : restored };
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
