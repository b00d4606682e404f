// Kubelet files: the template's kubelet.conf (YAML, in 01-<role>-kubelet), the controller's generated
// kubelet.conf (JSON, base64, in 97-/98-<role>-generated-kubelet), and the kubelet units.
import { PAUSE_IMAGE } from './runtime';

/** The template KubeletConfiguration. */
export const kubeletYaml = `kind: KubeletConfiguration
apiVersion: kubelet.config.k8s.io/v1beta1
authentication:
  x509:
    clientCAFile: /etc/kubernetes/kubelet-ca.crt
  anonymous:
    enabled: false
cgroupDriver: systemd
cgroupRoot: /
clusterDNS:
  - 172.30.0.10
clusterDomain: cluster.local
containerLogMaxSize: 50Mi
enableSystemLogQuery: true
maxPods: 250
kubeAPIQPS: 50
kubeAPIBurst: 100
podPidsLimit: 4096
protectKernelDefaults: true
rotateCertificates: true
serializeImagePulls: false
staticPodPath: /etc/kubernetes/manifests
systemCgroups: /system.slice
nodeStatusUpdateFrequency: 10s
nodeStatusReportFrequency: 5m
featureGates:
  RotateKubeletServerCertificate: true
  NodeSwap: false
serverTLSBootstrap: true
tlsMinVersion: VersionTLS12
tlsCipherSuites:
  - TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
  - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
  - TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
  - TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
  - TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
  - TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
`;

/**
 * The KubeletConfiguration the kubelet-config controller renders from the template plus the cluster's feature
 * gates and TLS profile, marshalled as indented JSON (which is why the generated configs are base64).
 */
