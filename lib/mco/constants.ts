// Names the MCO gives things on a cluster and on a node, in one place for the console server, the simulator and
// the browser. Each names the upstream source that defines it.

/** The namespace of the MCO's operands (MCO manifests/machineconfigdaemon/daemonset.yaml). */
export const MCO_NAMESPACE = 'openshift-machine-config-operator';

/** The label of the machine-config-daemon DaemonSet's pods (MCO manifests/machineconfigdaemon/daemonset.yaml). */
export const DAEMON_LABEL = { 'k8s-app': 'machine-config-daemon' } as const;
/** DAEMON_LABEL as a label selector string. */
export const DAEMON_LABEL_SELECTOR = 'k8s-app=machine-config-daemon';
/** The daemon's container in those pods. */
export const DAEMON_CONTAINER = 'machine-config-daemon';
/** Where the daemon's container mounts the node's root filesystem (the `rootfs` hostPath volume). */
export const HOST_ROOT = '/rootfs';

/** The file that makes the daemon re-apply its config and reboot (MCO pkg/daemon/constants/constants.go MachineConfigDaemonForceFile). */
export const FORCE_FILE = '/run/machine-config-daemon-force';

/** apiVersion of MachineConfig, MachineConfigPool and MachineConfigNode objects. */
export const MCO_API_VERSION = 'machineconfiguration.openshift.io/v1';

/** The prefix of the MCO's node annotations (MCO pkg/daemon/constants/constants.go). */
export const ANNOTATION_PREFIX = 'machineconfiguration.openshift.io/';
/** The node annotations the daemon and the node controller write (MCO pkg/daemon/constants/constants.go). */
export const NodeAnnotations = {
  currentConfig: 'machineconfiguration.openshift.io/currentConfig',
  desiredConfig: 'machineconfiguration.openshift.io/desiredConfig',
  state: 'machineconfiguration.openshift.io/state',
  reason: 'machineconfiguration.openshift.io/reason',
  desiredDrain: 'machineconfiguration.openshift.io/desiredDrain',
  lastAppliedDrain: 'machineconfiguration.openshift.io/lastAppliedDrain',
  postConfigAction: 'machineconfiguration.openshift.io/post-config-action',
  currentImage: 'machineconfiguration.openshift.io/currentImage',
  desiredImage: 'machineconfiguration.openshift.io/desiredImage',
} as const;
