// The files of the big controller template configs `00-master` and `00-worker`: the node plumbing every
// OpenShift node gets (networking, sysctls, kubelet helpers, audit, the pull secret). Content is written for the
// demo in the shape of a real 4.16 cluster's; most files are percent-encoded, one is gzipped as Butane does.
import type { IgnitionFile } from '@/lib/mco/types';
import { encodedFile, MODE, templateFile } from './ignition';
import { gzipDataUrl } from './encode';
import * as sh from './scripts';

/** The exact comment the MCO writes to /etc/mco/proxy.env when the cluster has no proxy (six lines). */
export const PROXY_ENV_TEXT =
  '# Proxy environment variables will be populated in this file. Properly\n' +
  "# url encoded passwords with special characters will use '%<HEX><HEX>'.\n" +
  '# Systemd requires that any % used in a password be represented as\n' +
  '# %% in a unit file since % is a prefix for macros; this restriction does not\n' +
  '# apply for environment files. Templates that need the proxy set should use\n' +
  "# 'EnvironmentFile=/etc/mco/proxy.env'.\n";

export const CLUSTER_DOMAIN = 'demo.plumb.example.com';

/** A made-up PEM body: deterministic base64 text of certificate-like length (not a parseable certificate). */
export function fakePem(seed: number, lines = 17): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let x = seed >>> 0;
  const next = () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return alphabet[x >>> 26];
  };
  const body: string[] = [];
  for (let l = 0; l < lines; l++) {
    let line = l === 0 ? 'MIIDQDCCAiigAwIBAgII' : '';
    while (line.length < 64) line += next();
    body.push(line);
  }
  let last = '';
  while (last.length < 28) last += next();
  body.push(`${last}==`);
  return `-----BEGIN CERTIFICATE-----\n${body.join('\n')}\n-----END CERTIFICATE-----\n`;
}

const containersStorage = `# Storage configuration for containers/storage, used by CRI-O and podman on this node.
# Managed by the Machine Config Operator: local edits are reverted.

[storage]
driver = "overlay"
runroot = "/run/containers/storage"
graphroot = "/var/lib/containers/storage"

[storage.options]
# Image stores shared read-only with other tools; none configured.
additionalimagestores = [
]
size = ""

[storage.options.overlay]
# Mount options for the overlay driver; nodev keeps device files in images from being usable.
mountopt = "nodev,metacopy=on"
skip_mount_home = "false"
force_mask = ""

[storage.options.thinpool]
# Only used by the devicemapper driver, kept for completeness.
autoextend_percent = "20"
autoextend_threshold = "80"
blocksize = "64k"
directlvm_device = ""
fs = "xfs"
min_free_space = "10%"
use_deferred_deletion = "true"
use_deferred_removal = "true"
`;

const auditQuietContainers = `# Managed by the Machine Config Operator.
# Container runtimes create and tear down mount and network namespaces for every pod; without these rules the
# audit log fills with their unshare, setns and mount calls. Drop them before any other rule sees them.
-a never,exit -F arch=b64 -S unshare,setns -F exe=/usr/bin/crio
-a never,exit -F arch=b64 -S unshare,setns -F exe=/usr/bin/conmon
-a never,exit -F arch=b64 -S mount,umount2 -F exe=/usr/bin/crun
-a never,exit -F arch=b64 -S mount,umount2 -F exe=/usr/bin/runc
-a never,exit -F arch=b64 -S pivot_root -F exe=/usr/bin/crun
-a never,exit -F arch=b64 -S pivot_root -F exe=/usr/bin/runc
`;

