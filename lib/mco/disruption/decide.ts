// What the daemon does to a node to apply a new rendered config: the post-config actions and whether it drains.
// MCO pkg/daemon/update.go update(), calculatePostConfigChangeNodeDisruptionAction(+FromMCDiffs) and the legacy
// calculatePostConfigChangeAction(+FromMCDiffs / FromFileDiffs); pkg/daemon/drain.go
// isDrainRequiredForNodeDisruptionActions and isDrainRequired; read on release-4.14, 4.16, 4.17, 4.18, 4.20.
import { parseIgnition } from '../ignition';
import { McoError, type IgnitionConfig, type MachineConfig } from '../types';
import { configChanges, type ConfigChanges, type FileChange, type UnitChange } from './changes';
import {
  CONTAINER_REGISTRY_CONF_PATH,
  CONTAINER_REGISTRY_POLICY_PATH,
  CRIO_SERVICE,
  GPG_NO_REBOOT_PATH,
  KUBELET_AUTH_FILE,
  OPENSHIFT_NMSTATE_CONFIG_DIR,
  SIGSTORE_REGISTRIES_CONFIG_DIR,
  USER_CA_BUNDLE_PATH,
  closestFilePolicy,
  clusterPoliciesOf,
  policyStatusReadiness,
} from './policies';
import { isSafeContainerRegistryConfChanges } from './registries';
import type {
  ActionType,
  ClusterPolicies,
  DisruptionAction,
  FilePolicy,
  LegacyAction,
  MachineConfiguration,
  UnitPolicy,
} from './types';
import { disruptionRules, type DisruptionRules } from './version';

export interface DisruptionInput {
  /** The OpenShift version the cluster runs: "4.14", "4.16", "4.18", "4.20" (any 4.N works). */
  version: string;
  /** The node's current rendered config and the one it moves to. */
  oldConfig: MachineConfig;
  newConfig: MachineConfig;
  /** The MachineConfiguration `cluster` as the API serves it (its status carries the merged policies). */
  machineConfiguration?: MachineConfiguration | null;
  /** 4.16 only: the NodeDisruptionPolicy feature gate is on (TechPreviewNoUpgrade). */
  techPreview?: boolean;
  /** /run/machine-config-daemon-force exists on the node: the daemon removes it and reboots. */
  forceFile?: boolean;
  /** The daemon's first boot (machine-config-daemon-firstboot): no API, so always the legacy decision. */
  firstBoot?: boolean;
  /** The ConfigMap openshift-machine-config-operator/image-registry-override-drain exists (honoured ≤ 4.19). */
  registryDrainOverride?: boolean;
}

/** Why the result is a reboot. */
export type RebootCause =
  | { kind: 'forceFile' }
  | { kind: 'osImageURL' | 'kernelArguments' | 'fips' | 'kernelType' | 'extensions' }
  /** Legacy decision only: any systemd unit change reboots. */
  | { kind: 'units' }
  | { kind: 'fileWithoutPolicy'; path: string }
  | { kind: 'unitWithoutPolicy'; name: string }
  /** A matched policy (file, unit or sshkey) says Reboot. */
  | { kind: 'policy'; path?: string; unit?: string; sshkey?: boolean };

export interface FileDecision extends FileChange {
  /** The policy that matched (policy mode), or null. */
  policy: FilePolicy | null;
  /**
   * What this file alone asks for: the policy's actions; [Reboot] without a policy; in 4.16 a synthetic
   * Reload crio.service for files directly in /etc/containers/registries.d and [] (nothing) directly in
   * /etc/nmstate/openshift. In legacy mode: [] (see `legacy`).
   */
  actions: DisruptionAction[];
  /** Legacy mode: the class of this file in the fixed lists. */
  legacy?: LegacyAction;
}

export interface UnitDecision extends UnitChange {
  policy: UnitPolicy | null;
  actions: DisruptionAction[];
}

