// The demo cluster's pools and nodes: three control-plane nodes, three workers and two infra nodes spread over
// three availability zones of one AWS region, as a small production-like 4.16 cluster looks.
import type { MachineConfigPool, Node, NodeCondition } from '@/lib/mco/types';
import { ROLE_LABEL } from '@/lib/mco/types';

const POOL_API = 'machineconfiguration.openshift.io/v1' as const;

/** The built-in pools as the MCO's manifests create them, and an infra pool as the OpenShift docs describe it. */
export function demoPools(): MachineConfigPool[] {
  return [
    {
      apiVersion: POOL_API,
      kind: 'MachineConfigPool',
      metadata: {
        name: 'master',
        labels: {
          'machineconfiguration.openshift.io/mco-built-in': '',
          'operator.machineconfiguration.openshift.io/required-for-upgrade': '',
          'pools.operator.machineconfiguration.openshift.io/master': '',
        },
      },
      spec: {
        machineConfigSelector: { matchLabels: { [ROLE_LABEL]: 'master' } },
        nodeSelector: { matchLabels: { 'node-role.kubernetes.io/master': '' } },
        paused: false,
      },
    },
    {
      apiVersion: POOL_API,
      kind: 'MachineConfigPool',
      metadata: {
        name: 'worker',
        labels: {
          'machineconfiguration.openshift.io/mco-built-in': '',
          'pools.operator.machineconfiguration.openshift.io/worker': '',
        },
      },
      spec: {
        machineConfigSelector: { matchLabels: { [ROLE_LABEL]: 'worker' } },
        nodeSelector: { matchLabels: { 'node-role.kubernetes.io/worker': '' } },
        paused: false,
      },
    },
    {
      apiVersion: POOL_API,
      kind: 'MachineConfigPool',
      metadata: { name: 'infra', labels: { 'pools.operator.machineconfiguration.openshift.io/infra': '' } },
      spec: {
        machineConfigSelector: {
          matchExpressions: [{ key: ROLE_LABEL, operator: 'In', values: ['worker', 'infra'] }],
        },
        nodeSelector: { matchLabels: { 'node-role.kubernetes.io/infra': '' } },
        paused: false,
      },
    },
  ];
}

type Role = 'master' | 'worker' | 'infra';

interface NodeSpec {
  name: string;
  role: Role;
  zone: 'a' | 'b' | 'c';
  ip: string;
  instanceId: string;
  created: string;
  /** Stable per-node identity (machine id, system uuid, boot id are derived from it). */
  hex: string;
}

const REGION = 'us-east-2';

const NODES: NodeSpec[] = [
  {
    name: 'master-0',
    role: 'master',
    zone: 'a',
    ip: '10.0.17.24',
    instanceId: 'i-0a81c3f5e7d92b461',
    created: '2026-11-18T09:12:41Z',
    hex: '3f9a0c7d1e5b4a2c8d6e0f1a2b3c4d5e',
  },
  {
    name: 'master-1',
    role: 'master',
    zone: 'b',
    ip: '10.0.38.112',
    instanceId: 'i-04d2e6a8c0b13f572',
    created: '2026-11-18T09:12:44Z',
    hex: '8b1e4d7a2c9f3e6b0a5d8c1f4e7b2a9d',
  },
  {
    name: 'master-2',
    role: 'master',
    zone: 'c',
    ip: '10.0.53.7',
    instanceId: 'i-0e7f19b3d5a26c840',
    created: '2026-11-18T09:12:47Z',
    hex: 'c2d5f8a1b4e7c0d3f6a9b2e5c8d1f4a7',
  },
  {
    name: 'worker-0',
    role: 'worker',
    zone: 'a',
    ip: '10.0.21.86',
    instanceId: 'i-07b3d9f1a5c48e026',
    created: '2026-11-18T09:27:03Z',
    hex: '1a4d7b0e3c6f9a2d5b8e1c4f7a0d3b6e',
  },
  {
    name: 'worker-1',
    role: 'worker',
    zone: 'b',
    ip: '10.0.44.150',
    instanceId: 'i-0c5e1a7d3f9b24860',
    created: '2026-11-18T09:27:09Z',
    hex: '5e8b1d4a7c0f3e6a9d2c5b8f1e4a7d0c',
  },
  {
    name: 'worker-2',
    role: 'worker',
    zone: 'c',
    ip: '10.0.60.31',
    instanceId: 'i-09f2b8d4a6e13c751',
    created: '2026-11-18T09:27:15Z',
    hex: '9c2f5a8d1b4e7c0a3f6d9b2e5a8c1f4d',
  },
  {
    name: 'infra-0',
    role: 'infra',
    zone: 'a',
    ip: '10.0.25.198',
    instanceId: 'i-02a6c4e8f0b35d917',
    created: '2026-11-18T10:02:36Z',
    hex: 'd4a7c0f3e6b9d2a5c8f1b4e7a0d3c6f9',
  },
  {
    name: 'infra-1',
    role: 'infra',
    zone: 'b',
    ip: '10.0.41.67',
    instanceId: 'i-0d8e2f6b4a1c97350',
    created: '2026-11-18T10:02:41Z',
    hex: 'e6c9f2b5a8d1e4c7b0f3a6d9c2e5b8a1',
  },
];