/** The 00-<role> files, in the order the template lists them. Masters get the kubeconfig recovery helper. */
export function templateFiles(role: 'master' | 'worker'): IgnitionFile[] {
  const files: IgnitionFile[] = [
    templateFile('/usr/local/bin/nm-clean-initrd-state.sh', MODE.rwx_rx_rx, sh.nmCleanInitrdState),
    templateFile(
      '/etc/NetworkManager/conf.d/01-ipv6.conf',
      MODE.rw_r_r,
      '[connection]\nipv6.dhcp-duid=ll\nipv6.dhcp-iaid=mac\nipv6.addr-gen-mode=eui64\n',
    ),
    templateFile(
      '/etc/NetworkManager/conf.d/20-keyfiles.conf',
      MODE.rw_r_r,
      '[main]\nplugins=keyfile,ifcfg-rh\n\n[keyfile]\npath=/etc/NetworkManager/system-connections\n',
    ),
    templateFile('/etc/pki/ca-trust/source/anchors/openshift-config-user-ca-bundle.crt', MODE.rw_only, ''),
    templateFile(
      '/etc/kubernetes/apiserver-url.env',
      MODE.rw_r_r,
      `KUBERNETES_SERVICE_HOST='api-int.${CLUSTER_DOMAIN}'\nKUBERNETES_SERVICE_PORT='6443'\n`,
    ),
    templateFile('/etc/audit/rules.d/mco-audit-quiet-containers.rules', MODE.rw_r_r, auditQuietContainers),
    templateFile(
      '/etc/tmpfiles.d/cleanup-cni.conf',
      MODE.rw_r_r,
      '# Remove stale CNI configuration at boot; the network operator writes it again.\n' +
        'r /etc/kubernetes/cni/net.d/80-openshift-network.conf\n' +
        'r /etc/kubernetes/cni/net.d/10-ovn-kubernetes.conf\n' +
        'd /run/multus/cni/net.d/ 0755 root root - -\n' +
        'D /var/lib/cni/networks/openshift-sdn/ 0755 root root - -\n',
    ),
    templateFile('/usr/local/bin/configure-ovs.sh', MODE.rwx_rx_rx, sh.configureOvs),
    // Butane gzips large inline files; the demo keeps one such entry so the gzip path is exercised end to end.
    encodedFile('/etc/containers/storage.conf', MODE.rw_r_r, gzipDataUrl(containersStorage), 'gzip'),
    templateFile(
      '/etc/kubernetes/credential-providers/ecr-credential-provider.yaml',
      MODE.rw_r_r,
      'apiVersion: kubelet.config.k8s.io/v1\nkind: CredentialProviderConfig\nproviders:\n' +
        '  - name: ecr-credential-provider\n    matchImages:\n      - "*.dkr.ecr.*.amazonaws.com"\n' +
        '      - "*.dkr.ecr.*.amazonaws.com.cn"\n      - "*.dkr.ecr-fips.*.amazonaws.com"\n' +
        '    defaultCacheDuration: "12h"\n    apiVersion: credentialprovider.kubelet.k8s.io/v1\n',
    ),
    templateFile('/etc/mco/proxy.env', MODE.rw_r_r, PROXY_ENV_TEXT),
    templateFile(
      '/etc/systemd/system.conf.d/10-default-env-godebug.conf',
      MODE.rw_r_r,
      '[Manager]\nDefaultEnvironment=GODEBUG=x509ignoreCN=0,madvdontneed=1\n',
    ),
    templateFile(
      '/etc/modules-load.d/iptables.conf',
      MODE.rw_r_r,
      '# Load the legacy iptables modules at boot so that pods still using them keep working.\nip_tables\niptable_nat\n',
    ),
    templateFile(
      '/etc/node-sizing-enabled.env',
      MODE.rw_r_r,
      'NODE_SIZING_ENABLED=false\nSYSTEM_RESERVED_MEMORY=1Gi\nSYSTEM_RESERVED_CPU=500m\nSYSTEM_RESERVED_ES=1Gi\n',
    ),
    templateFile('/usr/local/sbin/dynamic-system-reserved-calc.sh', MODE.rwx_rx_rx, sh.dynamicSystemReservedCalc),
    templateFile(
      '/etc/systemd/system.conf.d/kubelet-cgroups.conf',
      MODE.rw_r_r,
      '# Account CPU and memory for every unit, so kubelet can see how much the system slice uses.\n' +
        '[Manager]\nDefaultCPUAccounting=yes\nDefaultMemoryAccounting=yes\nDefaultBlockIOAccounting=yes\n',
    ),
    templateFile(
      '/etc/systemd/system/kubelet.service.d/20-logging.conf',
      MODE.rw_r_r,
      '[Service]\nEnvironment="KUBELET_LOG_LEVEL=2"\n',
    ),
    templateFile(
      '/etc/NetworkManager/conf.d/sdn.conf',
      MODE.rw_r_r,
      "# Devices created by OVN-Kubernetes and Open vSwitch are not NetworkManager's to manage.\n" +
        '[keyfile]\nunmanaged-devices=interface-name:br-int;interface-name:ovn-k8s-mp0;interface-name:genev_sys_*;' +
        'interface-name:veth*;interface-name:vxlan_sys_*\n',
    ),
    templateFile('/etc/nmstate/nmstate.conf', MODE.rw_r_r, '[service]\nkeep_state_file_after_apply = false\n'),
    templateFile('/etc/NetworkManager/dispatcher.d/pre-up.d/10-ofport-request.sh', MODE.rwx_rx_rx, sh.ofportRequest),
    templateFile(
      '/var/lib/kubelet/config.json',
      MODE.rw_only,
      '{"auths":{"cloud.openshift.com":{"auth":"REDACTED","email":"demo@example.com"},' +
        '"quay.io":{"auth":"REDACTED","email":"demo@example.com"},' +
        '"registry.redhat.io":{"auth":"REDACTED","email":"demo@example.com"}}}',
    ),
    templateFile('/etc/kubernetes/ca.crt', MODE.rw_r_r, fakePem(0x5eed01)),
    templateFile(
      '/etc/sysctl.d/arp.conf',
      MODE.rw_r_r,
      '# Reply to ARP only with addresses of the receiving interface; the OVN gateway relies on it.\n' +
        'net.ipv4.conf.all.arp_announce = 2\nnet.ipv4.conf.all.arp_ignore = 1\n',
    ),
    templateFile(
      '/etc/sysctl.d/gc-thresh.conf',
      MODE.rw_r_r,
      '# Large clusters have many neighbours: raise the ARP/NDP cache limits.\n' +
        'net.ipv4.neigh.default.gc_thresh1 = 8192\nnet.ipv4.neigh.default.gc_thresh2 = 32768\n' +
        'net.ipv4.neigh.default.gc_thresh3 = 65536\nnet.ipv6.neigh.default.gc_thresh1 = 8192\n' +
        'net.ipv6.neigh.default.gc_thresh2 = 32768\nnet.ipv6.neigh.default.gc_thresh3 = 65536\n',
    ),
    templateFile(
      '/etc/sysctl.d/inotify.conf',
      MODE.rw_r_r,
      'fs.inotify.max_user_watches = 65536\nfs.inotify.max_user_instances = 8192\n',
    ),
    templateFile('/etc/sysctl.d/enable-userfaultfd.conf', MODE.rw_r_r, 'vm.unprivileged_userfaultfd = 1\n'),
    templateFile(
      '/etc/sysctl.d/vm-max-map.conf',
      MODE.rw_r_r,
      '# Search and logging stacks map many files at once.\nvm.max_map_count = 262144\n',
    ),
    templateFile('/usr/local/bin/mco-hostname', MODE.rwx_rx_rx, sh.mcoHostname),
  ];
  if (role === 'master')
    files.push(templateFile('/usr/local/bin/recover-kubeconfig.sh', MODE.rwx_rx_rx, sh.recoverKubeconfig));
  files.push(
    templateFile('/etc/kubernetes/kubelet-plugins/volume/exec/.dummy', MODE.rwx_rx_rx, ''),
    templateFile('/etc/NetworkManager/dispatcher.d/99-esp-offload', MODE.rwx_r_r, sh.espOffload),
    templateFile('/usr/local/bin/wait-for-primary-ip.sh', MODE.rwx_rx_rx, sh.waitForPrimaryIp),
  );
  return files;
}
