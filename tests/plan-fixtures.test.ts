// A plan and what then happens cannot disagree: for each real cluster dump, a simulator starts from the dump's source
// MachineConfigs, pools and nodes; lib/mco/plan plans a worker-role change on the objects the simulator serves; the
// change is applied; the name each pool's render controller then picks is the planned one.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterVersionOf, planChange } from '../lib/mco/plan';
import type { MachineConfig, MachineConfigPool, Node } from '../lib/mco/types';
import { FIXTURE_SETS, FIXTURES_MISSING, fixturesDir, loadDump } from './fixtures';
import { clients, MCO, rawGet, waitFor } from './sim-helpers';
import { startSim } from './sim-process';

const present = fixturesDir() !== null;

/** The dump as a scenario: source MachineConfigs (not rendered ones), pools without status, nodes by name and labels. */
function scenarioOf(set: string) {
  const mcs = (loadDump(`${set}-mc.yaml`) as MachineConfig[]).filter((m) => !m.metadata.name.startsWith('rendered-'));
  const pools = loadDump(`${set}-mcp.yaml`) as MachineConfigPool[];
  const nodes = loadDump(`${set}-node.yaml`) as Node[];
  const rendered = loadDump(`${set}-mc.yaml`) as MachineConfig[];
  const version = clusterVersionOf(rendered, pools)!;
  return {
    version,
    machineConfigs: mcs.map((m) => ({
      apiVersion: m.apiVersion,
      kind: m.kind,
      metadata: { name: m.metadata.name, labels: m.metadata.labels, annotations: m.metadata.annotations },
      spec: m.spec ?? {},
    })),
    pools: pools.map((p) => {
      const { configuration: _c, ...spec } = p.spec;
      return {
        apiVersion: p.apiVersion,
        kind: p.kind,
        metadata: { name: p.metadata.name, labels: p.metadata.labels },
        spec,
      };
    }),
    nodes: nodes.map((n) => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: n.metadata.name, labels: n.metadata.labels },
    })),
  };
}

describe.skipIf(!present)('plans on the real dumps match what the simulator renders', () => {
  it.each(FIXTURE_SETS)(
    '%s',
    async (set) => {
      const dir = mkdtempSync(join(tmpdir(), 'plumb-planfx-'));
      const file = join(dir, 'scenario.json');
      const scenario = scenarioOf(set);
      writeFileSync(file, JSON.stringify(scenario));
      const sim = await startSim(['--scenario', file, '--reboot-seconds', '0.2', '--drain-seconds', '0.1']);
      try {
        const kc = sim.kubeConfig();
        const c = clients(kc);
        // (The 4.14.1 multiple-pools dump has an infra pool that no MachineConfig selects: it stays RenderDegraded.)
        const rendersOrRefuses = (p: MachineConfigPool) =>
          !!p.spec.configuration?.name ||
          p.status?.conditions?.some((c) => c.type === 'RenderDegraded' && c.status === 'True');
        const pools = await waitFor(
          'every pool rendered or refused',
          async () => {
            const list = (await c.pools()) as MachineConfigPool[];
            return list.every(rendersOrRefuses) ? list : undefined;
          },
          30_000,
        );
        const machineConfigs = (await c.machineConfigs()) as MachineConfig[];
        const nodes = ((await rawGet(kc, '/api/v1/nodes')).items ?? []) as Node[];
        const change: MachineConfig = {
          apiVersion: 'machineconfiguration.openshift.io/v1',
          kind: 'MachineConfig',
          metadata: { name: '99-worker-plan-fixture', labels: { 'machineconfiguration.openshift.io/role': 'worker' } },
          spec: {
            config: {
              ignition: { version: '3.4.0' },
              storage: {
                files: [{ path: '/etc/plan-fixture.conf', mode: 420, contents: { source: 'data:,planned%0A' } }],
              },
            },
          },
        };
        const plan = planChange({
          version: scenario.version,
          machineConfigs,
          pools,
          nodes,
          change: { apply: [change], delete: [] },
        });
        expect(plan.pools.length).toBeGreaterThan(0);
        await c.custom.createClusterCustomObject({ ...MCO, plural: 'machineconfigs', body: change });
        for (const p of plan.pools) {
          expect(p.refused).toBeNull();
          expect(p.newConfig).not.toBe(p.currentConfig);
          const rendered = await waitFor(
            `pool ${p.pool} re-rendered`,
            async () => {
              const name = (await c.pool(p.pool)).spec.configuration?.name;
              return name && name !== p.currentConfig ? name : undefined;
            },
            30_000,
          );
          expect(rendered).toBe(p.newConfig);
        }
      } finally {
        await sim.stop({ removeData: true });
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});

describe.skipIf(present)('plans on the real dumps', () => {
  it.skip(FIXTURES_MISSING, () => {});
});
