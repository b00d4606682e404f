// The systemd units of the 00-<role> templates: services with contents, units that only carry dropins
// (crio.service, kubelet.service, zincati.service), units installed disabled, and one masked unit.
import type { IgnitionUnit } from '@/lib/mco/types';
import { dropin, unit } from './ignition';

const KUBENS_DROPIN = `# Join the kubens mount namespace when it exists, so that mounts made by CRI-O and kubelet
# stay out of the host's namespace.

[Unit]
After=kubens.service

[Service]
EnvironmentFile=-/run/kubens/env
`;

const MADV_DROPIN = '[Service]\nEnvironment="GODEBUG=x509ignoreCN=0,madvdontneed=1"\n';
const DISABLED_DROPIN = '[Unit]\nConditionPathExists=/enoent\n';

export function templateUnits(role: 'master' | 'worker'): IgnitionUnit[] {
  const rpmOstreedDropins = [dropin('10-mco-default-env.conf', '')];
  if (role === 'master') {
    rpmOstreedDropins.push(
      dropin(
        'mco-controlplane-nice.conf',
        '[Service]\n# Keep OS updates from starving etcd and the API server.\nNice=10\nIOSchedulingClass=best-effort\nIOSchedulingPriority=6\n',
      ),
    );
  }
  return [
    unit('NetworkManager-clean-initrd-state.service', {
      contents: `[Unit]
Description=Clean up initrd NetworkManager state
Before=NetworkManager.service
After=systemd-tmpfiles-setup.service
ConditionPathExists=/run/NetworkManager/initrd

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/local/bin/nm-clean-initrd-state.sh

[Install]
WantedBy=multi-user.target
`,
      enabled: true,
    }),
    unit('crio.service', {
      dropins: [
        dropin('01-kubens.conf', KUBENS_DROPIN),
        dropin('10-mco-default-env.conf', ''),
        dropin('10-mco-profile-unix-socket.conf', '[Service]\nEnvironment="ENABLE_PROFILE_UNIX_SOCKET=true"\n'),
        dropin(
          '05-mco-ordering.conf',
          '[Unit]\nAfter=kubelet-dependencies.target\nRequires=kubelet-dependencies.target\n',
        ),
        dropin('10-mco-default-madv.conf', MADV_DROPIN),
      ],
    }),
    unit('disable-mglru.service', {
      contents: `[Unit]
Description=Disable the multi-generational LRU, which causes memory stalls under kubelet eviction
Before=kubelet-dependencies.target

[Service]
Type=oneshot
ExecStart=/bin/sh -c 'echo n > /sys/kernel/mm/lru_gen/enabled'
RemainAfterExit=yes

[Install]
WantedBy=kubelet-dependencies.target
`,
      enabled: true,
    }),
    unit('docker.socket', { dropins: [dropin('mco-disabled.conf', DISABLED_DROPIN)] }),
    unit('kubelet-auto-node-size.service', {
      contents: `[Unit]
Description=Dynamically sets the system reserved for the kubelet
Wants=network-online.target
After=network-online.target firstboot-osupdate.target
Before=kubelet-dependencies.target

[Service]
Type=oneshot
RemainAfterExit=yes
EnvironmentFile=/etc/node-sizing-enabled.env
ExecStart=/bin/bash /usr/local/sbin/dynamic-system-reserved-calc.sh \${NODE_SIZING_ENABLED} \${SYSTEM_RESERVED_MEMORY} \${SYSTEM_RESERVED_CPU} \${SYSTEM_RESERVED_ES}

[Install]
RequiredBy=kubelet-dependencies.target
`,
      enabled: true,
    }),
    unit('kubelet-dependencies.target', {
      contents: `[Unit]
Description=Dependencies necessary to run kubelet
Documentation=https://github.com/openshift/machine-config-operator/
Requires=basic.target network-online.target
Wants=NetworkManager-wait-online.service crio-wipe.service
Wants=rpc-statd.service chronyd.service
`,
    }),
    unit('kubelet.service', {
      dropins: [
        dropin('01-kubens.conf', KUBENS_DROPIN),
        dropin('10-mco-default-env.conf', ''),
        dropin('10-mco-default-madv.conf', MADV_DROPIN),
      ],
    }),
    unit('kubens.service', {
      contents: `[Unit]
Description=Kubernetes mount namespace
Before=kubelet.service crio.service

[Service]
Type=oneshot
RemainAfterExit=yes
RuntimeDirectory=kubens
Environment=RUNTIME_DIRECTORY=%t/kubens
Environment=BIND_POINT=%t/kubens/mnt
Environment=ENVFILE=%t/kubens/env
ExecStart=/usr/bin/kubensmnt
ExecStop=/bin/umount -n $BIND_POINT

[Install]
WantedBy=multi-user.target
`,
      enabled: false,
    }),
    unit('machine-config-daemon-firstboot.service', {
      contents: `[Unit]
Description=Machine Config Daemon Firstboot
# Only run on the very first boot, before kubelet, to pivot to the cluster's OS image.
ConditionPathExists=/etc/ignition-machine-config-encapsulated.json
After=machine-config-daemon-pull.service
Before=crio.service crio-wipe.service kubelet.service
Wants=machine-config-daemon-pull.service

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/run/bin/machine-config-daemon firstboot-complete-machineconfig
ExecStart=/run/bin/machine-config-daemon firstboot-complete-machineconfig --persist-nics

[Install]
RequiredBy=firstboot-osupdate.target
`,
      enabled: true,
    }),
    unit('machine-config-daemon-pull.service', {
      contents: `[Unit]
Description=Machine Config Daemon Pull
ConditionPathExists=/etc/ignition-machine-config-encapsulated.json
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/sh -c "/usr/bin/podman pull --authfile=/var/lib/kubelet/config.json --quiet \\"$(cat /etc/mco/machine-config-daemon-image)\\""
ExecStart=/bin/sh -c "mkdir -p /run/bin && /usr/bin/podman run --rm --quiet --net=host -v /run/bin:/run/bin:z --entrypoint=cp \\"$(cat /etc/mco/machine-config-daemon-image)\\" /usr/bin/machine-config-daemon /run/bin"

[Install]
RequiredBy=machine-config-daemon-firstboot.service
`,
      enabled: true,
    }),
    unit('node-valid-hostname.service', {
      contents: `[Unit]
Description=Wait for a non-localhost hostname
Before=kubelet-dependencies.target
After=NetworkManager-wait-online.service

[Service]
Type=oneshot
ExecStart=/usr/local/bin/mco-hostname --wait
ExecStart=/usr/local/bin/mco-hostname --validate
StandardOutput=journal+console
StandardError=journal+console
TimeoutSec=300

[Install]
RequiredBy=kubelet-dependencies.target
`,
      enabled: true,
    }),
    unit('nodeip-configuration.service', {
      contents: `[Unit]
Description=Writes IP address configuration so that kubelet and crio services select a valid node IP
Wants=network-online.target
After=network-online.target ovs-configuration.service
Before=kubelet-dependencies.target

[Service]
Type=oneshot
ExecStart=/bin/bash -c "exec /usr/bin/podman run --rm --authfile /var/lib/kubelet/config.json --net=host --volume /etc/systemd/system:/etc/systemd/system:z quay.io/openshift-release-dev/ocp-v4.0-art-dev:baremetal-runtimecfg node-ip set --retry-on-failure"
ExecStart=/bin/systemctl daemon-reload
StandardOutput=journal+console
StandardError=journal+console

[Install]
RequiredBy=kubelet-dependencies.target
`,
      enabled: false,
    }),
    unit('openvswitch.service', { enabled: true }),
    unit('ovs-configuration.service', {
      contents: `[Unit]
Description=Configures OVS with proper host networking configuration
# The bridge must exist before kubelet and CRI-O start pods on the host network.
Wants=NetworkManager-wait-online.service
After=NetworkManager-wait-online.service openvswitch.service network.service nodeip-configuration.service
Before=kubelet-dependencies.target node-valid-hostname.service

[Service]
Type=oneshot
ExecStart=/usr/local/bin/configure-ovs.sh OVNKubernetes
StandardOutput=journal+console
StandardError=journal+console

[Install]
RequiredBy=kubelet-dependencies.target
`,
      enabled: true,
    }),
    unit('ovs-vswitchd.service', {
      dropins: [
        dropin(
          '10-ovs-vswitchd-restart.conf',
          '[Unit]\nStartLimitBurst=10\n\n[Service]\nRestart=always\nRestartSec=5\n',
        ),
      ],
    }),
    unit('ovsdb-server.service', {
      dropins: [dropin('10-ovsdb-restart.conf', '[Service]\nRestart=always\n')],
      enabled: true,
    }),
    unit('pivot.service', { dropins: [dropin('10-mco-default-env.conf', '')] }),
    unit('rpm-ostreed.service', { dropins: rpmOstreedDropins }),
    // Forwarding the kernel audit stream into the journal doubles the log volume on busy nodes.
    unit('systemd-journald-audit.socket', { mask: true }),
    unit('wait-for-primary-ip.service', {
      contents: `[Unit]
Description=Ensure the primary IP is assigned before nodeip-configuration runs
Before=nodeip-configuration.service
After=NetworkManager-wait-online.service

[Service]
Type=oneshot
ExecStart=/usr/local/bin/wait-for-primary-ip.sh
StandardOutput=journal+console
StandardError=journal+console

[Install]
WantedBy=network-online.target
`,
      enabled: true,
    }),
    unit('zincati.service', { dropins: [dropin('mco-disabled.conf', DISABLED_DROPIN)] }),
  ];
}
