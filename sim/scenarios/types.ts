// The shape of a simulated cluster's starting content: what `--scenario` loads into an empty data folder.
import type { MachineConfig, MachineConfigPool, Node } from '@/lib/mco/types';
import type { KubeObject } from '../types';

/** A user the scenario adds beside `admin` and `viewer`: a kubeconfig context of its own, its groups, its token. */
export interface ScenarioUser {
  name: string;
  groups?: string[];
  /** A fixed bearer token (random when absent). */
  token?: string;
}

/** A file change applied to a node's root filesystem after the cluster settles (to show drift). */
export interface ScenarioDrift {
  node: string;
  /** Absolute path on the node, e.g. `/etc/mco/proxy.env`. */
  path: string;
  /** Text appended to the file's current content. */
  append?: string;
  /** New permission bits (decimal, e.g. 438 = 0666). */
  mode?: number;
}

export interface Scenario {
  machineConfigs: MachineConfig[];
  pools: MachineConfigPool[];
  /** Nodes as the user describes them: name and labels are enough; the cluster fills in a real-looking status. */
  nodes: Node[];
  drift?: ScenarioDrift[];
  /** The OpenShift version shown in release-image-version annotations, e.g. `4.16.0`. */
  version?: string;
  users?: ScenarioUser[];
  /** Roles, ClusterRoles, RoleBindings and ClusterRoleBindings, stored beside the default policy. */
  rbac?: KubeObject[];
}
