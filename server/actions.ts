// The three actions: force reconcile, restore one file, pause/resume a pool. Each: read-only, origin and CSRF
// checks, the user's permission (and the right to record the audit), validation, the act, then a Kubernetes Event
// recording its outcome: done, or failed with the error (and, for a restore's service actions, one Event for each
// action's real outcome).
import 'server-only';
import { randomBytes } from 'node:crypto';
import * as k8s from '@kubernetes/client-node';
import type {
  ActionReply,
  ForceReconcileRequest,
  PausePoolRequest,
  PostRestoreAction,
  RestoreRequest,
} from '../lib/api/types';
import type { ClusterCache } from './cache';
import { guardAction, identify, requireAuditable, requireCapability, requireKubeConfig, type Capability } from './auth';
import { ApiFailure, badRequest, nodeUnreachable, notFound, toApiFailure } from './errors';
import { FORCE_FILE } from '../lib/mco/constants';
import { octalMode } from '../lib/mco/mode';
import { managedEntry, nodeTarget } from './nodefiles';
import { touchForceFile, writeNodeFile } from './nodewrite';
import { runServiceAction } from './nodeservice';
import { policyInputs } from './policywatch';
import { jsonBody, nodePath, objectName } from './validate';
import { pathPolicy, PLUMB_SERVICE_EVENT, postActionWords, sameActions } from './views/disruption';

const MCO_GROUP = 'machineconfiguration.openshift.io';

async function begin(req: Request, cache: ClusterCache, capability: Capability) {
  guardAction(req);
  await cache.requireConnected();
  const id = identify(req, cache);
  const perms = await requireCapability(id, capability, cache.kc);
  requireAuditable(perms);
  return { kc: requireKubeConfig(id), actor: perms.actor };
}

export interface Involved {
  kind: string;
  name: string;
  uid?: string;
  apiVersion: string;
}

/** Create the audit Event as the acting user. Never throws: returns the error message when it could not. */
export async function recordEvent(
  kc: k8s.KubeConfig,
  involved: Involved,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
): Promise<string | null> {
  const now = new Date();
  const body: k8s.CoreV1Event = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `${involved.name}.${now.getTime().toString(16)}${randomBytes(3).toString('hex')}`,
      namespace: 'default',
    },
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
    return null;
  } catch (err) {
    const f = toApiFailure(err);
    console.error(`[plumb] could not record the audit event ${reason} (${message}): ${f.message}`);
    return f.message;
  }
}

/**
 * Act, then record what happened: `reason` with the `done` message when the act succeeded, `<reason>Failed` as a
 * Warning naming the error when it did not (the error is then the reply). Nothing is recorded before the act, so
 * the audit never claims what did not happen.
 */
export async function audited(
  kc: k8s.KubeConfig,
  involved: Involved,
  reason: string,
  act: () => Promise<void>,
  done: string,
  attempted: string,
): Promise<{ auditError: string | null }> {
  try {
    await act();
  } catch (err) {
    const f = toApiFailure(err);
    await recordEvent(kc, involved, 'Warning', `${reason}Failed`, `${attempted} failed: ${f.message}`);
    throw f;
  }
  return { auditError: await recordEvent(kc, involved, 'Normal', reason, done) };
}

const auditNote = (r: { auditError: string | null }) =>
  r.auditError ? ` The audit event could not be recorded: ${r.auditError}` : '';

export async function forceReconcile(req: Request, cache: ClusterCache, nodeParam: string): Promise<ActionReply> {
  const node = objectName(nodeParam, 'node');
  const { kc, actor } = await begin(req, cache, 'forceReconcile');
  const body = await jsonBody<ForceReconcileRequest>(req);
  if (body.confirm !== node) throw badRequest(`to force a reconcile, send {"confirm": "${node}"} (the node's name)`);
  const t = nodeTarget(cache, node);
  const r = await audited(
    kc,
    { kind: 'Node', name: node, uid: cache.nodes.get(node)?.metadata.uid, apiVersion: 'v1' },
    'PlumbForceReconcile',
    () => touchForceFile(kc, t.pod),
    `${actor} forced a reconcile of node ${node} through Plumb (created ${FORCE_FILE}); the daemon re-applies ${t.config.metadata.name} and reboots the node`,
    `${actor} tried to force a reconcile of node ${node} through Plumb (create ${FORCE_FILE}), which`,
  );
  return {
    ok: true,
    message: `Created ${FORCE_FILE} on ${node}: the daemon re-applies ${t.config.metadata.name} and reboots the node.${auditNote(r)}`,
  };
}

/** The `then` of a restore request: a list of {type, serviceName?} (lib/api RestoreRequest), or 400. */
function postActions(value: unknown): PostRestoreAction[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > 8)
    throw badRequest('then must be a list of at most 8 actions: [{"type": "Reload", "serviceName": "crio.service"}]');
  return value.map((a) => {
    const type = (a as { type?: unknown })?.type;
    const serviceName = (a as { serviceName?: unknown })?.serviceName;
    if (type === 'DaemonReload' && serviceName === undefined) return { type };
    if (
      (type === 'Reload' || type === 'Restart') &&
      typeof serviceName === 'string' &&
      /^[A-Za-z0-9:_.@\\-]{1,255}$/.test(serviceName)
    )
      return { type, serviceName };
    throw badRequest(
      `each action of then is {"type": "Reload"|"Restart", "serviceName": "<unit>"} or {"type": "DaemonReload"}; got ${JSON.stringify(a).slice(0, 200)}`,
    );
  });
}

