// lib/mco/disruption: what applying a new rendered MachineConfig does to a node, as the Machine Config Daemon
// decides it (NodeDisruptionPolicy from 4.16 Tech Preview / 4.17 GA, the fixed legacy lists before that).
// Pure: no I/O, no Node built-ins. Import from '@/lib/mco/disruption'.
//
// The API, by consumer:
//
// Simulator operator (MachineConfiguration `cluster`):
//   validateNodeDisruptionPolicy(spec.nodeDisruptionPolicy, version) → ValidationCause[] ({field, reason, message},
//     the CRD's wording; [] = valid); feed them to the API server's 422 Invalid.
//   machineConfigurationStatus(version, mc, techPreview?) → {observedGeneration, nodeDisruptionPolicyStatus:
//     {clusterPolicies}} to write into status (null before 4.16, and in 4.16 without the feature gate).
//   defaultClusterPolicies(version), mergeClusterPolicies(version, spec) for the pieces.
//
// Simulator daemon (one node, old → new rendered config):
//   decideDisruption({version, oldConfig, newConfig, machineConfiguration, techPreview?, forceFile?, firstBoot?,
//     registryDrainOverride?}) → DisruptionDecision:
//     mode 'policy' | 'legacy'; actions (policy mode, execution order; Drain entries are no-ops after the drain,
//     Special = reload crio); legacyActions (legacy mode: 'none' | 'reload crio' | 'restart crio' | 'reboot');
//     reboot, drain, rebootCause; forceFileConsumed (delete the force file); error (the update fails with this
//     text, e.g. `NodeDisruptionPolicyStatus was not ready: NodeDisruptionPolicyStatus is not up to date`);
//     legacyFallback (4.16 fell back to legacy); per-item files / units / sshkey with their policy and actions;
//     changes (the full ConfigChanges).
//   policyStatusReadiness(version, mc) → {ready} | {ready:false, reason, message}: whether the daemon would wait.
//   disruptionRules(version) / usesPolicies(version, techPreview): the per-release switches.
//
// Console (compare page, node page, restore dialog):
//   describeDecision(d) → "Reboot, drains each node" | "Reload crio.service on each node, no drain, no reboot" | …
//   describeFileDecision(f, d.mode), describeUnitDecision(u, d.mode), describeSshKey(d), describeRebootCause(c),
//   describeAction(a), describeActions(list).
//   closestFilePolicy(path, clusterPolicies.files) → the policy the MCO would apply to one path (restore dialog).
//   configChanges(old, new, version) for the diff sets alone.
//
// Versions: any "4.N" (also "4.20.3", "4.20.0-0.nightly-…"); tested for 4.14, 4.16, 4.17, 4.18, 4.20.
export * from './types';
export { disruptionRules, usesPolicies, ocpMinor, type DisruptionRules } from './version';
export {
  defaultClusterPolicies,
  mergeClusterPolicies,
  machineConfigurationStatus,
  closestFilePolicy,
  isSubdirectory,
  cleanPath,
  policyStatusReadiness,
  clusterPoliciesOf,
  CONTAINER_REGISTRY_CONF_PATH,
  CONTAINER_REGISTRY_POLICY_PATH,
  CRIO_POLICIES_DIR,
  CRIO_SERVICE,
  GPG_NO_REBOOT_PATH,
  IMAGE_REGISTRY_DRAIN_OVERRIDE_CONFIGMAP,
  KUBELET_AUTH_FILE,
  OPENSHIFT_NMSTATE_CONFIG_DIR,
  SIGSTORE_REGISTRIES_CONFIG_DIR,
  UPDATE_CA_TRUST_SERVICE,
  USER_CA_BUNDLE_PATH,
} from './policies';
export {
  configChanges,
  canonicalKernelType,
  type ConfigChanges,
  type FileChange,
  type UnitChange,
  type SshKeyChange,
  type FileField,
  type UnitField,
  type ChangeKind,
} from './changes';
export {
  decideDisruption,
  actionsFromPolicies,
  legacyActionsFromFiles,
  legacyFileClass,
  type DisruptionInput,
  type DisruptionDecision,
  type FileDecision,
  type UnitDecision,
  type RebootCause,
} from './decide';
export {
  isSafeContainerRegistryConfChanges,
  isSafeRegistriesChange,
  parseRegistriesConf,
  type RegistriesConf,
  type Registry,
} from './registries';
export { parseToml, type TomlTable, type TomlValue } from './toml';
export { validateNodeDisruptionPolicy, type ValidationCause } from './validate';
export {
  describeAction,
  describeActions,
  describeDecision,
  describeFileDecision,
  describeUnitDecision,
  describeSshKey,
  describeRebootCause,
  describeLegacyAction,
} from './describe';
