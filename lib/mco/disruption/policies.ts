// The cluster's node disruption policies: the MCO's defaults per release (pkg/apihelpers/apihelpers.go
// defaultClusterPolicies), their merge with the user's spec (MergeClusterPolicies, which the operator writes to
// status.nodeDisruptionPolicyStatus.clusterPolicies in pkg/operator/sync.go syncMachineConfiguration), and how a
// changed file finds its policy (pkg/controller/common/helpers.go FindClosestFilePolicyPathMatch, IsSubdirectory).
import { disruptionRules } from './version';
import type {
  ClusterPolicies,
  DisruptionAction,
  FilePolicy,
  MachineConfiguration,
  NodeDisruptionPolicyConfig,
} from './types';

// Paths and services as the MCO names them (pkg/daemon/constants/constants.go).
export const KUBELET_AUTH_FILE = '/var/lib/kubelet/config.json';
export const GPG_NO_REBOOT_PATH = '/etc/machine-config-daemon/no-reboot/containers-gpg.pub';
export const CONTAINER_REGISTRY_POLICY_PATH = '/etc/containers/policy.json';
export const CONTAINER_REGISTRY_CONF_PATH = '/etc/containers/registries.conf';
export const SIGSTORE_REGISTRIES_CONFIG_DIR = '/etc/containers/registries.d';
export const CRIO_POLICIES_DIR = '/etc/crio/policies';
export const OPENSHIFT_NMSTATE_CONFIG_DIR = '/etc/nmstate/openshift';
export const USER_CA_BUNDLE_PATH = '/etc/pki/ca-trust/source/anchors/openshift-config-user-ca-bundle.crt';
export const UPDATE_CA_TRUST_SERVICE = 'coreos-update-ca-trust.service';
export const CRIO_SERVICE = 'crio.service';
/** The ConfigMap in openshift-machine-config-operator whose presence skips the registries drain (4.14–4.19). */
export const IMAGE_REGISTRY_DRAIN_OVERRIDE_CONFIGMAP = 'image-registry-override-drain';

const none = (): DisruptionAction => ({ type: 'None' });
const reload = (serviceName: string): DisruptionAction => ({ type: 'Reload', reload: { serviceName } });
const restart = (serviceName: string): DisruptionAction => ({ type: 'Restart', restart: { serviceName } });

/**
 * The MCO's default cluster policies for a version, in the order the operator writes them; null before 4.16.
 * 4.16: kubelet auth, GPG key, policy.json, registries.conf; 4.17 adds registries.d, nmstate and the user CA
 * bundle; 4.18 adds /etc/crio/policies (unchanged through release-4.21). Fresh objects on every call.
 */
export function defaultClusterPolicies(version: string): ClusterPolicies | null {
  const which = disruptionRules(version).defaultPolicies;
  if (!which) return null;
  const files: FilePolicy[] = [
    { path: KUBELET_AUTH_FILE, actions: [none()] },
    { path: GPG_NO_REBOOT_PATH, actions: [reload(CRIO_SERVICE)] },
    { path: CONTAINER_REGISTRY_POLICY_PATH, actions: [reload(CRIO_SERVICE)] },
    { path: CONTAINER_REGISTRY_CONF_PATH, actions: [{ type: 'Special' }] },
  ];
  if (which !== 'v4.16') {
    files.push({ path: SIGSTORE_REGISTRIES_CONFIG_DIR, actions: [reload(CRIO_SERVICE)] });
    if (which === 'v4.18') files.push({ path: CRIO_POLICIES_DIR, actions: [reload(CRIO_SERVICE)] });
    files.push(
      { path: OPENSHIFT_NMSTATE_CONFIG_DIR, actions: [none()] },
      { path: USER_CA_BUNDLE_PATH, actions: [restart(UPDATE_CA_TRUST_SERVICE), restart(CRIO_SERVICE)] },
    );
  }
  return { files, units: [], sshkey: { actions: [none()] } };
}

const copyActions = (actions: DisruptionAction[] | undefined): DisruptionAction[] =>
  (actions ?? []).map((a) => structuredClone(a));

/**
 * MergeClusterPolicies: the defaults, each replaced in place by a user file policy of the same path (or unit
 * policy of the same name), then the user's other policies appended in their order; the user's sshkey actions
 * when they have any, else the default. Null before 4.16 (no policies exist there).
 */