/**
 * Restore one file to its config's contents and mode; then, when asked, run the service actions the cluster's
 * disruption policy names for that path (reload crio.service…), so running services do not keep the hand-edited
 * settings. Each outcome (the restore, then every service action) is recorded after it happens.
 */
export async function restoreFile(req: Request, cache: ClusterCache, nodeParam: string): Promise<ActionReply> {
  const node = objectName(nodeParam, 'node');
  const { kc, actor } = await begin(req, cache, 'restoreFile');
  const body = await jsonBody<RestoreRequest>(req);
  const path = nodePath(body.path);
  const then = postActions(body.then);
  return { ok: true, message: await restoreOnNode(cache, kc, actor, node, path, then) };
}

/**
 * The restore itself, for a caller that has checked the request (guard, permission, audit right): one file on one
 * node, then the service actions `then` (each must be what the policy offers). `context` is added to the audit
 * messages (a bulk restore names its group). Resolves with the message; throws after recording a failure.
 */
export async function restoreOnNode(
  cache: ClusterCache,
  kc: k8s.KubeConfig,
  actor: string,
  node: string,
  path: string,
  then: PostRestoreAction[],
  context = '',
): Promise<string> {
  const ctx = context ? ` (${context})` : '';
  const t = nodeTarget(cache, node);
  const e = managedEntry(t, path);
  if (e.masked)
    throw badRequest(`${path} is a masked unit (a link to /dev/null), not a file Plumb can write; use force reconcile`);
  if (!e.contents)
    throw new ApiFailure(
      422,
      'config_undecodable',
      `the config's contents for ${path} cannot be decoded: ${e.decodeError ?? 'unknown error'}`,
    );
  const contents = e.contents;
  if (then.length) {
    const policy = pathPolicy(await policyInputs(cache), node, e);
    if (policy.status !== 'decided') {
      throw new ApiFailure(
        409,
        'conflict',
        `the cluster's policy for ${path} is not known (${policy.sentence}), so Plumb runs no service action: restore only`,
      );
    }
    if (!sameActions(then, policy.offer)) {
      const named = policy.offer.length ? policy.offer.map(postActionWords).join(', then ') : 'no service action';
      throw badRequest(`the cluster's policy for ${path} names ${named}; send exactly that in then, or nothing`);
    }
  }
  const mode = octalMode(e.mode);
  const involved = { kind: 'Node', name: node, uid: cache.nodes.get(node)?.metadata.uid, apiVersion: 'v1' };
  const r = await audited(
    kc,
    involved,
    'PlumbRestoreFile',
    () => writeNodeFile(kc, t.pod, path, contents, e.mode),
    `${actor} restored ${path} on node ${node} through Plumb to its contents and mode ${mode} in ${t.config.metadata.name}${ctx}`,
    `${actor} tried to restore ${path} on node ${node} through Plumb to its contents and mode ${mode} in ${t.config.metadata.name}${ctx}, which`,
  );
  const restored = `Restored ${path} on ${node} (${contents.length} bytes, mode ${mode}) from ${t.config.metadata.name}.${auditNote(r)}`;
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
    const past =
      a.type === 'DaemonReload'
        ? 'ran systemctl daemon-reload'
        : `${a.type === 'Reload' ? 'reloaded' : 'restarted'} ${a.serviceName}`;
    const auditError = failure
      ? await recordEvent(
          kc,
          involved,
          'Warning',
          'PlumbServiceActionFailed',
          `${actor} restored ${path} on node ${node} through Plumb, but ${words} failed: ${failure}`,
        )
      : await recordEvent(
          kc,
          involved,
          'Normal',
          PLUMB_SERVICE_EVENT,
          `${actor} ${past} on node ${node} through Plumb after restoring ${path}`,
        );
    const unrecorded = auditError ? ` (the audit event could not be recorded: ${auditError})` : '';
    if (failure) {
      throw nodeUnreachable(
        `${restored} ${done.length ? `Did ${done.join(', then ')}; ` : ''}${words} failed: ${failure}. Running services keep the hand-edited settings until they restart.${unrecorded}`,
      );
    }
    done.push(words + unrecorded);
  }
  return done.length ? `${restored} Then: ${done.join(', then ')}.` : restored;
}

export async function pausePool(req: Request, cache: ClusterCache, poolParam: string): Promise<ActionReply> {
  const pool = objectName(poolParam, 'pool');
  const { kc, actor } = await begin(req, cache, 'pausePool');
  const body = await jsonBody<PausePoolRequest>(req);
  if (typeof body.paused !== 'boolean') throw badRequest('send {"paused": true} or {"paused": false}');
  const paused = body.paused;
  const p = cache.pools.get(pool);
  if (!p) throw notFound(`MachineConfigPool ${pool} not found`);
  const verb = paused ? 'paused' : 'resumed';
  const r = await audited(
    kc,
    { kind: 'MachineConfigPool', name: pool, uid: p.metadata.uid, apiVersion: `${MCO_GROUP}/v1` },
    'PlumbPausePool',
    async () => {
      await kc
        .makeApiClient(k8s.CustomObjectsApi)
        .patchClusterCustomObject(
          { group: MCO_GROUP, version: 'v1', plural: 'machineconfigpools', name: pool, body: { spec: { paused } } },
          k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
        );
    },
    `${actor} ${verb} MachineConfigPool ${pool} through Plumb`,
    `${actor} tried to ${paused ? 'pause' : 'resume'} MachineConfigPool ${pool} through Plumb, which`,
  );
  return { ok: true, message: `MachineConfigPool ${pool} ${verb}.${auditNote(r)}` };
}
