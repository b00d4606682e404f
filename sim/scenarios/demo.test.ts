// The demo cluster's content: valid MachineConfigs whose files all decode, pools that render to realistic
// configs with the overrides the demo is meant to show, and nodes that land in exactly one pool each.
import { describe, expect, it } from 'vitest';
import {
  attributeSources,
  bytesToText,
  decodeFileContents,
  managedPaths,
  mergeMachineConfigs,
  parseIgnition,
  parseMachineConfig,
  poolMembership,
  selectMachineConfigs,
} from '@/lib/mco';
import type { IgnitionConfig, MachineConfig, MachineConfigPool } from '@/lib/mco';
import { fixturesDir, FIXTURES_MISSING, loadDump } from '@/tests/fixtures';
import { DEMO_DRIFT, DEMO_SHARED_DRIFT, demoScenario } from './demo';
import { PROXY_ENV_TEXT } from './demo-content/template-files';
import { INOTIFY_INFRA_TEXT, INOTIFY_WORKER_TEXT } from './demo-content/user-configs';

const scenario = demoScenario();
const text = (bytes: Uint8Array | null) => (bytes === null ? null : new TextDecoder().decode(bytes));
const pool = (name: string): MachineConfigPool => scenario.pools.find((p) => p.metadata.name === name)!;
const configOf = (mc: MachineConfig) => mc.spec?.config as unknown as IgnitionConfig;

function render(poolName: string) {
  const selected = selectMachineConfigs(pool(poolName), scenario.machineConfigs);
  const merged = mergeMachineConfigs(selected);
  const config = parseIgnition(merged.spec.config);
  return { selected, merged, config, paths: managedPaths(config), attribution: attributeSources(selected) };
}

