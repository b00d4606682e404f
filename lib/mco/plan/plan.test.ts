// lib/mco/plan on the real cluster dumps and on small built clusters: touched pools, rendered names, refusals,
// disruption, rollout order and batches, paused pools, input errors, adopt.
import { describe, expect, it } from 'vitest';
import { FIXTURE_SETS, fixturesDir, loadDump } from '@/tests/fixtures';
import { defaultClusterPolicies } from '../disruption';
import { decodeFileContents } from '../ignition';
import { mergeMachineConfigs, renderedConfigName, selectMachineConfigs } from '../render';
import { dataUrl, file, ign, mc } from '../testing-helpers';
import type { MachineConfig, MachineConfigPool, Node } from '../types';
import { adoptFile, pathSlug, toDataUrl } from './adopt';
import { clusterVersionOf, planChange, PlanInputError, type PlanInput } from './plan';

const present = fixturesDir() !== null;

function workerFile(name: string, path: string, text: string, role = 'worker'): MachineConfig {
  return mc(
    name,
    role,
    ign({ storage: { files: [file(path, { mode: 420, overwrite: true, contents: { source: dataUrl(text) } })] } }),
  );
}

describe.skipIf(!present)('plans on the real cluster dumps', () => {
  it.each(FIXTURE_SETS)('%s: a worker-role change renders a new name for each pool that selects it', (set) => {
    const machineConfigs = loadDump(`${set}-mc.yaml`) as MachineConfig[];
    const pools = loadDump(`${set}-mcp.yaml`) as MachineConfigPool[];
    const nodes = loadDump(`${set}-node.yaml`) as Node[];
    const version = clusterVersionOf(machineConfigs, pools)!;
    expect(version).toMatch(/^4\.1[46]/);
    const change = { apply: [workerFile('99-worker-plan-test', '/etc/plan-test.conf', 'hello\n')], delete: [] };
    const plan = planChange({ version, machineConfigs, pools, nodes, change });
    const touched = pools.filter((p) => selectMachineConfigs(p, change.apply).length > 0).map((p) => p.metadata.name);
    expect(plan.pools.map((p) => p.pool)).toEqual(touched);
    expect(touched).toContain('worker');
    for (const p of plan.pools) {
      const pool = pools.find((x) => x.metadata.name === p.pool)!;
      expect(p.refused).toBeNull();
      expect(p.newConfig).toMatch(new RegExp(`^rendered-${p.pool}-[0-9a-f]{32}$`));
      expect(p.newConfig).not.toBe(p.currentConfig);
      // The name is the hash of exactly the render of the sources plus the new config.
      const merged = mergeMachineConfigs(selectMachineConfigs(pool, [...machineConfigs, ...change.apply]), {
        ocpVersion: version,
      });
      expect(p.newConfig).toBe(renderedConfigName(p.pool, merged.spec));
      expect(p.sources).toContain('99-worker-plan-test');
      // The 4.14 dumps carry MachineConfig metadata only: no diff against their current config.
      if (machineConfigs.find((m) => m.metadata.name === p.currentConfig)?.spec) {
        expect(p.changes!.files.map((f) => [f.path, f.change])).toEqual([['/etc/plan-test.conf', 'added']]);
      }
      // No policies on 4.14 / 4.16 without the gate: a new file reboots and drains.
      expect(p.reboot).toBe(true);
      expect(p.drain).toBe(true);
      expect(p.actions).toEqual([{ type: 'Reboot' }]);
      expect(p.rollout.paused).toBe(!!pool.spec.paused);
      if (pool.spec.paused) expect(p.rollout.batches).toEqual([]);
    }
  });

  it('re-planning a source unchanged gives the name the MCO computes for the current config (4.16.0-compact)', () => {
    const machineConfigs = loadDump('4.16.0-compact-mc.yaml') as MachineConfig[];
    const pools = loadDump('4.16.0-compact-mcp.yaml') as MachineConfigPool[];
    const nodes = loadDump('4.16.0-compact-node.yaml') as Node[];
    const source = machineConfigs.find((m) => m.metadata.name === '99-worker-ssh')!;
    const rendered = machineConfigs.find(
      (m) => m.metadata.name === pools.find((p) => p.metadata.name === 'worker')!.spec.configuration!.name,
    )!;
    const images = { baseOSExtensionsContainerImage: rendered.spec!.baseOSExtensionsContainerImage };
    const plan = planChange({
      version: clusterVersionOf(machineConfigs, pools)!,
      machineConfigs,
      pools,
      nodes,
      images,
      change: { apply: [source], delete: [] },
    });
    const worker = plan.pools.find((p) => p.pool === 'worker')!;
    // The dump's own name differs only by its redacted pull secret; this one was computed with Go from the dump
    // (lib/mco/fixtures.test.ts). Same contents, so no file differs.
    expect(worker.newConfig).toBe('rendered-worker-a029ff0f448c84de7ee7b1e0497b33d5');
    expect(worker.changes!.files).toEqual([]);
  });
});