export interface DisruptionDecision {
  version: string;
  /** 'policy' = NodeDisruptionPolicy (4.16 with the gate, 4.17+); 'legacy' = the fixed file lists. */
  mode: 'policy' | 'legacy';
  changes: ConfigChanges;
  /** Policy mode: the final action list, in execution order. Legacy mode: []. */
  actions: DisruptionAction[];
  /** Legacy mode: the daemon's legacy action list (one element). Policy mode: null. */
  legacyActions: LegacyAction[] | null;
  reboot: boolean;
  drain: boolean;
  /** Why it reboots (the first cause the daemon meets), or null. */
  rebootCause: RebootCause | null;
  /** The daemon removes the force file while deciding (policy status was ready, or legacy mode). */
  forceFileConsumed: boolean;
  files: FileDecision[];
  units: UnitDecision[];
  /** The SSH key (passwd) change and the sshkey policy's actions. */
  sshkey: { changed: boolean; actions: DisruptionAction[] };
  /**
   * Set when the daemon's update fails here (the node degrades): the policy status not ready
   * (`NodeDisruptionPolicyStatus was not ready: …`, 4.17+) or registries.conf undecodable for the drain test.
   * `actions`/`drain` are then not meaningful.
   */
  error: string | null;
  /** 4.16: the policy status was not ready, so the daemon fell back to the legacy decision; the reason. */
  legacyFallback?: string;
}

const hasAny = (actions: DisruptionAction[], ...types: ActionType[]) => actions.some((a) => types.includes(a.type));
const REBOOT: DisruptionAction = { type: 'Reboot' };
const dirOf = (p: string) => {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
};

/** The per-file policy lookup of the given version (4.16: exact path + two exceptions; 4.17+: longest match). */
function fileDecision(change: FileChange, policies: ClusterPolicies, rules: DisruptionRules): FileDecision {
  if (rules.fileMatch === 'longest') {
    const policy = closestFilePolicy(change.path, policies.files);
    return { ...change, policy, actions: policy ? policy.actions : [REBOOT] };
  }
  const policy = policies.files.find((p) => p.path === change.path) ?? null;
  if (policy) return { ...change, policy, actions: policy.actions };
  if (dirOf(change.path) === SIGSTORE_REGISTRIES_CONFIG_DIR) {
    return { ...change, policy: null, actions: [{ type: 'Reload', reload: { serviceName: CRIO_SERVICE } }] };
  }
  if (dirOf(change.path) === OPENSHIFT_NMSTATE_CONFIG_DIR) return { ...change, policy: null, actions: [] };
  return { ...change, policy: null, actions: [REBOOT] };
}

/**
 * calculatePostConfigChangeNodeDisruptionActionFromMCDiffs: files in order (a file without policy → [Reboot] at
 * once), then units by exact name (none → [Reboot] at once), then the sshkey actions when passwd changed; any
 * Reboot → [Reboot]; Nones dropped when other actions remain, only Nones → [None]; otherwise as collected
 * (an empty list when nothing was collected).
 */
export function actionsFromPolicies(
  files: FileDecision[],
  units: UnitDecision[],
  sshChanged: boolean,
  policies: ClusterPolicies,
): { actions: DisruptionAction[]; cause: RebootCause | null } {
  const actions: DisruptionAction[] = [];
  for (const f of files) {
    if (!f.policy && f.actions[0]?.type === 'Reboot')
      return { actions: [REBOOT], cause: { kind: 'fileWithoutPolicy', path: f.path } };
    actions.push(...f.actions);
  }
  for (const u of units) {
    if (!u.policy) return { actions: [REBOOT], cause: { kind: 'unitWithoutPolicy', name: u.name } };
    actions.push(...u.actions);
  }
  if (sshChanged) actions.push(...policies.sshkey.actions);
  if (hasAny(actions, 'Reboot')) {
    const f = files.find((x) => hasAny(x.actions, 'Reboot'));
    const u = units.find((x) => hasAny(x.actions, 'Reboot'));
    const cause: RebootCause = f
      ? { kind: 'policy', path: f.path }
      : u
        ? { kind: 'policy', unit: u.name }
        : { kind: 'policy', sshkey: true };
    return { actions: [REBOOT], cause };
  }
  if (hasAny(actions, 'None')) {
    if (hasAny(actions, 'Drain', 'Reload', 'Restart', 'DaemonReload', 'Special')) {
      return { actions: actions.filter((a) => a.type !== 'None'), cause: null };
    }
    return { actions: [{ type: 'None' }], cause: null };
  }
  return { actions, cause: null };
}