describe('demo MachineConfigs', () => {
  it('are all valid MachineConfigs with a role label, and the names a 4.16 cluster has', () => {
    for (const mc of scenario.machineConfigs) {
      expect(() => parseMachineConfig(mc), mc.metadata.name).not.toThrow();
      expect(mc.metadata.labels?.['machineconfiguration.openshift.io/role'], mc.metadata.name).toMatch(
        /^(master|worker|infra)$/,
      );
    }
    const names = scenario.machineConfigs.map((m) => m.metadata.name);
    for (const role of ['master', 'worker']) {
      for (const suffix of ['', '-container-runtime', '-kubelet'])
        expect(names).toContain(`${suffix ? '01' : '00'}-${role}${suffix}`);
      for (const n of ['97-%-generated-kubelet', '98-%-generated-kubelet', '99-%-generated-registries', '99-%-ssh']) {
        expect(names).toContain(n.replace('%', role));
      }
    }
    expect(names).toEqual(expect.arrayContaining(['99-worker-crun-runtime', '99-worker-kargs', '99-infra-sysctl']));
  });

  it('carry the controller annotation and owner only where the MCO sets them', () => {
    const gen = 'machineconfiguration.openshift.io/generated-by-controller-version';
    for (const mc of scenario.machineConfigs) {
      const generated = /^(00-|01-|97-|98-|99-\w+-generated-)/.test(mc.metadata.name);
      expect(Boolean(mc.metadata.annotations?.[gen]), mc.metadata.name).toBe(generated);
    }
    const byName = new Map(scenario.machineConfigs.map((m) => [m.metadata.name, m]));
    expect(byName.get('00-worker')!.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'ControllerConfig',
      name: 'machine-config-controller',
      controller: true,
    });
    expect(byName.get('99-worker-generated-registries')!.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'Image',
      name: 'cluster',
    });
    expect(configOf(byName.get('99-worker-ssh')!).ignition.version).toBe('3.2.0');
    expect(configOf(byName.get('00-master')!).ignition.version).toBe('3.4.0');
  });

  it('have file contents that all decode to text, in the data URL styles a real cluster uses', () => {
    const styles = new Set<string>();
    let count = 0;
    for (const mc of scenario.machineConfigs) {
      for (const f of configOf(mc).storage?.files ?? []) {
        const source = f.contents?.source ?? '';
        const bytes = decodeFileContents(source, f.contents?.compression);
        expect(bytesToText(bytes), `${mc.metadata.name} ${f.path}`).not.toBeNull();
        if (source.startsWith('data:,')) {
          // Only encodeURIComponent's unreserved characters stay unescaped, as in the MCO's own output.
          expect(source.slice(6), f.path).toMatch(/^(?:[A-Za-z0-9\-_.!~*'()]|%[0-9A-F]{2})*$/);
          styles.add('percent');
        } else if (f.contents?.compression === 'gzip') {
          styles.add('gzip');
        } else {
          expect(source, f.path).toMatch(/^data:text\/plain;charset=utf-8;base64,/);
          styles.add('base64');
        }
        count++;
      }
    }
    expect([...styles].sort()).toEqual(['base64', 'gzip', 'percent']);
    expect(count).toBeGreaterThan(70);
  });

  it('write /etc/mco/proxy.env as the six-line comment the MCO writes', () => {
    const worker = scenario.machineConfigs.find((m) => m.metadata.name === '00-worker')!;
    const file = configOf(worker).storage!.files!.find((f) => f.path === '/etc/mco/proxy.env')!;
    const decoded = text(decodeFileContents(file.contents?.source, file.contents?.compression))!;
    expect(decoded).toBe(PROXY_ENV_TEXT);
    expect(decoded.split('\n')).toHaveLength(7); // six lines, each ending in a newline
    expect(decoded.startsWith('# Proxy environment variables will be populated in this file.')).toBe(true);
    expect(file.mode).toBe(420);
  });

  it.skipIf(!fixturesDir())('encodes proxy.env byte for byte as the real 4.16 cluster does', () => {
    if (!fixturesDir()) throw new Error(FIXTURES_MISSING);
    const real = loadDump('4.16.0-compact-mc.yaml').find((m) => m.metadata.name === '00-worker');
    const realFile = real.spec.config.storage.files.find((f: { path: string }) => f.path === '/etc/mco/proxy.env');
    const ours = configOf(scenario.machineConfigs.find((m) => m.metadata.name === '00-worker')!).storage!.files!.find(
      (f) => f.path === '/etc/mco/proxy.env',
    )!;
    expect(ours.contents?.source).toBe(realFile.contents.source);
  });

  it('is the same on every call, and every call returns a fresh copy', () => {
    const again = demoScenario();
    expect(again).toEqual(scenario); // gzip without a timestamp: stable bytes, so stable rendered names
    again.machineConfigs[0].metadata.labels!.extra = 'x';
    expect(scenario.machineConfigs[0].metadata.labels!.extra).toBeUndefined();
  });
});

describe('demo pools render', () => {
  it('selects the expected configs per pool (infra takes worker and infra configs)', () => {
    const names = (p: string) => selectMachineConfigs(pool(p), scenario.machineConfigs).map((m) => m.metadata.name);
    expect(names('master').every((n) => n.includes('-master'))).toBe(true);
    expect(names('master')).toHaveLength(7);
    expect(names('worker')).toHaveLength(10);
    expect(names('infra')).toEqual(expect.arrayContaining([...names('worker'), '99-infra-sysctl']));
    expect(names('infra')).toHaveLength(11);
  });

  it('gives every pool 30 to 45 files and the units a real node has', () => {
    for (const p of ['master', 'worker', 'infra']) {
      const { config, paths } = render(p);
      const files = config.storage?.files ?? [];
      expect(files.length, p).toBeGreaterThanOrEqual(30);
      expect(files.length, p).toBeLessThanOrEqual(45);
      expect(new Set(files.map((f) => f.path)).size).toBe(files.length);
      const units = config.systemd?.units ?? [];
      const kubelet = units.find((u) => u.name === 'kubelet.service')!;
      expect(kubelet.enabled).toBe(true);
      expect(kubelet.contents).toContain('/usr/bin/kubelet');
      expect(kubelet.dropins?.map((d) => d.name)).toContain('01-kubens.conf');
      expect(units.find((u) => u.name === 'crio.service')!.contents ?? '').toBe('');
      expect(units.find((u) => u.name === 'zincati.service')!.dropins).toEqual([
        { contents: '[Unit]\nConditionPathExists=/enoent\n', name: 'mco-disabled.conf' },
      ]);
      expect(units.some((u) => u.mask === true)).toBe(true);
      expect(units.some((u) => u.enabled === false)).toBe(true);
      // Every managed path decodes (no decode errors reach the drift report).
      expect(paths.filter((m) => m.decodeError)).toEqual([]);
      expect(paths.find((m) => m.path === '/etc/containers/storage.conf')?.contents).not.toBeNull();
    }
  });

  it('shows the overrides the demo is built around', () => {
    const worker = render('worker');
    expect(worker.attribution['/etc/kubernetes/kubelet.conf']).toMatchObject({
      contentsFrom: '98-worker-generated-kubelet',
      declaredBy: ['01-worker-kubelet', '97-worker-generated-kubelet', '98-worker-generated-kubelet'],
    });
    expect(worker.attribution['/etc/containers/registries.conf'].contentsFrom).toBe('99-worker-generated-registries');
    // The administrator's inotify config wins the contents; with no mode of its own, 00-worker keeps the mode.
    expect(worker.attribution['/etc/sysctl.d/inotify.conf']).toMatchObject({
      contentsFrom: '99-worker-sysctl-inotify',
      modeFrom: '00-worker',
      overridden: ['00-worker'],
    });
    const inotify = worker.paths.find((m) => m.path === '/etc/sysctl.d/inotify.conf')!;
    expect(text(inotify.contents)).toBe(INOTIFY_WORKER_TEXT);
    expect(inotify.mode).toBe(0o644);
    const crun = worker.paths.find((m) => m.path === '/etc/crio/crio.conf.d/99-crun-runtime')!;
    expect(text(crun.contents)).toContain('default_runtime = "crun"');
    expect(worker.attribution['/etc/crio/crio.conf.d/99-crun-runtime'].contentsFrom).toBe('99-worker-crun-runtime');

    // infra: its config sorts before 99-worker-* by name, but worker-role configs merge first, so infra wins.
    const infra = render('infra');
    expect(infra.attribution['/etc/sysctl.d/inotify.conf'].contentsFrom).toBe('99-infra-sysctl');
    expect(text(infra.paths.find((m) => m.path === '/etc/sysctl.d/inotify.conf')!.contents)).toBe(INOTIFY_INFRA_TEXT);
    expect(infra.attribution['/etc/sysctl.d/99-infra-router.conf'].declaredBy).toEqual(['99-infra-sysctl']);
    expect(worker.attribution['/etc/sysctl.d/99-infra-router.conf']).toBeUndefined();
  });

  it('concatenates kernel arguments: cgroup v2 everywhere, the audit arguments on workers and infra only', () => {
    const cgroup = ['systemd.unified_cgroup_hierarchy=1', 'cgroup_no_v1="all"', 'psi=1'];
    expect(render('master').merged.spec.kernelArguments).toEqual(cgroup);
    expect(render('worker').merged.spec.kernelArguments).toEqual([...cgroup, 'audit=1', 'audit_backlog_limit=8192']);
    expect(render('infra').merged.spec.kernelArguments).toEqual([...cgroup, 'audit=1', 'audit_backlog_limit=8192']);
  });
});

describe('demo nodes', () => {
  it('each belong to exactly one pool: 3 masters, 3 workers, 2 infra', () => {
    const { byPool, errors } = poolMembership(scenario.pools, scenario.nodes);
    expect(errors).toEqual([]);
    const names = (p: string) => byPool[p].map((n) => n.metadata.name);
    expect(names('master')).toEqual(['master-0', 'master-1', 'master-2']);
    expect(names('worker')).toEqual(['worker-0', 'worker-1', 'worker-2']);
    expect(names('infra')).toEqual(['infra-0', 'infra-1']);
    const placed = Object.values(byPool)
      .flat()
      .map((n) => n.metadata.name);
    expect(new Set(placed).size).toBe(scenario.nodes.length);
  });

  it('look like real 4.16 nodes, spread over three zones, with no MCO annotations yet', () => {
    const zones = new Set<string>();
    for (const node of scenario.nodes) {
      const labels = node.metadata.labels!;
      expect(labels['kubernetes.io/hostname']).toBe(node.metadata.name);
      expect(labels['node.openshift.io/os_id']).toBe('rhcos');
      expect(labels['kubernetes.io/os']).toBe('linux');
      zones.add(labels['topology.kubernetes.io/zone']);
      expect(node.status?.nodeInfo?.kubeletVersion).toMatch(/^v1\.29\./);
      expect(node.status?.nodeInfo?.osImage).toMatch(/^Red Hat Enterprise Linux CoreOS 416\.94\./);
      expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
      expect(node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address).toMatch(/^10\.0\./);
      expect(
        Object.keys(node.metadata.annotations ?? {}).filter((k) => k.startsWith('machineconfiguration.openshift.io/')),
      ).toEqual([]);
    }
    expect(zones.size).toBe(3);
  });

  it('starts with worker-1 drifted on proxy.env, a file its pool manages', () => {
    expect(scenario.version).toBe('4.20.0');
    expect(scenario.drift).toEqual([DEMO_DRIFT]);
    expect(scenario.nodes.map((n) => n.metadata.name)).toContain(DEMO_DRIFT.node);
    expect(render('worker').paths.map((m) => m.path)).toContain(DEMO_DRIFT.path);
  });
});

describe('demo-pool-drift', () => {
  it('keeps the seed drift on worker-1 and adds one hand edit shared by two other workers on a file their config manages', () => {
    expect(demoScenario().drift).toEqual([DEMO_DRIFT]);
    const s = demoScenario({ sharedDrift: true });
    expect(s.drift![0]).toEqual(DEMO_DRIFT);
    expect(s.drift!.slice(1)).toEqual(
      DEMO_SHARED_DRIFT.nodes.map((node) => ({ node, path: DEMO_SHARED_DRIFT.path, append: DEMO_SHARED_DRIFT.append })),
    );
    const workers = s.nodes
      .filter(
        (n) =>
          'node-role.kubernetes.io/worker' in (n.metadata.labels ?? {}) &&
          !('node-role.kubernetes.io/infra' in (n.metadata.labels ?? {})),
      )
      .map((n) => n.metadata.name);
    expect(workers).toEqual(expect.arrayContaining([...DEMO_SHARED_DRIFT.nodes, DEMO_DRIFT.node]));
    const managed = s.machineConfigs.some(
      (mc) =>
        mc.metadata.labels?.['machineconfiguration.openshift.io/role'] === 'worker' &&
        JSON.stringify(mc.spec?.config ?? {}).includes(DEMO_SHARED_DRIFT.path),
    );
    expect(managed).toBe(true);
  });
});
