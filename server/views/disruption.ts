// What a change does to a node, for the console: the compare page's actions per file, unit and SSH key and overall
// (/api/compare), what the cluster's policy does for one path of a node and which service actions a restore may run
// after writing it (/api/nodes/:node/policy, the restore action), and the services a node reloaded or restarted since
// its last boot (/api/nodes/:node). The decision itself is lib/mco/disruption's; this file only picks its inputs
// (server/policywatch.ts) and says when they are missing instead of guessing.
import 'server-only';
import type {
  ApiDisruptionAction,
  ClusterVersionInfo,
  CompareDisruption,
  DisruptionItem,
  NodeServices,
  PathPolicyReply,
  PostRestoreAction,
  ServiceActionItem,
} from '../../lib/api/types';
import {
  decideDisruption,
  describeDecision,
  describeFileDecision,
  describeRebootCause,
  describeSshKey,
  describeUnitDecision,
  disruptionRules,
  policyStatusReadiness,
  CRIO_SERVICE,
  UPDATE_CA_TRUST_SERVICE,
  type DisruptionAction,
  type DisruptionDecision,
  type LegacyAction,
  type MachineConfiguration,
} from '../../lib/mco/disruption';
import { managedPaths } from '../../lib/mco';
import type { ConfigDiff, MachineConfig, ManagedPath } from '../../lib/mco/types';
import { McoError } from '../../lib/mco/types';
import type { ClusterCache, EventLite } from '../cache';
import { notFound } from '../errors';
import type { PolicyInputs } from '../policywatch';
import { nodeCurrentConfig } from './common';

/** What the console says when the daemon would wait for the policy status (MCO pkg/daemon/update.go waits up to 2 min). */
export const NOT_OBSERVED = 'policies not yet observed: the MCO would wait';

type Basis =
  | {
      ok: true;
      version: string;
      mode: 'policy' | 'legacy';
      techPreview: boolean;
      machineConfiguration: MachineConfiguration | null;
    }
  | { ok: false; status: 'waiting' | 'unknown'; summary: string; reason: string };

/**
 * Which rules apply, or why the console cannot tell: no known version; on a release with policies (4.17+), the
 * MachineConfiguration missing, unreadable or its status behind its spec. 4.16 decides by policy only with the
 * Tech Preview gate, which the operator shows by writing the policy status at all.
 */
function basis(inputs: PolicyInputs): Basis {
  const version = inputs.cluster.version;
  if (!version)
    return {
      ok: false,
      status: 'unknown',
      summary: "unknown: the cluster's OpenShift version is not known",
      reason: 'neither a ClusterVersion nor /version answered',
    };
  let rules;
  try {
    rules = disruptionRules(version);
  } catch (err) {
    return {
      ok: false,
      status: 'unknown',
      summary: `unknown: ${(err as Error).message}`,
      reason: (err as Error).message,
    };
  }
  const mcState = inputs.machineConfiguration;
  const mc = mcState.state === 'present' ? mcState.object : null;
  if (rules.policies === 'none')
    return { ok: true, version, mode: 'legacy', techPreview: false, machineConfiguration: null };
  if (rules.policies === 'techPreview') {
    const populated = (mc?.status?.nodeDisruptionPolicyStatus?.clusterPolicies?.files ?? []).length > 0;
    return {
      ok: true,
      version,
      mode: populated ? 'policy' : 'legacy',
      techPreview: populated,
      machineConfiguration: mc,
    };
  }
  if (mcState.state === 'unavailable') {
    return {
      ok: false,
      status: 'unknown',
      summary: `unknown: ${mcState.reason}, so the cluster's disruption policies are not known`,
      reason: mcState.reason,
    };
  }
  const ready = policyStatusReadiness(version, mc);
  if (!ready.ready) return { ok: false, status: 'waiting', summary: NOT_OBSERVED, reason: ready.message };
  return { ok: true, version, mode: 'policy', techPreview: false, machineConfiguration: mc };
}

export function apiAction(a: DisruptionAction): ApiDisruptionAction {
  const serviceName = a.reload?.serviceName ?? a.restart?.serviceName;
  return serviceName ? { type: a.type, serviceName } : { type: a.type };
}

