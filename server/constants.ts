// Where the machine-config-daemon lives on every cluster: its namespace, pod label and container, and where it
// mounts the node's root filesystem (MCO manifests/machineconfigdaemon/daemonset.yaml).
export const MCO_NAMESPACE = 'openshift-machine-config-operator';
export const MCD_LABEL = 'k8s-app=machine-config-daemon';
export const DAEMON_CONTAINER = 'machine-config-daemon';
export const ROOT = '/rootfs';
/** The daemon re-applies its config and reboots when this file exists (MCO pkg/daemon/constants). */
export const FORCE_FILE = '/run/machine-config-daemon-force';