export function kubeletJson(role: 'master' | 'worker'): string {
  const config = {
    kind: 'KubeletConfiguration',
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    staticPodPath: '/etc/kubernetes/manifests',
    syncFrequency: '0s',
    fileCheckFrequency: '0s',
    httpCheckFrequency: '0s',
    tlsCipherSuites: [
      'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
      'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
      'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
      'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
      'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
      'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
    ],
    tlsMinVersion: 'VersionTLS12',
    rotateCertificates: true,
    serverTLSBootstrap: true,
    authentication: {
      x509: { clientCAFile: '/etc/kubernetes/kubelet-ca.crt' },
      webhook: { cacheTTL: '0s' },
      anonymous: { enabled: false },
    },
    authorization: { webhook: { cacheAuthorizedTTL: '0s', cacheUnauthorizedTTL: '0s' } },
    clusterDomain: 'cluster.local',
    clusterDNS: ['172.30.0.10'],
    streamingConnectionIdleTimeout: '0s',
    nodeStatusUpdateFrequency: '10s',
    nodeStatusReportFrequency: '5m0s',
    imageMinimumGCAge: '0s',
    imageMaximumGCAge: '0s',
    volumeStatsAggPeriod: '0s',
    systemCgroups: '/system.slice',
    cgroupRoot: '/',
    cgroupDriver: 'systemd',
    cpuManagerReconcilePeriod: '0s',
    runtimeRequestTimeout: '0s',
    maxPods: 250,
    podPidsLimit: 4096,
    kubeAPIQPS: 50,
    kubeAPIBurst: 100,
    serializeImagePulls: false,
    evictionPressureTransitionPeriod: '0s',
    featureGates: {
      AdminNetworkPolicy: true,
      AlibabaPlatform: true,
      AzureWorkloadIdentity: true,
      BuildCSIVolumes: true,
      CloudDualStackNodeIPs: true,
      DisableKubeletCloudCredentialProviders: true,
      ExternalCloudProvider: true,
      ExternalCloudProviderAzure: true,
      ExternalCloudProviderExternal: true,
      ExternalCloudProviderGCP: true,
      KMSv1: true,
      NetworkLiveMigration: true,
      PrivateHostedZoneAWS: true,
      RotateKubeletServerCertificate: true,
      SetEIPForNLBIngressController: true,
      VSphereControlPlaneMachineSet: true,
      VSphereStaticIPs: true,
      ValidatingAdmissionPolicy: true,
      NodeSwap: false,
      RouteExternalCertificate: false,
    },
    memorySwap: {},
    containerLogMaxSize: '50Mi',
    logging: { flushFrequency: 0, verbosity: 0, options: { json: { infoBufferSize: '0' } } },
    shutdownGracePeriod: '0s',
    shutdownGracePeriodCriticalPods: '0s',
    enableSystemLogQuery: true,
    protectKernelDefaults: true,
    ...(role === 'master' ? { systemReserved: { 'ephemeral-storage': '1Gi' } } : {}),
    containerRuntimeEndpoint: '',
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** kubelet.service, as 01-<role>-kubelet writes it. Masters register with their role and a NoSchedule taint. */
export function kubeletService(role: 'master' | 'worker'): string {
  const nodeLabels =
    role === 'master'
      ? 'node-role.kubernetes.io/control-plane,node-role.kubernetes.io/master,node.openshift.io/os_id=${ID}'
      : 'node-role.kubernetes.io/worker,node.openshift.io/os_id=${ID}';
  const taints =
    role === 'master' ? '      --register-with-taints=node-role.kubernetes.io/master=:NoSchedule \\\n' : '';
  return `[Unit]
Description=Kubernetes Kubelet
Requires=crio.service kubelet-dependencies.target
After=kubelet-dependencies.target
After=ostree-finalize-staged.service

[Service]
Type=notify
ExecStartPre=/bin/mkdir --parents /etc/kubernetes/manifests
ExecStartPre=-/usr/sbin/restorecon /usr/local/bin/kubenswrapper /usr/bin/kubensenter
Environment="KUBELET_NODE_IP=0.0.0.0"
EnvironmentFile=/etc/os-release
EnvironmentFile=-/etc/kubernetes/kubelet-workaround
EnvironmentFile=-/etc/kubernetes/kubelet-env
EnvironmentFile=/etc/node-sizing.env

ExecStart=/usr/local/bin/kubenswrapper \\
    /usr/bin/kubelet \\
      --config=/etc/kubernetes/kubelet.conf \\
      --bootstrap-kubeconfig=/etc/kubernetes/kubeconfig \\
      --kubeconfig=/var/lib/kubelet/kubeconfig \\
      --container-runtime-endpoint=/var/run/crio/crio.sock \\
      --runtime-cgroups=/system.slice/crio.service \\
      --node-labels=${nodeLabels} \\
      --node-ip=\${KUBELET_NODE_IP} \\
      --minimum-container-ttl-duration=6m0s \\
      --volume-plugin-dir=/etc/kubernetes/kubelet-plugins/volume/exec \\
      --cloud-provider=external \\
      --hostname-override=\${KUBELET_NODE_NAME} \\
      --provider-id=\${KUBELET_PROVIDERID} \\
${taints}      --pod-infra-container-image=${PAUSE_IMAGE} \\
      --system-reserved=cpu=\${SYSTEM_RESERVED_CPU},memory=\${SYSTEM_RESERVED_MEMORY},ephemeral-storage=\${SYSTEM_RESERVED_ES} \\
      --v=\${KUBELET_LOG_LEVEL}

Restart=always
RestartSec=10

[Install]
WantedBy=multi-user.target
`;
}

export const kubeletCleanupService = `[Unit]
Description=Kubernetes Kubelet After Reboot Cleanup
Before=kubelet.service

[Service]
Type=oneshot
ExecStart=/bin/rm -f /var/lib/kubelet/cpu_manager_state
ExecStart=/bin/rm -f /var/lib/kubelet/memory_manager_state
ExecStart=-/bin/rm -f /var/lib/kubelet/dra_manager_state

[Install]
WantedBy=multi-user.target
`;

/** The cloud provider config: empty on AWS with an external cloud controller manager. */
export const cloudConf = '[Global]\n';