// A small cluster built by hand: a base config rendered as the pool's current config, three workers in two zones.
function cluster(
  version: string,
  opts: { paused?: boolean; maxUnavailable?: number | string; policy?: boolean } = {},
): Omit<PlanInput, 'change'> {
  const base = workerFile('00-worker', '/etc/base.conf', 'base\n');
  const pool: MachineConfigPool = {
    apiVersion: 'machineconfiguration.openshift.io/v1',
    kind: 'MachineConfigPool',
    metadata: { name: 'worker' },
    spec: {
      machineConfigSelector: { matchLabels: { 'machineconfiguration.openshift.io/role': 'worker' } },
      nodeSelector: { matchLabels: { 'node-role.kubernetes.io/worker': '' } },
      paused: opts.paused ?? false,
      maxUnavailable: opts.maxUnavailable ?? 1,
    },
  } as MachineConfigPool;
  const merged = mergeMachineConfigs([base], { ocpVersion: version });
  const name = renderedConfigName('worker', merged.spec);
  const rendered: MachineConfig = {
    apiVersion: 'machineconfiguration.openshift.io/v1',
    kind: 'MachineConfig',
    metadata: {
      name,
      annotations: { 'machineconfiguration.openshift.io/release-image-version': version },
      ownerReferences: [{ kind: 'MachineConfigPool', name: 'worker' } as never],
    },
    spec: merged.spec,
  };
  pool.spec.configuration = { name };
  const node = (n: string, zone: string, created: string): Node =>
    ({
      metadata: {
        name: n,
        creationTimestamp: created,
        labels: { 'node-role.kubernetes.io/worker': '', 'topology.kubernetes.io/zone': zone },
        annotations: {
          'machineconfiguration.openshift.io/currentConfig': name,
          'machineconfiguration.openshift.io/desiredConfig': name,
          'machineconfiguration.openshift.io/state': 'Done',
        },
      },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    }) as Node;
  const machineConfiguration = opts.policy
    ? ({
        apiVersion: 'operator.openshift.io/v1',
        kind: 'MachineConfiguration',
        metadata: { name: 'cluster', generation: 1 },
        status: {
          observedGeneration: 1,
          nodeDisruptionPolicyStatus: { clusterPolicies: defaultClusterPolicies(version) },
        },
      } as PlanInput['machineConfiguration'])
    : null;
  return {
    version,
    machineConfigs: [base, rendered],
    pools: [pool],
    nodes: [
      node('w-c', 'b', '2024-01-01T00:00:00Z'),
      node('w-a', 'a', '2024-01-03T00:00:00Z'),
      node('w-b', 'a', '2024-01-02T00:00:00Z'),
    ],
    machineConfiguration,
  };
}

