// A tiny cluster for fast tests: a master pool with one node, a worker pool with two nodes, a handful of
// MachineConfigs whose files are data URLs (percent-encoded and base64), including /etc/mco/proxy.env.
import type { MachineConfig, MachineConfigPool, Node } from '@/lib/mco/types';
import type { Scenario } from './types';

const MC_API = 'machineconfiguration.openshift.io/v1' as const;
const GENERATED = 'machineconfiguration.openshift.io/generated-by-controller-version';
const CONTROLLER_SHA = '9a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d';

function percent(text: string): string {
  return 'data:,' + encodeURIComponent(text);
}

function base64(text: string): string {
  return 'data:text/plain;charset=utf-8;base64,' + Buffer.from(text, 'utf8').toString('base64');
}

function file(path: string, source: string, mode = 420) {
  return { path, mode, overwrite: true, contents: { source } };
}

function mc(
  name: string,
  role: string,
  files: ReturnType<typeof file>[],
  extra: Partial<MachineConfig['spec']> = {},
  generated = false,
): MachineConfig {
  return {
    apiVersion: MC_API,
    kind: 'MachineConfig',
    metadata: {
      name,
      labels: { 'machineconfiguration.openshift.io/role': role },
      ...(generated ? { annotations: { [GENERATED]: CONTROLLER_SHA } } : {}),
    },
    spec: {
      config: { ignition: { version: '3.4.0' }, storage: { files } },
      osImageURL: '',
      baseOSExtensionsContainerImage: '',
      kernelArguments: [],
      extensions: [],
      fips: false,
      kernelType: '',
      ...extra,
    },
  };
}

function sshConfig(name: string, role: string): MachineConfig {
  const config = mc(name, role, []);
  config.spec!.config = {
    ignition: { version: '3.2.0' },
    passwd: {
      users: [
        { name: 'core', sshAuthorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPlumbSimulatedKeyOnly sim@plumb'] },
      ],
    },
  };
  return config;
}

function pool(name: string, extraLabels: Record<string, string> = {}): MachineConfigPool {
  return {
    apiVersion: MC_API,
    kind: 'MachineConfigPool',
    metadata: {
      name,
      labels: {
        'machineconfiguration.openshift.io/mco-built-in': '',
        [`pools.operator.machineconfiguration.openshift.io/${name}`]: '',
        ...extraLabels,
      },
    },
    spec: {
      machineConfigSelector: { matchLabels: { 'machineconfiguration.openshift.io/role': name } },
      nodeSelector: { matchLabels: { [`node-role.kubernetes.io/${name}`]: '' } },
      paused: false,
      maxUnavailable: 1,
    },
  };
}

function node(name: string, role: string, zone: string): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { [`node-role.kubernetes.io/${role}`]: '', 'topology.kubernetes.io/zone': zone },
    },
  };
}

const PROXY_ENV = 'HTTP_PROXY=\nHTTPS_PROXY=\nNO_PROXY=\n';
const CRIO = '[crio]\n[crio.runtime]\nselinux = true\nconmon = ""\n';
const KUBELET_ENV = 'KUBELET_LOG_LEVEL=2\n';

export function miniScenario(): Scenario {
  const base = (role: string) =>
    mc(
      `00-${role}`,
      role,
      [
        file('/etc/mco/proxy.env', percent(PROXY_ENV)),
        file('/etc/crio/crio.conf.d/00-default', base64(CRIO)),
        file('/etc/kubernetes/kubelet-log-level.env', percent(KUBELET_ENV)),
        file('/usr/local/bin/mco-hello.sh', percent('#!/bin/bash\necho hello\n'), 493),
      ],
      {},
      true,
    );
  return {
    version: '4.16.0',
    machineConfigs: [
      base('master'),
      base('worker'),
      sshConfig('99-worker-ssh', 'worker'),
      mc('99-worker-chrony', 'worker', [file('/etc/chrony.conf', percent('server time.example.com iburst\n'))]),
    ],
    pools: [pool('master', { 'operator.machineconfiguration.openshift.io/required-for-upgrade': '' }), pool('worker')],
    nodes: [
      node('mini-master-0', 'master', 'zone-a'),
      node('mini-worker-0', 'worker', 'zone-a'),
      node('mini-worker-1', 'worker', 'zone-b'),
    ],
  };
}
