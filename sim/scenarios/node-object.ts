// Turn a scenario's bare Node (a name and role labels) into one that looks like a real OpenShift node: the
// standard labels, addresses, kubelet conditions and nodeInfo a kubelet reports.
import type { Node } from '@/lib/mco/types';
import type { KubeObject } from '../types';

const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

/** RHCOS build and kubelet version by OpenShift minor (what `oc get nodes -o wide` shows). */
function osFor(version: string): { osImage: string; kubelet: string; kernel: string; crio: string } {
  const minor = Number(/^4\.(\d+)/.exec(version)?.[1] ?? 16);
  const kube = minor - 16 + 29; // 4.16 ↔ Kubernetes 1.29
  return {
    osImage: `Red Hat Enterprise Linux CoreOS 4${minor}.94.202406251923-0`,
    kubelet: `v1.${kube}.6+aba1e8d`,
    kernel: minor >= 16 ? '5.14.0-427.22.1.el9_4.x86_64' : '5.14.0-284.40.1.el9_2.x86_64',
    crio: `cri-o://1.${kube}.6-3.rhaos4.${minor}.git4d9fa5a.el9`,
  };
}

/** The Kubernetes version an OpenShift release ships (4.16 ↔ 1.29), for /version. */
export function kubernetesVersion(version: string): { major: string; minor: string; gitVersion: string } {
  const minor = Number(/^4\.(\d+)/.exec(version)?.[1] ?? 16) + 13;
  return { major: '1', minor: String(minor), gitVersion: osFor(version).kubelet };
}

function hex(seed: string, len: number): string {
  let h = 2166136261;
  let out = '';
  while (out.length < len) {
    for (const ch of seed + out.length) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, len);
}

export function nodeIP(index: number): string {
  return `10.0.${Math.floor(index / 250) % 250}.${(index % 250) + 4}`;
}

export function realisticNode(input: Node, index: number, version: string, now: string): KubeObject {
  const name = input.metadata.name;
  const os = osFor(version);
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'node.openshift.io/os_id': 'rhcos',
    'topology.kubernetes.io/region': 'us-east-1',
    'topology.kubernetes.io/zone': ZONES[index % ZONES.length],
    ...(input.metadata.labels ?? {}),
  };
  if (labels['topology.kubernetes.io/zone'] && !labels['failure-domain.beta.kubernetes.io/zone']) {
    labels['failure-domain.beta.kubernetes.io/zone'] = labels['topology.kubernetes.io/zone'];
  }
  const condition = (type: string, status: string, reason: string, message: string) => ({
    lastHeartbeatTime: now,
    lastTransitionTime: now,
    message,
    reason,
    status,
    type,
  });
  const id = hex(name, 32);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      ...input.metadata,
      labels,
      annotations: {
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
        ...(input.metadata.annotations ?? {}),
      },
    },
    spec: {
      providerID: `aws:///${labels['topology.kubernetes.io/zone']}/i-0${hex(name + 'i', 16)}`,
      ...(input.spec ?? {}),
    },
    status: {
      addresses: [
        { address: nodeIP(index), type: 'InternalIP' },
        { address: name, type: 'Hostname' },
        { address: name, type: 'InternalDNS' },
      ],
      allocatable: {
        cpu: '3500m',
        'ephemeral-storage': '115470533646',
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: '15221696Ki',
        pods: '250',
      },
      capacity: {
        cpu: '4',
        'ephemeral-storage': '125293548Ki',
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: '16372672Ki',
        pods: '250',
      },
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: 'amd64',
        bootID: `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`,
        containerRuntimeVersion: os.crio,
        kernelVersion: os.kernel,
        kubeProxyVersion: os.kubelet,
        kubeletVersion: os.kubelet,
        machineID: hex(name + 'm', 32),
        operatingSystem: 'linux',
        osImage: os.osImage,
        systemUUID: `ec2${hex(name + 'u', 5)}-${hex(name + 'v', 4)}-${hex(name + 'w', 4)}-${hex(name + 'x', 4)}-${hex(name + 'y', 12)}`,
      },
      ...(input.status ?? {}),
    },
  };
}
