// `--nodes N`: a large cluster for benchmarks. 3 masters, and N-3 nodes split between a worker pool and an infra
// pool (a tenth, at least one when N > 4), with the small mini configs so that thousands of nodes stay light.
import type { MachineConfig, MachineConfigPool, Node } from '@/lib/mco/types';
import { miniScenario } from './mini';
import type { Scenario } from './types';

const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

function node(name: string, roles: string[], index: number): Node {
  const labels: Record<string, string> = { 'topology.kubernetes.io/zone': ZONES[index % ZONES.length] };
  for (const r of roles) labels[`node-role.kubernetes.io/${r}`] = '';
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels } };
}

export function largeScenario(total: number): Scenario {
  if (!Number.isInteger(total) || total < 1) throw new Error(`--nodes must be a positive integer (got ${total})`);
  const base = miniScenario();
  const masters = Math.min(3, total);
  const rest = total - masters;
  const infra = rest >= 2 ? Math.max(1, Math.floor(rest / 10)) : 0;
  const workers = rest - infra;
  const pad = (i: number) => String(i).padStart(String(total).length, '0');

  const nodes: Node[] = [];
  for (let i = 0; i < masters; i++) nodes.push(node(`master-${i}`, ['master'], i));
  for (let i = 0; i < workers; i++) nodes.push(node(`worker-${pad(i)}`, ['worker'], i));
  for (let i = 0; i < infra; i++) nodes.push(node(`infra-${pad(i)}`, ['worker', 'infra'], i));

  const pools: MachineConfigPool[] = base.pools.map((p) =>
    p.metadata.name === 'worker' ? { ...p, spec: { ...p.spec, maxUnavailable: '10%' } } : p,
  );
  const machineConfigs: MachineConfig[] = [...base.machineConfigs];
  if (infra > 0) {
    pools.push({
      apiVersion: 'machineconfiguration.openshift.io/v1',
      kind: 'MachineConfigPool',
      metadata: { name: 'infra' },
      spec: {
        machineConfigSelector: {
          matchExpressions: [
            { key: 'machineconfiguration.openshift.io/role', operator: 'In', values: ['worker', 'infra'] },
          ],
        },
        nodeSelector: { matchLabels: { 'node-role.kubernetes.io/infra': '' } },
        paused: false,
        maxUnavailable: 1,
      },
    });
    machineConfigs.push({
      apiVersion: 'machineconfiguration.openshift.io/v1',
      kind: 'MachineConfig',
      metadata: { name: '99-infra-sysctl', labels: { 'machineconfiguration.openshift.io/role': 'infra' } },
      spec: {
        config: {
          ignition: { version: '3.4.0' },
          storage: {
            files: [
              {
                path: '/etc/sysctl.d/99-infra.conf',
                mode: 420,
                overwrite: true,
                contents: { source: 'data:,net.core.somaxconn%20%3D%204096%0A' },
              },
            ],
          },
        },
      },
    });
  }
  return { version: base.version, machineConfigs, pools, nodes };
}