/** The legacy class of one changed file (calculatePostConfigChangeActionFromMCDiffs' lists, per release). */
export function legacyFileClass(path: string, lists: DisruptionRules['legacyLists']): LegacyAction {
  const none = ['/etc/kubernetes/kubelet-ca.crt', KUBELET_AUTH_FILE];
  if (lists === 'v4.14') none.push('/etc/mco/internal-registry-pull-secret.json');
  const reloadCrio = [CONTAINER_REGISTRY_CONF_PATH, GPG_NO_REBOOT_PATH, CONTAINER_REGISTRY_POLICY_PATH];
  const dir = dirOf(path);
  if (none.includes(path)) return 'none';
  if (reloadCrio.includes(path) || (lists === 'v4.16' && dir === SIGSTORE_REGISTRIES_CONFIG_DIR)) return 'reload crio';
  if (path === USER_CA_BUNDLE_PATH) return 'restart crio';
  if (lists === 'v4.16' && dir === OPENSHIFT_NMSTATE_CONFIG_DIR) return 'none';
  return 'reboot';
}

/**
 * The legacy file decision: starts at [none]; a reload-crio file sets [reload crio] (from 4.16 not over an
 * earlier restart crio); a restart-crio file sets [restart crio]; any other unlisted file → [reboot] at once.
 */
export function legacyActionsFromFiles(paths: string[], lists: DisruptionRules['legacyLists']): LegacyAction[] {
  let actions: LegacyAction[] = ['none'];
  for (const p of paths) {
    const c = legacyFileClass(p, lists);
    if (c === 'none') continue;
    if (c === 'reboot') return ['reboot'];
    if (c === 'reload crio') {
      if (lists === 'v4.14' || !actions.includes('restart crio')) actions = ['reload crio'];
    } else actions = ['restart crio'];
  }
  return actions;
}

/** The first whole-config change that forces a reboot (osUpdate, kargs, fips, kernelType, extensions). */
function configRebootCause(c: ConfigChanges): RebootCause | null {
  if (c.osImageURL) return { kind: 'osImageURL' };
  if (c.kernelArguments.changed) return { kind: 'kernelArguments' };
  if (c.fips) return { kind: 'fips' };
  if (c.kernelType) return { kind: 'kernelType' };
  if (c.extensions.changed) return { kind: 'extensions' };
  return null;
}

function ignitionOf(mc: MachineConfig): IgnitionConfig {
  return mc.spec?.config ? parseIgnition(mc.spec.config) : { ignition: { version: '3.4.0' } };
}

/** !isSafeContainerRegistryConfChanges, or the error text when a registries.conf cannot be decoded. */
function registriesDrain(input: DisruptionInput): { drain: boolean; error: string | null } {
  try {
    return {
      drain: !isSafeContainerRegistryConfChanges(ignitionOf(input.oldConfig), ignitionOf(input.newConfig)),
      error: null,
    };
  } catch (e) {
    if (e instanceof McoError) return { drain: false, error: e.message };
    throw e;
  }
}

/**
 * The daemon's decision for one node moving from `oldConfig` to `newConfig` on `version`:
 * - before 4.16, at first boot, and in 4.16 without the feature gate: the legacy decision;
 * - otherwise NodeDisruptionPolicy from `machineConfiguration.status.nodeDisruptionPolicyStatus.clusterPolicies`,
 *   once that status is ready (4.16: falls back to legacy when it is not; 4.17+: `error` is set);
 * - force file → Reboot; OS image, kernel arguments, FIPS, kernel type or extensions changed → Reboot;
 *   no file, unit or passwd change → [None]; else actionsFromPolicies;
 * - drain: Reboot or Drain → yes; Special → unless the registries.conf change is safe (or, ≤ 4.19, the override
 *   ConfigMap exists); otherwise no.
 * Throws McoError only when a config's Ignition cannot be parsed.
 */
export function decideDisruption(input: DisruptionInput): DisruptionDecision {
  const rules = disruptionRules(input.version);
  const changes = configChanges(input.oldConfig, input.newConfig, input.version);
  const base = {
    version: input.version,
    changes,
    sshkey: { changed: changes.passwd, actions: [] as DisruptionAction[] },
    error: null as string | null,
  };
  const policyMode =
    !input.firstBoot && (rules.policies === 'ga' || (rules.policies === 'techPreview' && input.techPreview === true));
  let legacyFallback: string | undefined;
  if (policyMode) {
    const ready = policyStatusReadiness(input.version, input.machineConfiguration);
    if (!ready.ready && !rules.legacyFallbackOnError) {
      return {
        ...base,
        mode: 'policy',
        actions: [],
        legacyActions: null,
        reboot: false,
        drain: false,
        rebootCause: null,
        forceFileConsumed: false,
        files: changes.files.map((f) => ({ ...f, policy: null, actions: [] })),
        units: changes.units.map((u) => ({ ...u, policy: null, actions: [] })),
        error: ready.message,
      };
    }
    if (ready.ready) return decideByPolicies(input, rules, changes, base);
    legacyFallback = ready.message;
  }
  return { ...decideLegacy(input, rules, changes, base), ...(legacyFallback ? { legacyFallback } : {}) };
}

