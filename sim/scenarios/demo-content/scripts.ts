// Shell scripts the 00-<role> and 01-<role>-kubelet templates install on every node. Shortened, written for the
// demo: they read like the real helpers (same purpose, same conventions) without being copies of them.

export const configureOvs = `#!/bin/bash
set -x

# Moves the node's primary interface into the OVS bridge br-ex so that OVN-Kubernetes can own the default route.
# Runs once per boot from ovs-configuration.service, before kubelet starts.

if [ "$1" != "OVNKubernetes" ]; then
  echo "Network type is $1, nothing to do"
  exit 0
fi

NM_CONN_ETC_PATH="/etc/NetworkManager/system-connections"
NM_CONN_RUN_PATH="/run/NetworkManager/system-connections"
BRIDGE_NAME=br-ex
OVS_PORT=ovs-port-phys0

get_default_interface() {
  local iface=""
  for _ in {1..30}; do
    iface=$(ip -j route show default | jq -r '.[0].dev // empty')
    if [ -n "$iface" ] && [ "$iface" != "$BRIDGE_NAME" ]; then
      echo "$iface"
      return 0
    fi
    sleep 2
  done
  return 1
}

rollback_nm() {
  echo "Restoring the previous NetworkManager profiles"
  rm -f "$NM_CONN_ETC_PATH"/br-ex* "$NM_CONN_ETC_PATH"/ovs-*
  nmcli connection reload
  systemctl restart NetworkManager
}

if nmcli -t -f NAME connection show --active | grep -q "^$BRIDGE_NAME$"; then
  echo "$BRIDGE_NAME is already active"
  exit 0
fi

iface=$(get_default_interface) || { echo "ERROR: no default route interface found"; exit 1; }
echo "Attaching $iface to $BRIDGE_NAME"

trap rollback_nm ERR
mkdir -p "$NM_CONN_RUN_PATH"
nmcli connection add type ovs-bridge con-name "$BRIDGE_NAME" conn.interface "$BRIDGE_NAME" 802-3-ethernet.mtu 1500
nmcli connection add type ovs-port conn.interface "$OVS_PORT" master "$BRIDGE_NAME" con-name "$OVS_PORT"
nmcli connection add type 802-3-ethernet conn.interface "$iface" master "$OVS_PORT" con-name ovs-if-phys0 \\
  connection.autoconnect-priority 100
nmcli connection add type ovs-interface slave-type ovs-port conn.interface "$BRIDGE_NAME" master "$OVS_PORT" \\
  con-name ovs-if-br-ex ipv4.method auto ipv6.method auto connection.autoconnect-priority 100
nmcli connection up ovs-if-phys0
nmcli connection up ovs-if-br-ex
trap - ERR

ip -br addr show "$BRIDGE_NAME"
echo "OVS configuration successfully completed"
`;

export const nmCleanInitrdState = `#!/bin/bash
set -eu -o pipefail

# NetworkManager in the initramfs leaves state behind in /run. Once the real root is up, drop it so the
# profiles in /etc win, unless the node was deliberately configured from the kernel command line.

if grep -q 'ip=' /proc/cmdline; then
  echo "Static networking on the kernel command line: keeping initrd state"
  exit 0
fi

rm -f /run/NetworkManager/initrd/neednet
for profile in /run/NetworkManager/system-connections/*.nmconnection; do
  [ -e "$profile" ] || continue
  if grep -q '^origin=nm-initrd-generator' "$profile"; then
    echo "Removing initrd profile $profile"
    rm -f "$profile"
  fi
done
nmcli connection reload
`;

export const dynamicSystemReservedCalc = `#!/bin/bash
set -e

# Computes how much CPU and memory to reserve for the system, as a function of the node's size,
# and writes the result to /etc/node-sizing.env for kubelet.service.

NODE_SIZES_ENV=\${NODE_SIZES_ENV:-/etc/node-sizing.env}
VERSION_1=1
VERSION_2=2

total_memory_gb() {
  awk '/MemTotal/ {printf "%d", $2/1024/1024}' /proc/meminfo
}

total_cpus() {
  nproc --all
}

memory_to_reserve() {
  local mem=$1 reserved=0
  # 25% of the first 4 GiB, 20% of the next 4, 10% of the next 8, 6% of the next 112, 2% of the rest.
  if (( mem <= 4 )); then reserved=$(echo "$mem * 0.25" | bc)
  elif (( mem <= 8 )); then reserved=$(echo "1 + ($mem - 4) * 0.2" | bc)
  elif (( mem <= 16 )); then reserved=$(echo "1.8 + ($mem - 8) * 0.1" | bc)
  elif (( mem <= 128 )); then reserved=$(echo "2.6 + ($mem - 16) * 0.06" | bc)
  else reserved=$(echo "9.32 + ($mem - 128) * 0.02" | bc)
  fi
  echo "$reserved"
}

cpu_to_reserve() {
  local cpus=$1 reserved=0.06
  # 60m for the first core, 10m for the second, 5m for each of the next two, 2.5m for every further one.
  if (( cpus > 1 )); then reserved=$(echo "$reserved + 0.01" | bc); fi
  if (( cpus > 2 )); then reserved=$(echo "$reserved + 0.005 * $(( cpus > 4 ? 2 : cpus - 2 ))" | bc); fi
  if (( cpus > 4 )); then reserved=$(echo "$reserved + 0.0025 * ($cpus - 4)" | bc); fi
  echo "$reserved"
}

if [ "$1" != "true" ]; then
  echo "SYSTEM_RESERVED_MEMORY=\${2:-1Gi}" > "$NODE_SIZES_ENV"
  echo "SYSTEM_RESERVED_CPU=\${3:-500m}" >> "$NODE_SIZES_ENV"
  echo "SYSTEM_RESERVED_ES=\${4:-1Gi}" >> "$NODE_SIZES_ENV"
  exit 0
fi

mem=$(total_memory_gb)
cpus=$(total_cpus)
echo "SYSTEM_RESERVED_MEMORY=$(memory_to_reserve "$mem")Gi" > "$NODE_SIZES_ENV"
echo "SYSTEM_RESERVED_CPU=$(cpu_to_reserve "$cpus")" >> "$NODE_SIZES_ENV"
echo "SYSTEM_RESERVED_ES=1Gi" >> "$NODE_SIZES_ENV"
echo "NODE_SIZING_VERSION=$VERSION_2 (format $VERSION_1 still read by older kubelets)"
`;