const SIZES: Record<Role, { type: string; cpu: string; allocCpu: string; memory: string; allocMemory: string }> = {
  master: { type: 'm6i.xlarge', cpu: '4', allocCpu: '3500m', memory: '16100008Ki', allocMemory: '14949032Ki' },
  worker: { type: 'm6i.2xlarge', cpu: '8', allocCpu: '7500m', memory: '32475248Ki', allocMemory: '31324272Ki' },
  infra: { type: 'r6i.xlarge', cpu: '4', allocCpu: '3500m', memory: '32475252Ki', allocMemory: '31324276Ki' },
};

/** Node role labels: infra nodes keep the worker label too (their custom pool wins over the worker pool). */
function roleLabels(role: Role): Record<string, string> {
  if (role === 'master') return { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/master': '' };
  if (role === 'infra') return { 'node-role.kubernetes.io/infra': '', 'node-role.kubernetes.io/worker': '' };
  return { 'node-role.kubernetes.io/worker': '' };
}

function uuid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function conditions(since: string): NodeCondition[] {
  const heartbeat = '2026-11-22T04:00:00Z';
  const c = (type: string, status: string, reason: string, message: string): NodeCondition => ({
    lastHeartbeatTime: heartbeat,
    lastTransitionTime: since,
    message,
    reason,
    status,
    type,
  });
  return [
    c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

/** Ready a couple of minutes after the node registered. */
function readySince(created: string): string {
  const t = new Date(Date.parse(created) + 150_000);
  return t.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function buildNode(n: NodeSpec): Node {
  const zone = `${REGION}${n.zone}`;
  const size = SIZES[n.role];
  const dns = `ip-${n.ip.replaceAll('.', '-')}.${REGION}.compute.internal`;
  const taints =
    n.role === 'master'
      ? [{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/master' }]
      : n.role === 'infra'
        ? [{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/infra', value: 'reserved' }]
        : undefined;
  const capacity = {
    cpu: size.cpu,
    'ephemeral-storage': '125238252Ki',
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: size.memory,
    pods: '250',
  };
  const ready = readySince(n.created);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: n.name,
      creationTimestamp: n.created,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/instance-type': size.type,
        'beta.kubernetes.io/os': 'linux',
        'failure-domain.beta.kubernetes.io/region': REGION,
        'failure-domain.beta.kubernetes.io/zone': zone,
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': n.name,
        'kubernetes.io/os': 'linux',
        ...roleLabels(n.role),
        'node.kubernetes.io/instance-type': size.type,
        'node.openshift.io/os_id': 'rhcos',
        'topology.ebs.csi.aws.com/zone': zone,
        'topology.kubernetes.io/region': REGION,
        'topology.kubernetes.io/zone': zone,
      },
    },
    spec: { providerID: `aws:///${zone}/${n.instanceId}`, ...(taints ? { taints } : {}) },
    status: {
      addresses: [
        { address: n.ip, type: 'InternalIP' },
        { address: dns, type: 'InternalDNS' },
        { address: n.name, type: 'Hostname' },
      ],
      allocatable: { ...capacity, cpu: size.allocCpu, 'ephemeral-storage': '114345831029', memory: size.allocMemory },
      capacity,
      conditions: conditions(ready),
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: 'amd64',
        bootID: uuid(n.hex.split('').reverse().join('')),
        containerRuntimeVersion: 'cri-o://1.29.5-5.rhaos4.16.git7032128.el9',
        kernelVersion: '5.14.0-427.22.1.el9_4.x86_64',
        kubeProxyVersion: 'v1.29.5+29c95f3',
        kubeletVersion: 'v1.29.5+29c95f3',
        machineID: n.hex,
        operatingSystem: 'linux',
        osImage: 'Red Hat Enterprise Linux CoreOS 416.94.202406251923-0',
        systemUUID: uuid(n.hex),
      },
    },
  };
}

export function demoNodes(): Node[] {
  return NODES.map(buildNode);
}