describe('planChange', () => {
  it('policy.json on 4.20: reload crio, no drain, no reboot; nodes by zone then age, one at a time', () => {
    const c = cluster('4.20.0', { policy: true });
    const plan = planChange({
      ...c,
      change: { apply: [workerFile('99-worker-policy', '/etc/containers/policy.json', '{}\n')], delete: [] },
    });
    const p = plan.pools[0];
    expect(p.actions).toEqual([{ type: 'Reload', serviceName: 'crio.service' }]);
    expect(p.drain).toBe(false);
    expect(p.reboot).toBe(false);
    expect(p.summary).toMatch(/crio\.service/);
    expect(p.items).toEqual([
      {
        kind: 'file',
        name: '/etc/containers/policy.json',
        change: 'added',
        action: expect.stringMatching(/Reload crio\.service/),
      },
    ]);
    expect(p.rollout.batches).toEqual([['w-b'], ['w-a'], ['w-c']]);
  });

  it('a file without policy reboots and drains; maxUnavailable 2 makes batches of two', () => {
    const c = cluster('4.20.0', { policy: true, maxUnavailable: 2 });
    const p = planChange({ ...c, change: { apply: [workerFile('99-worker-x', '/etc/x.conf', 'x\n')], delete: [] } })
      .pools[0];
    expect(p.actions).toEqual([{ type: 'Reboot' }]);
    expect(p.drain).toBe(true);
    expect(p.rollout.batches).toEqual([['w-b', 'w-a'], ['w-c']]);
  });

  it('an irreconcilable change is refused with the render controller message', () => {
    const c = cluster('4.20.0', { policy: true });
    const bad = mc('99-worker-disk', 'worker', ign({ storage: { disks: [{ device: '/dev/sdb', wipeTable: true }] } }));
    const p = planChange({ ...c, change: { apply: [bad], delete: [] } }).pools[0];
    expect(p.refused).toBe(
      `Failed to render configuration for pool worker: could not generate rendered MachineConfig: reconciliation failed between current config "${c.pools[0].spec.configuration!.name}" and base config "99-worker-disk": ignition disks section contains changes`,
    );
    expect(p.newConfig).toBeNull();
    expect(p.rollout.batches).toEqual([]);
  });

  it('a file with append is refused at render from 4.16, not before (the 4.14 daemon refuses it instead)', () => {
    const appended = () =>
      mc(
        '99-worker-append',
        'worker',
        ign({ storage: { files: [file('/etc/motd', { append: [{ source: dataUrl('more\n') }] })] } }),
      );
    for (const version of ['4.16.0', '4.18.0', '4.20.0']) {
      const c = cluster(version, { policy: true });
      const p = planChange({ ...c, change: { apply: [appended()], delete: [] } }).pools[0];
      expect(p.refused).toBe(
        `Failed to render configuration for pool worker: could not generate rendered MachineConfig: reconciliation failed between current config "${c.pools[0].spec.configuration!.name}" and base config "99-worker-append": ignition file /etc/motd includes append`,
      );
      expect(p.newConfig).toBeNull();
    }
    const old = cluster('4.14.0');
    expect(planChange({ ...old, change: { apply: [appended()], delete: [] } }).pools[0].refused).toBeNull();
  });

  it('invalid Ignition is refused with the MCO message', () => {
    const c = cluster('4.20.0');
    const bad = mc(
      '99-worker-bad',
      'worker',
      ign({ storage: { files: [file('etc/relative', { contents: { source: 'data:,x' } })] } }),
    );
    const p = planChange({ ...c, change: { apply: [bad], delete: [] } }).pools[0];
    expect(p.refused).toMatch(
      /^Failed to render configuration for pool worker: could not generate rendered MachineConfig: parsing Ignition config spec v3 failed with error: config is not valid\nReport: error at \$\.storage\.files\.0\.path: path not absolute/,
    );
  });

  it('a node Degraded by drift uses up maxUnavailable 1: the rollout is blocked (as getAllCandidateMachines)', () => {
    const c = cluster('4.20.0');
    c.nodes[1].metadata.annotations!['machineconfiguration.openshift.io/state'] = 'Degraded';
    const change = { apply: [workerFile('99-worker-x', '/etc/x.conf', 'x\n')], delete: [] };
    expect(planChange({ ...c, change }).pools[0].rollout.blockedBy).toEqual(['w-a']);
    c.pools[0].spec.maxUnavailable = 2;
    expect(planChange({ ...c, change }).pools[0].rollout).toMatchObject({
      blockedBy: [],
      batches: [['w-b'], ['w-a', 'w-c']],
    });
  });

  it('a paused pool renders but updates nobody', () => {
    const c = cluster('4.20.0', { paused: true });
    const p = planChange({ ...c, change: { apply: [workerFile('99-worker-x', '/etc/x.conf', 'x\n')], delete: [] } })
      .pools[0];
    expect(p.newConfig).toMatch(/^rendered-worker-/);
    expect(p.rollout.paused).toBe(true);
    expect(p.rollout.batches).toEqual([]);
  });

  it('deleting a source re-renders without it', () => {
    const c = cluster('4.20.0');
    const p = planChange({ ...c, change: { apply: [], delete: ['00-worker'] } }).pools[0];
    expect(p.refused).toMatch(
      /no MachineConfigs found matching selector machineconfiguration\.openshift\.io\/role=worker/,
    );
  });

  it('estimates from the last completed rollout', () => {
    const c = cluster('4.20.0');
    const ev = (reason: string, message: string, t: string) => ({
      reason,
      message,
      involvedKind: 'MachineConfigPool',
      involvedName: 'worker',
      firstTimestamp: t,
      lastTimestamp: t,
    });
    const events = [
      ev('Updating', 'Pool worker now targeting rendered-worker-old', '2024-05-01T10:00:00Z'),
      ev('Completed', 'Pool worker has completed update to rendered-worker-old', '2024-05-01T10:06:00Z'),
    ];
    const p = planChange({
      ...c,
      events,
      change: { apply: [workerFile('99-worker-x', '/etc/x.conf', 'x\n')], delete: [] },
    }).pools[0];
    expect(p.estimate).toEqual({ seconds: 360, basis: expect.stringContaining('rendered-worker-old') });
  });

  it('says what and where for input it cannot plan', () => {
    const c = cluster('4.20.0');
    const plan =
      (apply: unknown[], del: string[] = []) =>
      () =>
        planChange({ ...c, change: { apply: apply as MachineConfig[], delete: del } });
    expect(plan([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }])).toThrow(
      'apply[0]: kind "ConfigMap" is not MachineConfig',
    );
    expect(plan([workerFile('99-x', '/etc/x', 'x', 'nope')])).toThrow(
      /apply\[0\]\.metadata\.labels: machineconfiguration\.openshift\.io\/role=nope selects no MachineConfigPool \(pools: worker\)/,
    );
    expect(plan([workerFile('Bad_Name', '/etc/x', 'x')])).toThrow(PlanInputError);
    expect(plan([], ['missing'])).toThrow('delete[0]: MachineConfig "missing" not found');
  });

  it('plans a 4,500-node pool quickly', () => {
    const c = cluster('4.20.0', { policy: true, maxUnavailable: '10%' });
    const template = c.nodes[0];
    const nodes = Array.from({ length: 4500 }, (_, i) => ({
      ...template,
      metadata: {
        ...template.metadata,
        name: `w-${i}`,
        labels: { ...template.metadata.labels, 'topology.kubernetes.io/zone': `z${i % 3}` },
      },
    }));
    const t = performance.now();
    const p = planChange({
      ...c,
      nodes,
      change: { apply: [workerFile('99-worker-x', '/etc/x.conf', 'x\n')], delete: [] },
    }).pools[0];
    expect(performance.now() - t).toBeLessThan(1000);
    expect(p.rollout.batches.length).toBe(10);
    expect(p.rollout.batches[0][0]).toBe('w-0');
  });
});

