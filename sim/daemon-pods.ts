// The machine-config-daemon DaemonSet's pods: one per node in openshift-machine-config-operator, shaped like the
// real ones (SIM-API 7) so that consoles find them by label and field selector and exec into them.
import { randomBytes } from 'node:crypto';
import { DAEMON_CONTAINER, DAEMON_LABEL, HOST_ROOT, MCO_NAMESPACE } from '@/lib/mco/constants';
import type { KubeObject, Store } from './types';

const DAEMONSET_UID = '5f1d7c2e-7a3b-4c1e-9d2f-3b8a6c4e1f70';
const REVISION = '6c7d9c7f8b';

/** Kubernetes' random name suffix alphabet (no vowels, no look-alikes). */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function suffix(): string {
  const bytes = randomBytes(5);
  return [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('');
}

function nodeAddress(node: KubeObject): string {
  const addrs = ((node.status as { addresses?: unknown } | undefined)?.addresses ?? []) as {
    type: string;
    address: string;
  }[];
  return addrs.find((a) => a.type === 'InternalIP')?.address ?? '10.0.0.1';
}

export function daemonPod(node: KubeObject, version: string, now: string): KubeObject {
  const ip = nodeAddress(node);
  const image =
    'quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:4e3f0c2d7a1b9e8f6c5d4b3a2918e7f6d5c4b3a29180f7e6d5c4b3a291807f6e';
  const proxyImage =
    'quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:1a9b8c7d6e5f40312a9b8c7d6e5f40312a9b8c7d6e5f40312a9b8c7d6e5f4031';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `machine-config-daemon-${suffix()}`,
      namespace: MCO_NAMESPACE,
      generateName: 'machine-config-daemon-',
      labels: { ...DAEMON_LABEL, 'controller-revision-hash': REVISION, 'pod-template-generation': '1' },
      annotations: {
        'openshift.io/required-scc': 'privileged',
        'openshift.io/scc': 'privileged',
        'target.workload.openshift.io/management': '{"effect": "PreferredDuringScheduling"}',
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'DaemonSet',
          name: 'machine-config-daemon',
          uid: DAEMONSET_UID,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      nodeName: node.metadata.name,
      hostNetwork: true,
      hostPID: true,
      serviceAccountName: 'machine-config-daemon',
      priorityClassName: 'system-node-critical',
      terminationGracePeriodSeconds: 600,
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: [{ operator: 'Exists' }],
      containers: [
        {
          name: DAEMON_CONTAINER,
          image,
          command: ['/usr/bin/machine-config-daemon'],
          args: ['start', `--payload-version=${version}`],
          env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }],
          securityContext: { privileged: true, readOnlyRootFilesystem: false },
          volumeMounts: [{ mountPath: HOST_ROOT, mountPropagation: 'HostToContainer', name: 'rootfs' }],
          resources: { requests: { cpu: '20m', memory: '50Mi' } },
        },
        {
          name: 'kube-rbac-proxy',
          image: proxyImage,
          args: [
            '--secure-listen-address=0.0.0.0:9001',
            '--upstream=http://127.0.0.1:8797/',
            '--config-file=/etc/kube-rbac-proxy/config-file.yaml',
          ],
          ports: [{ containerPort: 9001, hostPort: 9001, name: 'metrics', protocol: 'TCP' }],
          resources: { requests: { cpu: '20m', memory: '50Mi' } },
          volumeMounts: [
            { mountPath: '/etc/tls/private', name: 'proxy-tls' },
            { mountPath: '/etc/kube-rbac-proxy', name: 'mcd-auth-proxy-config' },
          ],
        },
      ],
      volumes: [
        { name: 'rootfs', hostPath: { path: '/', type: '' } },
        { name: 'proxy-tls', secret: { defaultMode: 420, secretName: 'proxy-tls' } },
        { name: 'mcd-auth-proxy-config', configMap: { defaultMode: 420, name: 'kube-rbac-proxy' } },
      ],
    },
    status: {
      phase: 'Running',
      hostIP: ip,
      hostIPs: [{ ip }],
      podIP: ip,
      podIPs: [{ ip }],
      qosClass: 'Burstable',
      startTime: now,
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(
        (type) => ({
          type,
          status: 'True',
          lastProbeTime: null,
          lastTransitionTime: now,
        }),
      ),
      containerStatuses: [
        {
          name: 'kube-rbac-proxy',
          image: proxyImage,
          imageID: proxyImage,
          ready: true,
          restartCount: 0,
          started: true,
          state: { running: { startedAt: now } },
        },
        {
          name: DAEMON_CONTAINER,
          image,
          imageID: image,
          ready: true,
          restartCount: 0,
          started: true,
          state: { running: { startedAt: now } },
        },
      ],
    },
  };
}

/** Make sure every node has exactly one daemon pod and no pod is left for a node that is gone. Returns node → pod. */
export function ensureDaemonPods(store: Store, version: string, now: string): Map<string, string> {
  const nodes = new Set(store.list('nodes').map((n) => n.metadata.name));
  const byNode = new Map<string, string>();
  for (const pod of store.list('pods', MCO_NAMESPACE)) {
    if (pod.metadata.labels?.['k8s-app'] !== DAEMON_LABEL['k8s-app']) continue;
    const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName as string | undefined;
    if (!nodeName || !nodes.has(nodeName) || byNode.has(nodeName)) {
      store.delete('pods', pod.metadata.name, MCO_NAMESPACE);
      continue;
    }
    byNode.set(nodeName, pod.metadata.name);
  }
  for (const node of store.list('nodes')) {
    if (!byNode.has(node.metadata.name)) byNode.set(node.metadata.name, createDaemonPod(store, node, version, now));
  }
  return byNode;
}

export function createDaemonPod(store: Store, node: KubeObject, version: string, now: string): string {
  for (;;) {
    try {
      return store.create('pods', daemonPod(node, version, now)).metadata.name;
    } catch (err) {
      if ((err as { reason?: string }).reason !== 'AlreadyExists') throw err;
    }
  }
}