type Base = Pick<DisruptionDecision, 'version' | 'changes' | 'sshkey' | 'error'>;

function decideByPolicies(
  input: DisruptionInput,
  rules: DisruptionRules,
  changes: ConfigChanges,
  base: Base,
): DisruptionDecision {
  const policies = clusterPoliciesOf(input.machineConfiguration);
  const files = changes.files.map((f) => fileDecision(f, policies, rules));
  const units: UnitDecision[] = changes.units.map((u) => {
    const policy = policies.units.find((p) => p.name === u.name) ?? null;
    return { ...u, policy, actions: policy ? policy.actions : [REBOOT] };
  });
  const sshkey = { changed: changes.passwd, actions: changes.passwd ? policies.sshkey.actions : [] };
  let actions: DisruptionAction[];
  let rebootCause: RebootCause | null = input.forceFile ? { kind: 'forceFile' } : configRebootCause(changes);
  if (rebootCause) actions = [REBOOT];
  else if (!changes.filesSection && !changes.unitsSection && !changes.passwd) actions = [{ type: 'None' }];
  else {
    const r = actionsFromPolicies(files, units, changes.passwd, policies);
    actions = r.actions;
    rebootCause = r.cause;
  }
  let drain = hasAny(actions, 'Reboot', 'Drain');
  let error: string | null = null;
  if (!drain && hasAny(actions, 'Special')) {
    if (input.registryDrainOverride && rules.registryDrainOverride === 'both') drain = false;
    else ({ drain, error } = registriesDrain(input));
  }
  return {
    ...base,
    mode: 'policy',
    actions,
    legacyActions: null,
    reboot: hasAny(actions, 'Reboot'),
    drain,
    rebootCause,
    forceFileConsumed: !!input.forceFile,
    files,
    units,
    sshkey,
    error,
  };
}

function decideLegacy(
  input: DisruptionInput,
  rules: DisruptionRules,
  changes: ConfigChanges,
  base: Base,
): DisruptionDecision {
  const files: FileDecision[] = changes.files.map((f) => ({
    ...f,
    policy: null,
    actions: [],
    legacy: legacyFileClass(f.path, rules.legacyLists),
  }));
  const units: UnitDecision[] = changes.units.map((u) => ({ ...u, policy: null, actions: [] }));
  let rebootCause: RebootCause | null = input.forceFile ? { kind: 'forceFile' } : configRebootCause(changes);
  if (!rebootCause && changes.unitsSection) rebootCause = { kind: 'units' };
  let legacy: LegacyAction[];
  if (rebootCause) legacy = ['reboot'];
  else {
    legacy = legacyActionsFromFiles(
      changes.files.map((f) => f.path),
      rules.legacyLists,
    );
    const culprit = legacy[0] === 'reboot' ? files.find((f) => f.legacy === 'reboot') : undefined;
    if (culprit) rebootCause = { kind: 'fileWithoutPolicy', path: culprit.path };
  }
  // isDrainRequired: reboot drains; a crio reload/restart drains only for an unsafe registries.conf change.
  let drain: boolean;
  let error: string | null = null;
  const a = legacy[0];
  if (a === 'reboot') drain = true;
  else if (a === 'reload crio' || a === 'restart crio') {
    if (!changes.files.some((f) => f.path === CONTAINER_REGISTRY_CONF_PATH)) drain = false;
    else if (input.registryDrainOverride && rules.registryDrainOverride !== 'never') drain = false;
    else ({ drain, error } = registriesDrain(input));
  } else drain = false;
  return {
    ...base,
    sshkey: { changed: changes.passwd, actions: [] },
    mode: 'legacy',
    actions: [],
    legacyActions: legacy,
    reboot: a === 'reboot',
    drain,
    rebootCause,
    forceFileConsumed: !!input.forceFile,
    files,
    units,
    error,
  };
}