describe('adoptFile', () => {
  const pool = cluster('4.20.0').pools[0];
  const bytes = new TextEncoder().encode('HTTP_PROXY=http://proxy:3128\n');
  it('builds 99-<pool>-<slug> with the role label and a data URL that decodes to the bytes', () => {
    const a = adoptFile({ pool, machineConfigs: [], path: '/etc/mco/proxy.env', contents: bytes, mode: 0o644 });
    expect(a.source).toBe('new');
    expect(a.machineConfig.metadata).toEqual({
      name: '99-worker-etc-mco-proxy-env',
      labels: { 'machineconfiguration.openshift.io/role': 'worker' },
    });
    const f = (a.machineConfig.spec!.config as any).storage.files[0];
    expect(f).toMatchObject({ path: '/etc/mco/proxy.env', mode: 420, overwrite: true });
    expect(decodeFileContents(f.contents.source)).toEqual(bytes);
  });
  it('changes the user MachineConfig that already declares the path', () => {
    const existing = workerFile('50-worker-proxy', '/etc/mco/proxy.env', 'old\n');
    const a = adoptFile({ pool, machineConfigs: [existing], path: '/etc/mco/proxy.env', contents: bytes, mode: 0o600 });
    expect(a.source).toBe('existing');
    expect(a.machineConfig.metadata.name).toBe('50-worker-proxy');
    expect((a.machineConfig.spec!.config as any).storage.files[0].mode).toBe(0o600);
  });
  it('encodes binary as base64', () => {
    const bin = new Uint8Array([0, 1, 2, 255, 254]);
    expect(toDataUrl(bin)).toMatch(/^data:;base64,/);
    expect(decodeFileContents(toDataUrl(bin))).toEqual(bin);
    expect(pathSlug('/etc/Foo_bar.d/x.conf')).toBe('etc-foo-bar-d-x-conf');
  });
});