export const ofportRequest = `#!/bin/bash
# Pin the OpenFlow port number of the physical interface in br-ex, so flows programmed by OVN survive
# a restart of openvswitch. Called by NetworkManager as a pre-up dispatcher script.

set -eu
IFACE=$1
ACTION=$2

[ "$ACTION" = "pre-up" ] || exit 0
[ "$(nmcli -g connection.slave-type connection show "$CONNECTION_UUID" 2>/dev/null)" = "ovs-port" ] || exit 0

bridge=$(ovs-vsctl port-to-br "$IFACE" 2>/dev/null || true)
if [ "$bridge" = "br-ex" ]; then
  logger -t 10-ofport-request "Requesting ofport 1 for $IFACE on $bridge"
  ovs-vsctl set Interface "$IFACE" ofport_request=1
fi
`;

export const mcoHostname = `#!/bin/bash
# Make sure the node has a usable hostname before kubelet registers it: not localhost, not empty,
# and at most 63 characters per label.

wait_localhost() {
  for _ in {1..60}; do
    current=$(hostnamectl --transient 2>/dev/null || hostname)
    if [ -n "$current" ] && [ "$current" != "localhost" ] && [ "$current" != "localhost.localdomain" ]; then
      return 0
    fi
    sleep 1
  done
  echo "Timed out waiting for a hostname from DHCP or the cloud provider" >&2
  return 1
}

set_valid_hostname() {
  local name=$1
  local short=\${name%%.*}
  if (( \${#short} > 63 )); then
    short=\${short:0:63}
    echo "Hostname too long, truncated to $short"
  fi
  hostnamectl set-hostname --transient "$short"
}

case "$1" in
  --wait) wait_localhost ;;
  --validate) set_valid_hostname "$(hostname)" ;;
  *) echo "usage: $0 --wait|--validate" >&2; exit 2 ;;
esac
`;

export const recoverKubeconfig = `#!/bin/bash
set -eou pipefail

# Rebuild /etc/kubernetes/kubeconfig from the node's bootstrap credentials when the control plane
# certificates were rotated while this node was down.

KUBECONFIG_PATH=/etc/kubernetes/kubeconfig
CA_BUNDLE=/etc/kubernetes/kubelet-ca.crt
API_URL=$(awk -F= '/KUBERNETES_SERVICE_HOST/ {print $2}' /etc/kubernetes/apiserver-url.env | tr -d "'")

if [ -z "$API_URL" ]; then
  echo "No API server URL in /etc/kubernetes/apiserver-url.env" >&2
  exit 1
fi

cat > "$KUBECONFIG_PATH.new" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: https://$API_URL:6443
    certificate-authority: $CA_BUNDLE
users:
- name: kubelet
  user:
    tokenFile: /var/lib/kubelet/bootstrap-token
contexts:
- name: kubelet
  context:
    cluster: local
    user: kubelet
current-context: kubelet
KUBECONFIG
mv "$KUBECONFIG_PATH.new" "$KUBECONFIG_PATH"
echo "Recovered $KUBECONFIG_PATH"
`;

export const espOffload = `#!/bin/bash
# IPsec ESP hardware offload breaks encapsulated pod traffic on some NICs. Turn it off on every
# interface NetworkManager brings up; harmless where the NIC has no such feature.

IFACE=$1
ACTION=$2

if [ "$ACTION" != "up" ] || [ -z "$IFACE" ]; then
  exit 0
fi

if ethtool -k "$IFACE" 2>/dev/null | grep -q '^esp-hw-offload: on'; then
  logger -t 99-esp-offload "Disabling esp-hw-offload and esp-tx-csum-hw-offload on $IFACE"
  ethtool -K "$IFACE" esp-hw-offload off esp-tx-csum-hw-offload off
fi
`;

export const waitForPrimaryIp = `#!/bin/bash
set -eux

# Block until the interface carrying the default route has a global address, so nodeip-configuration
# picks the right one.

for _ in {1..120}; do
  iface=$(ip -j route show default | jq -r '.[0].dev // empty')
  if [ -n "$iface" ] && ip -j addr show dev "$iface" scope global | jq -e '.[0].addr_info | length > 0' >/dev/null; then
    echo "Primary IP is ready on $iface"
    exit 0
  fi
  sleep 1
done
echo "Timed out waiting for a primary IP" >&2
exit 1
`;

export const kubensWrapper = `#!/bin/sh
# Run kubelet inside the kubens mount namespace when kubensenter is available.
if [ -x /usr/bin/kubensenter ]; then
  exec /usr/bin/kubensenter "$@"
else
  exec "$@"
fi
`;
