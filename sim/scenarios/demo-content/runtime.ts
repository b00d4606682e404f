// Container runtime files: what `01-<role>-container-runtime` and `99-<role>-generated-registries` carry.

/** The pause image of the demo release (made-up digest). */
export const PAUSE_IMAGE =
  'quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:9d2c4b6a8e0f1d3c5b7a9e2f4d6c8b0a1e3f5d7c9b2a4e6f8d0c1b3a5e7f9d2c';

export const crioDefault = `[crio]
internal_wipe = true

[crio.api]
stream_address = "127.0.0.1"
stream_port = "0"

[crio.runtime]
selinux = true
conmon = ""
conmon_cgroup = "pod"
default_env = [
    "NSS_SDB_USE_CACHE=no",
]
log_level = "info"
cgroup_manager = "systemd"
default_sysctls = [
    "net.ipv4.ping_group_range=0 2147483647",
]
hooks_dir = [
    "/etc/containers/oci/hooks.d",
    "/run/containers/oci/hooks.d",
    "/usr/share/containers/oci/hooks.d",
]
absent_mount_sources_to_reject = [
    "/etc/hostname",
]
drop_infra_ctr = true
default_runtime = "runc"
default_capabilities = [
    "CHOWN",
    "DAC_OVERRIDE",
    "FSETID",
    "FOWNER",
    "SETGID",
    "SETUID",
    "SETPCAP",
    "NET_BIND_SERVICE",
    "KILL",
]

[crio.runtime.runtimes.runc]
runtime_root = "/run/runc"
allowed_annotations = [
    "io.containers.trace-syscall",
    "io.kubernetes.cri-o.Devices",
    "io.kubernetes.cri-o.LinkLogs",
]

[crio.runtime.runtimes.crun]
runtime_root = "/run/crun"
allowed_annotations = [
    "io.containers.trace-syscall",
    "io.kubernetes.cri-o.Devices",
    "io.kubernetes.cri-o.LinkLogs",
]

[crio.runtime.workloads.openshift-builder]
activation_annotation = "io.openshift.builder"
allowed_annotations = [
    "io.kubernetes.cri-o.userns-mode",
    "io.kubernetes.cri-o.Devices",
]

[crio.image]
global_auth_file = "/var/lib/kubelet/config.json"
pause_image = "${PAUSE_IMAGE}"
pause_image_auth_file = "/var/lib/kubelet/config.json"
pause_command = "/usr/bin/pod"

[crio.network]
network_dir = "/etc/kubernetes/cni/net.d/"
plugin_dirs = [
    "/var/lib/cni/bin",
    "/usr/libexec/cni",
]

[crio.metrics]
enable_metrics = true
metrics_port = 9537
metrics_collectors = [
    "operations_total",
    "operations_latency_seconds_total",
    "operations_latency_seconds",
    "operations_errors_total",
    "image_pulls_bytes_total",
    "image_pulls_skipped_bytes_total",
    "image_pulls_success_total",
    "image_pulls_failure_total",
    "image_layer_reuse_total",
    "containers_oom_count_total",
    "processes_defunct",
]
`;

/** The template's registries.conf: search registries only, as before any image configuration. */
export const registriesTemplate = "unqualified-search-registries = ['registry.access.redhat.com', 'docker.io']\n";

/** What the controller generates from the cluster Image config: a mirror for quay.io and a blocked registry. */
export const registriesGenerated = `unqualified-search-registries = ["registry.access.redhat.com", "docker.io"]
short-name-mode = ""

[[registry]]
  prefix = ""
  location = "quay.io/openshift-release-dev"

  [[registry.mirror]]
    location = "mirror.registry.example.com:8443/openshift-release-dev"
    pull-from-mirror = "digest-only"

[[registry]]
  prefix = ""
  location = "untrusted.registry.example.com"
  blocked = true
`;

export const policyJson = `{
    "default": [
        {
            "type": "insecureAcceptAnything"
        }
    ],
    "transports": {
        "docker-daemon": {
            "": [
                {
                    "type": "insecureAcceptAnything"
                }
            ]
        }
    }
}
`;

/**
 * The administrator's CRI-O drop-in: crun as the default runtime, a shorter capability list, a per-container
 * pids limit. Sorted after 00-default, so CRI-O applies it last.
 */
export const crioCrunDropin = `# Added by the platform team (CHG-2291): run containers with crun and a tighter default capability set.
[crio.runtime]
default_runtime = "crun"
pids_limit = 4096
default_capabilities = [
    "CHOWN",
    "DAC_OVERRIDE",
    "FSETID",
    "FOWNER",
    "SETGID",
    "SETUID",
    "NET_BIND_SERVICE",
]

[crio.runtime.runtimes.crun]
runtime_path = "/usr/bin/crun"
runtime_type = "oci"
runtime_root = "/run/crun"
`;

export const crioMetricsProxy = `authorization:
  static:
    - resourceRequest: false
      path: /metrics
      verb: get
      user:
        name: system:serviceaccount:openshift-monitoring:prometheus-k8s
`;
