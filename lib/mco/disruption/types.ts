// The NodeDisruptionPolicy API (operator.openshift.io/v1 MachineConfiguration) and the values lib/mco/disruption
// computes from it. Plain JSON shapes, as the API server serves them.
import type { Condition, ObjectMeta } from '../types';

/** Action types of a user policy (the CRD's enum for spec). */
export const SPEC_ACTION_TYPES = ['Reboot', 'Drain', 'Reload', 'Restart', 'DaemonReload', 'None'] as const;
/** Action types of the merged status; `Special` is reserved for /etc/containers/registries.conf. */
export const STATUS_ACTION_TYPES = [...SPEC_ACTION_TYPES, 'Special'] as const;
export type ActionType = (typeof STATUS_ACTION_TYPES)[number];

/** One action (NodeDisruptionPolicyStatusAction / ...SpecAction). `reload`/`restart` only with that type. */
export interface DisruptionAction {
  type: ActionType;
  reload?: { serviceName: string };
  restart?: { serviceName: string };
}

export interface FilePolicy {
  path: string;
  actions: DisruptionAction[];
}
export interface UnitPolicy {
  name: string;
  actions: DisruptionAction[];
}
export interface SSHKeyPolicy {
  actions: DisruptionAction[];
}

/** spec.nodeDisruptionPolicy (NodeDisruptionPolicyConfig). */
export interface NodeDisruptionPolicyConfig {
  files?: FilePolicy[];
  units?: UnitPolicy[];
  sshkey?: SSHKeyPolicy;
}

/** status.nodeDisruptionPolicyStatus.clusterPolicies (NodeDisruptionPolicyClusterStatus). */
export interface ClusterPolicies {
  files: FilePolicy[];
  units: UnitPolicy[];
  sshkey: SSHKeyPolicy;
}

/** The cluster-scoped MachineConfiguration `cluster` (the subset Plumb uses). */
export interface MachineConfiguration {
  apiVersion: 'operator.openshift.io/v1' | string;
  kind: 'MachineConfiguration';
  metadata: ObjectMeta;
  spec?: {
    managementState?: string;
    nodeDisruptionPolicy?: NodeDisruptionPolicyConfig;
    [field: string]: unknown;
  };
  status?: {
    observedGeneration?: number;
    conditions?: Condition[];
    nodeDisruptionPolicyStatus?: { clusterPolicies?: Partial<ClusterPolicies> };
    [field: string]: unknown;
  };
}

/** The daemon's pre-policy actions (update.go postConfigChangeAction* constants), exactly as spelled there. */
export type LegacyAction = 'none' | 'reload crio' | 'restart crio' | 'reboot';
