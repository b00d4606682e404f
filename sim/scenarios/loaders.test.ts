// Loading a cluster's content: scenario files (Scenario shape or a List), `oc get` dumps, the large generator,
// and the realistic Node shape.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { fixturesDir } from '@/tests/fixtures';
import { DumpError, dumpVersion, loadDumpDir } from './dump';
import { loadScenarioFile, parseScenario, ScenarioError } from './file';
import { largeScenario } from './large';
import { miniScenario } from './mini';
import { realisticNode } from './node-object';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'plumb-loaders-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('scenario files', () => {
  it('reads the Scenario shape from YAML and a List of objects from JSON', () => {
    const dir = tempDir();
    const mini = miniScenario();
    writeFileSync(
      join(dir, 's.yaml'),
      stringify({ ...mini, drift: [{ node: 'mini-worker-0', path: '/etc/mco/proxy.env', append: 'x\n' }] }),
    );
    const s = loadScenarioFile(join(dir, 's.yaml'));
    expect(s.nodes.map((n) => n.metadata.name)).toEqual(['mini-master-0', 'mini-worker-0', 'mini-worker-1']);
    expect(s.drift).toEqual([{ node: 'mini-worker-0', path: '/etc/mco/proxy.env', append: 'x\n' }]);
    expect(s.version).toBe('4.16.0');

    writeFileSync(
      join(dir, 'l.json'),
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [...mini.machineConfigs, ...mini.pools, ...mini.nodes] }),
    );
    const l = loadScenarioFile(join(dir, 'l.json'));
    expect([l.machineConfigs.length, l.pools.length, l.nodes.length]).toEqual([4, 2, 3]);
  });

  it('says what is wrong with a bad file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.yaml'), 'nodes: [\n');
    expect(() => loadScenarioFile(join(dir, 'bad.yaml'))).toThrow(/bad\.yaml: not valid YAML/);
    expect(() => parseScenario({ nodes: [{ metadata: {} }] }, 'x.yaml')).toThrow(
      new ScenarioError('x.yaml: nodes[0] has no metadata.name'),
    );
    expect(() =>
      parseScenario({ kind: 'List', items: [{ kind: 'Secret', metadata: { name: 's' } }] }, 'y.yaml'),
    ).toThrow(/unsupported object of kind "Secret"/);
    expect(() => parseScenario(null, 'empty.yaml')).toThrow(
      new ScenarioError('empty.yaml: no MachineConfigs, pools or nodes found'),
    );
    expect(() => parseScenario({ nodes: [], drift: [{ node: 'n', path: 'relative' }] }, 'z.yaml')).toThrow(
      /drift\[0\] needs node and an absolute path/,
    );
  });
});

describe('dumps', () => {
  const fixtures = fixturesDir();
  it.skipIf(!fixtures)('loads every MachineConfig, pool and node of the real dumps', () => {
    const dump = loadDumpDir(fixtures!);
    const count = (kind: string) => dump.objects.filter((o) => o.object.kind === kind).length;
    expect(
      dump.objects
        .filter((o) => o.object.kind === 'MachineConfigPool')
        .map((o) => o.object.metadata.name)
        .sort(),
    ).toEqual(['infra', 'master', 'worker']);
    expect(count('Node')).toBeGreaterThan(3);
    expect(dump.objects.every((o) => typeof o.object.metadata.name === 'string')).toBe(true);
    // The same pools appear in several sets: the first one wins and the rest are reported.
    expect(dump.skipped.some((s) => /appears twice/.test(s))).toBe(true);
    expect(dumpVersion(dump.objects)).toMatch(/^4\.\d+/);
  });

  it('refuses an empty folder and broken files clearly', () => {
    const dir = tempDir();
    expect(() => loadDumpDir(dir)).toThrow(new DumpError(`--from-dump ${dir}: no *.yaml, *.yml or *.json files found`));
    writeFileSync(join(dir, 'a.json'), '{');
    expect(() => loadDumpDir(dir)).toThrow(/a\.json: not valid JSON/);
    expect(() => loadDumpDir(join(dir, 'missing'))).toThrow(/--from-dump .*missing: ENOENT/);
  });
});

describe('generated clusters', () => {
  it('splits N nodes into 3 masters, workers and a tenth infra', () => {
    const s = largeScenario(5000);
    const role = (r: string) =>
      s.nodes.filter((n) => n.metadata.labels?.[`node-role.kubernetes.io/${r}`] !== undefined).length;
    expect([s.nodes.length, role('master'), role('infra'), role('worker')]).toEqual([5000, 3, 499, 4997]);
    expect(s.pools.map((p) => p.metadata.name)).toEqual(['master', 'worker', 'infra']);
    expect(new Set(s.nodes.map((n) => n.metadata.name)).size).toBe(5000);
    expect(largeScenario(1).nodes.length).toBe(1);
  });

  it('makes nodes look like a kubelet reports them', () => {
    const n = realisticNode(miniScenario().nodes[1], 1, '4.16.0', '2026-01-01T00:00:00Z') as any;
    expect(n.metadata.labels).toMatchObject({
      'kubernetes.io/hostname': 'mini-worker-0',
      'node-role.kubernetes.io/worker': '',
      'topology.kubernetes.io/zone': 'zone-a',
    });
    expect(n.status.conditions.map((c: any) => `${c.type}=${c.status}`)).toEqual([
      'MemoryPressure=False',
      'DiskPressure=False',
      'PIDPressure=False',
      'Ready=True',
    ]);
    expect(n.status.nodeInfo.kubeletVersion).toMatch(/^v1\.29\./);
    expect(n.status.nodeInfo.osImage).toMatch(/^Red Hat Enterprise Linux CoreOS 416\./);
    expect(n.status.addresses[0]).toEqual({ type: 'InternalIP', address: expect.stringMatching(/^10\.0\.\d+\.\d+$/) });
  });
});