export function mergeClusterPolicies(
  version: string,
  spec: NodeDisruptionPolicyConfig | undefined,
): ClusterPolicies | null {
  const defaults = defaultClusterPolicies(version);
  if (!defaults) return null;
  const files = defaults.files.slice();
  for (const p of spec?.files ?? []) {
    const at = defaults.files.findIndex((d) => d.path === p.path);
    const entry = { path: p.path, actions: copyActions(p.actions) };
    if (at >= 0) files[at] = entry;
    else files.push(entry);
  }
  const units = defaults.units.slice();
  for (const u of spec?.units ?? []) {
    const at = defaults.units.findIndex((d) => d.name === u.name);
    const entry = { name: u.name, actions: copyActions(u.actions) };
    if (at >= 0) units[at] = entry;
    else units.push(entry);
  }
  const userSsh = spec?.sshkey?.actions ?? [];
  const sshkey = userSsh.length > 0 ? { actions: copyActions(userSsh) } : defaults.sshkey;
  return { files, units, sshkey };
}

/**
 * The status the operator writes for a MachineConfiguration: `nodeDisruptionPolicyStatus.clusterPolicies` merged
 * from its spec, and `observedGeneration` = metadata.generation. Null before 4.16, and in 4.16 without the
 * NodeDisruptionPolicy feature gate (the operator leaves the object alone there).
 */
export function machineConfigurationStatus(
  version: string,
  mc: Pick<MachineConfiguration, 'metadata' | 'spec'>,
  techPreview = false,
): { observedGeneration: number | undefined; nodeDisruptionPolicyStatus: { clusterPolicies: ClusterPolicies } } | null {
  const rules = disruptionRules(version);
  if (rules.policies === 'none' || (rules.policies === 'techPreview' && !techPreview)) return null;
  const clusterPolicies = mergeClusterPolicies(version, mc.spec?.nodeDisruptionPolicy)!;
  return { observedGeneration: mc.metadata.generation, nodeDisruptionPolicyStatus: { clusterPolicies } };
}

/** Go's filepath.Clean for slash paths: no empty or `.` elements, `..` resolved, no trailing slash; "" → ".". */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

/** IsSubdirectory: whether Clean(target) starts with Clean(dir) + "/" (so a path is not its own subdirectory). */
export function isSubdirectory(dir: string, target: string): boolean {
  const d = cleanPath(dir);
  return cleanPath(target).startsWith(d === '/' ? '/' : `${d}/`);
}

/**
 * FindClosestFilePolicyPathMatch: among the policies whose path equals the file or is a directory above it, the
 * longest path wins (ties: the first in list order). Null when none matches.
 */
export function closestFilePolicy(path: string, files: readonly FilePolicy[]): FilePolicy | null {
  let best: FilePolicy | null = null;
  for (const p of files) {
    if ((path === p.path || isSubdirectory(p.path, path)) && p.path.length > (best?.path.length ?? 0)) best = p;
  }
  return best;
}

/**
 * Whether the daemon may use the MachineConfiguration's policy status (it polls every 5 s for 2 min, then the
 * update fails with `NodeDisruptionPolicyStatus was not ready: <reason>`). `reason` is the inner error text.
 */
export function policyStatusReadiness(
  version: string,
  mc: MachineConfiguration | null | undefined,
): { ready: true } | { ready: false; reason: string; message: string } {
  const notReady = (reason: string) => ({
    ready: false as const,
    reason,
    message: `NodeDisruptionPolicyStatus was not ready: ${reason}`,
  });
  if (!mc) return notReady('MachineConfiguration/cluster has not been created yet');
  if (disruptionRules(version).readiness === 'populated') {
    if ((mc.status?.nodeDisruptionPolicyStatus?.clusterPolicies?.files ?? []).length === 0) {
      return notReady('NodeDisruptionPolicyStatus has not been populated yet');
    }
    return { ready: true };
  }
  // Go compares int64 fields: an absent generation or observedGeneration is 0.
  if ((mc.metadata.generation ?? 0) !== (mc.status?.observedGeneration ?? 0)) {
    return notReady('NodeDisruptionPolicyStatus is not up to date');
  }
  return { ready: true };
}

/** The clusterPolicies of a MachineConfiguration's status, with absent lists as empty ones. */
export function clusterPoliciesOf(mc: MachineConfiguration | null | undefined): ClusterPolicies {
  const cp = mc?.status?.nodeDisruptionPolicyStatus?.clusterPolicies;
  return { files: cp?.files ?? [], units: cp?.units ?? [], sshkey: { actions: cp?.sshkey?.actions ?? [] } };
}