/** The unit a managed path of a unit or dropin belongs to: `/etc/systemd/system/<unit>[.d/<dropin>]`. */
function unitOfPath(path: string): string | null {
  const m = /^\/etc\/systemd\/system\/([^/]+?)(?:\.d\/[^/]+)?$/.exec(path);
  return m ? m[1] : null;
}

function undecided(cluster: ClusterVersionInfo, b: Extract<Basis, { ok: false }>): CompareDisruption {
  return {
    status: b.status,
    cluster,
    mode: null,
    summary: b.summary,
    reboot: null,
    drain: null,
    reason: b.reason,
    actions: [],
    items: [],
    byPath: {},
  };
}

/** /api/compare's `disruption`: the daemon's decision for a node moving from `from` to `to`. */
export function compareDisruption(
  inputs: PolicyInputs,
  from: MachineConfig,
  to: MachineConfig,
  diff: ConfigDiff,
): CompareDisruption {
  const b = basis(inputs);
  if (!b.ok) return undecided(inputs.cluster, b);
  let d: DisruptionDecision;
  try {
    d = decideDisruption({
      version: b.version,
      oldConfig: from,
      newConfig: to,
      machineConfiguration: b.machineConfiguration,
      techPreview: b.techPreview,
    });
  } catch (err) {
    if (!(err instanceof McoError)) throw err;
    return undecided(inputs.cluster, {
      ok: false,
      status: 'unknown',
      summary: `unknown: ${err.message}`,
      reason: err.message,
    });
  }
  const items: DisruptionItem[] = [
    ...d.files.map((f) => ({
      kind: 'file' as const,
      name: f.path,
      change: f.change,
      action: describeFileDecision(f, d.mode),
      actions: f.actions.map(apiAction),
      policy: f.policy?.path ?? null,
    })),
    ...d.units.map((u) => ({
      kind: 'unit' as const,
      name: u.name,
      change: u.change,
      action: describeUnitDecision(u, d.mode),
      actions: u.actions.map(apiAction),
      policy: u.policy?.name ?? null,
    })),
  ];
  if (d.sshkey.changed) {
    items.push({
      kind: 'sshkey',
      name: d.changes.sshKeys.map((k) => k.user).join(', ') || 'core',
      change: 'changed',
      action: describeSshKey(d),
      actions: d.sshkey.actions.map(apiAction),
      policy: d.mode === 'policy' ? 'sshkey' : null,
    });
  }
  const byPath: Record<string, string> = {};
  for (const f of diff.files) {
    const item =
      f.kind === 'file'
        ? items.find((i) => i.kind === 'file' && i.name === f.path)
        : items.find((i) => i.kind === 'unit' && i.name === unitOfPath(f.path));
    if (item) byPath[f.path] = item.action;
  }
  return {
    status: d.error ? 'unknown' : 'decided',
    cluster: inputs.cluster,
    mode: d.mode,
    summary: describeDecision(d),
    reboot: d.error ? null : d.reboot,
    drain: d.error ? null : d.drain,
    reason: d.error ?? (d.rebootCause ? describeRebootCause(d.rebootCause) : (d.legacyFallback ?? null)),
    actions: d.actions.map(apiAction),
    items,
    byPath,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// One path of a node: what the policy does when it changes, and the service actions a restore may run after it.

const pct = (s: string) => `data:,${encodeURIComponent(s)}`;

/**
 * Two minimal configs that differ only in `entry`'s contents, so that lib/mco/disruption decides for this one path
 * exactly as it decides inside a real change (longest match, the 4.16 exceptions, unit policies).
 */
function probeConfigs(entry: ManagedPath): [MachineConfig, MachineConfig] {
  const make = (text: string): MachineConfig => {
    let config: Record<string, unknown>;
    if (entry.kind === 'file')
      config = { storage: { files: [{ path: entry.path, mode: entry.mode, contents: { source: pct(text) } }] } };
    else if (entry.kind === 'unit') config = { systemd: { units: [{ name: entry.unit, contents: text }] } };
    else config = { systemd: { units: [{ name: entry.unit, dropins: [{ name: entry.dropin, contents: text }] }] } };
    return {
      apiVersion: 'machineconfiguration.openshift.io/v1',
      kind: 'MachineConfig',
      metadata: { name: `probe-${text}` },
      spec: { config: { ignition: { version: '3.4.0' }, ...config } },
    } as MachineConfig;
  };
  return [make('a'), make('b')];
}

function actionWords(a: ApiDisruptionAction): string {
  switch (a.type) {
    case 'Reboot':
      return 'reboot the node';
    case 'Drain':
      return 'drain the node';
    case 'Reload':
      return `reload ${a.serviceName}`;
    case 'Restart':
      return `restart ${a.serviceName}`;
    case 'DaemonReload':
      return 'run systemctl daemon-reload';
    case 'Special':
      return `reload ${CRIO_SERVICE} (and drain the node unless the registries change is safe)`;
    case 'None':
      return 'take no action on the node';
  }
}

const LEGACY: Record<LegacyAction, { actions: ApiDisruptionAction[] }> = {
  none: { actions: [{ type: 'None' }] },
  'reload crio': { actions: [{ type: 'Reload', serviceName: CRIO_SERVICE }] },
  'restart crio': {
    actions: [
      { type: 'Restart', serviceName: UPDATE_CA_TRUST_SERVICE },
      { type: 'Restart', serviceName: CRIO_SERVICE },
    ],
  },
  reboot: { actions: [{ type: 'Reboot' }] },
};

/** The service actions a person may run by hand after a restore: those the policy names, Special as the crio reload. */
export function offerFor(actions: ApiDisruptionAction[]): PostRestoreAction[] {
  if (actions.some((a) => a.type === 'Reboot')) return [];
  const out: PostRestoreAction[] = [];
  for (const a of actions) {
    if ((a.type === 'Reload' || a.type === 'Restart') && a.serviceName)
      out.push({ type: a.type, serviceName: a.serviceName });
    else if (a.type === 'DaemonReload') out.push({ type: 'DaemonReload' });
    else if (a.type === 'Special') out.push({ type: 'Reload', serviceName: CRIO_SERVICE });
  }
  return out;
}

/** The node's current rendered config and its managed entry at `path`, or 404/409. */
export function nodeEntry(
  cache: ClusterCache,
  node: string,
  path: string,
): { config: MachineConfig; entry: ManagedPath } {
  const config = nodeCurrentConfig(cache, node);
  const current = config.metadata.name;
  const entry = managedPaths(config).find((p) => p.path === path);
  if (!entry) throw notFound(`${path} is not managed by ${current}, the current config of node ${node}`);
  return { config, entry };
}

/** What the cluster's policy does when `entry` changes on a node, and what Plumb offers to run after restoring it. */
export function pathPolicy(inputs: PolicyInputs, node: string, entry: ManagedPath): PathPolicyReply {
  const base = { node, path: entry.path, kind: entry.kind, unit: entry.unit ?? null, cluster: inputs.cluster };
  const b = basis(inputs);
  if (!b.ok) return { ...base, status: b.status, policy: null, actions: [], sentence: b.summary, offer: [] };
  const [oldConfig, newConfig] = probeConfigs(entry);
  const d = decideDisruption({
    version: b.version,
    oldConfig,
    newConfig,
    machineConfiguration: b.machineConfiguration,
    techPreview: b.techPreview,
  });
  let actions: ApiDisruptionAction[];
  let policy: string | null = null;
  if (d.mode === 'legacy') {
    // The legacy lists name files only; any unit change reboots.
    actions = entry.kind === 'file' ? LEGACY[d.files[0]?.legacy ?? 'reboot'].actions : [{ type: 'Reboot' }];
  } else if (entry.kind === 'file') {
    const f = d.files[0];
    actions = (f?.actions ?? []).map(apiAction);
    policy = f?.policy?.path ?? null;
  } else {
    const u = d.units[0];
    actions = (u?.actions ?? []).map(apiAction);
    policy = u?.policy?.name ?? null;
  }
  const what = entry.kind === 'file' ? entry.path : `unit ${entry.unit}`;
  const via =
    d.mode === 'legacy'
      ? ` (OpenShift ${b.version}: the fixed lists before NodeDisruptionPolicy)`
      : policy
        ? policy === entry.path || policy === entry.unit
          ? ''
          : ` (policy for ${policy})`
        : ` (no policy for ${what})`;
  const words = actions.length ? actions.map(actionWords).join(', then ') : 'take no action on the node';
  return {
    ...base,
    status: 'decided',
    policy,
    actions,
    sentence: `the MCO would ${words}${via}`,
    offer: offerFor(actions),
  };
}

/** Whether `asked` is exactly the offer (same actions, same order): a restore runs nothing the policy does not name. */
export function sameActions(asked: PostRestoreAction[], offer: PostRestoreAction[]): boolean {
  return (
    asked.length === offer.length &&
    asked.every((a, i) => a.type === offer[i].type && (a.serviceName ?? null) === (offer[i].serviceName ?? null))
  );
}

/** The words for one post-restore action: "reload crio.service", "systemctl daemon-reload". */
export function postActionWords(a: PostRestoreAction): string {
  return a.type === 'DaemonReload'
    ? 'systemctl daemon-reload'
    : `${a.type === 'Reload' ? 'reload' : 'restart'} ${a.serviceName}`;
}

// ---------------------------------------------------------------------------------------------------------------
// A node's services since its last boot, from its Events (the daemon's, and Plumb's own audit of a restore's action).

/** The reason of the audit Event Plumb records for a service action it ran (server/actions.ts). */
export const PLUMB_SERVICE_EVENT = 'PlumbServiceAction';

/** A service action an Event records, or null. MCO pkg/daemon/update.go names the unit in the message. */
function serviceAction(e: EventLite): ServiceActionItem | null {
  const base = { reason: e.reason, message: e.message, time: e.lastTimestamp, source: e.source };
  if (e.reason === 'ServiceReload' || e.reason === 'ServiceRestart' || e.reason === 'SkipReboot') {
    const m = /Service (\S+) was (reloaded|restarted)\./.exec(e.message);
    if (!m) return null;
    if (m[1] === 'daemon-reload') return { ...base, action: 'daemon-reload', unit: null };
    // Before 4.16 the daemon's crio reload says "Service crio was reloaded." under SkipReboot.
    const unit = m[1].includes('.') ? m[1] : `${m[1]}.service`;
    return { ...base, action: m[2] === 'reloaded' ? 'reload' : 'restart', unit };
  }
  if (e.reason === PLUMB_SERVICE_EVENT) {
    if (/ran systemctl daemon-reload/.test(e.message)) return { ...base, action: 'daemon-reload', unit: null };
    const m = / (reloaded|restarted) (\S+) on node /.exec(e.message);
    if (m) return { ...base, action: m[1] === 'reloaded' ? 'reload' : 'restart', unit: m[2] };
  }
  return null;
}

const POST_ACTION_REASONS = new Set(['SkipReboot', 'ServiceReload', 'ServiceRestart', 'Reboot']);

export function nodeServices(cache: ClusterCache, node: string): NodeServices {
  const events = cache.eventsFor('Node', node); // newest first
  const reboot = events.find((e) => e.reason === 'Reboot');
  const lastReboot = reboot?.lastTimestamp ?? null;
  const sinceBoot: ServiceActionItem[] = [];
  for (const e of events) {
    if (lastReboot && (e.lastTimestamp ?? '') <= lastReboot) continue;
    const s = serviceAction(e);
    if (s) sinceBoot.push(s);
  }
  let lastPostConfigAction: NodeServices['lastPostConfigAction'] = null;
  const cond = cache.machineConfigNodes
    ?.get(node)
    ?.status?.conditions?.find((c) => c.type === 'UpdatePostActionComplete');
  if (cond && cond.status === 'True') {
    lastPostConfigAction = {
      summary: cond.message || cond.reason || 'done',
      message: cond.message ?? '',
      time: cond.lastTransitionTime ?? null,
      source: 'MachineConfigNode',
    };
  } else {
    const e = events.find((x) => POST_ACTION_REASONS.has(x.reason));
    if (e) {
      const s = serviceAction(e);
      const summary =
        e.reason === 'Reboot'
          ? 'Rebooted'
          : s
            ? s.action === 'daemon-reload'
              ? 'Ran systemctl daemon-reload'
              : `${s.action === 'reload' ? 'Reloaded' : 'Restarted'} ${s.unit}`
            : 'No reboot needed';
      lastPostConfigAction = { summary, message: e.message, time: e.lastTimestamp, source: 'Event' };
    }
  }
  return { lastReboot, sinceBoot, lastPostConfigAction };
}
