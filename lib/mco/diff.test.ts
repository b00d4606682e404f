import { describe, expect, it } from 'vitest';
import { fixturesDir, FIXTURES_MISSING, loadDump } from '@/tests/fixtures';
import { diffStats } from '@/lib/diff';
import { diffConfigs, listDiff } from './diff';
import { McoError, type IgnitionFile, type IgnitionUnit, type MachineConfig, type MachineConfigSpec } from './types';

if (!fixturesDir()) console.warn(FIXTURES_MISSING);

const dataUrl = (text: string) => 'data:,' + encodeURIComponent(text);
const b64Url = (bytes: number[]) => 'data:;base64,' + btoa(String.fromCharCode(...bytes));

function mc(
  name: string,
  files: IgnitionFile[],
  units: IgnitionUnit[] = [],
  spec: Partial<MachineConfigSpec> = {},
): MachineConfig {
  return {
    apiVersion: 'machineconfiguration.openshift.io/v1',
    kind: 'MachineConfig',
    metadata: { name },
    spec: {
      config: { ignition: { version: '3.4.0' }, storage: { files }, systemd: { units } },
      osImageURL: 'quay.io/os@sha256:aaa',
      kernelArguments: [],
      extensions: [],
      fips: false,
      kernelType: 'default',
      ...spec,
    },
  };
}
const f = (path: string, text: string, mode = 420): IgnitionFile => ({
  path,
  mode,
  contents: { source: dataUrl(text) },
});

describe('diffConfigs on small configs', () => {
  const a = mc(
    'rendered-worker-a',
    [
      f('/etc/same.conf', 'x\n'),
      f('/etc/changed.conf', 'one\ntwo\nthree\n'),
      f('/etc/mode-only.sh', '#!/bin/sh\n', 420),
      f('/etc/gone.conf', 'bye\n'),
      f('/var/lib/kubelet/config.json', '{"auths":{"a":{}}}', 384),
      { path: '/etc/blob.bin', mode: 420, contents: { source: b64Url([0, 1, 2, 255]) } },
    ],
    [
      {
        name: 'a.service',
        enabled: true,
        contents: '[Unit]\nA=1\n',
        dropins: [{ name: '10-x.conf', contents: '[Service]\n' }],
      },
      { name: 'm.service', mask: false, contents: '[Unit]\n' },
    ],
    { kernelArguments: ['a=1', 'b', 'b'], extensions: ['usbguard'], osImageURL: 'quay.io/os@sha256:aaa' },
  );
  const b = mc(
    'rendered-worker-b',
    [
      f('/etc/same.conf', 'x\n'),
      f('/etc/changed.conf', 'one\n2\nthree\n'),
      f('/etc/mode-only.sh', '#!/bin/sh\n', 493),
      f('/etc/new.conf', 'hi\n'),
      f('/var/lib/kubelet/config.json', '{"auths":{"b":{}}}', 384),
      { path: '/etc/blob.bin', mode: 420, contents: { source: b64Url([0, 1, 3, 255]) } },
    ],
    [
      {
        name: 'a.service',
        enabled: true,
        contents: '[Unit]\nA=2\n',
        dropins: [{ name: '10-x.conf', contents: '[Service]\n' }],
      },
      { name: 'm.service', mask: true, contents: '[Unit]\n' },
    ],
    {
      kernelArguments: ['b', 'c=2', 'a=1'],
      extensions: [],
      osImageURL: 'quay.io/os@sha256:bbb',
      kernelType: 'realtime',
      fips: true,
    },
  );
  const d = diffConfigs(a, b);
  const byPath = Object.fromEntries(d.files.map((x) => [x.path, x]));

  it('names the configs and sorts the changes by path, leaving out unchanged paths', () => {
    expect(d.from).toBe('rendered-worker-a');
    expect(d.to).toBe('rendered-worker-b');
    const paths = d.files.map((x) => x.path);
    expect(paths).toEqual([...paths].sort());
    expect(paths).not.toContain('/etc/same.conf');
    expect(paths).not.toContain('/etc/systemd/system/a.service.d/10-x.conf');
  });

  it('added, removed and changed files with text line diffs', () => {
    expect(byPath['/etc/new.conf']).toMatchObject({
      change: 'added',
      modeBefore: null,
      modeAfter: 420,
      contentChanged: true,
    });
    expect(byPath['/etc/new.conf'].lines).toEqual([{ value: 'hi\n', added: true, count: 1 }]);
    expect(byPath['/etc/gone.conf']).toMatchObject({ change: 'removed', modeBefore: 420, modeAfter: null });
    expect(diffStats(byPath['/etc/gone.conf'].lines!)).toEqual({ added: 0, removed: 1 });
    const changed = byPath['/etc/changed.conf'];
    expect(changed).toMatchObject({
      change: 'changed',
      kind: 'file',
      contentChanged: true,
      sensitive: false,
      binary: false,
    });
    expect(changed.lines).toEqual([
      { value: 'one\n', count: 1 },
      { value: 'two\n', removed: true, count: 1 },
      { value: '2\n', added: true, count: 1 },
      { value: 'three\n', count: 1 },
    ]);
  });

  it('a mode-only change has no line diff', () => {
    expect(byPath['/etc/mode-only.sh']).toMatchObject({
      change: 'changed',
      modeBefore: 420,
      modeAfter: 493,
      contentChanged: false,
    });
    expect(byPath['/etc/mode-only.sh'].lines).toBeUndefined();
  });

  it('sensitive and binary contents get no line diff', () => {
    expect(byPath['/var/lib/kubelet/config.json']).toMatchObject({
      contentChanged: true,
      sensitive: true,
      binary: false,
    });
    expect(byPath['/var/lib/kubelet/config.json'].lines).toBeUndefined();
    expect(JSON.stringify(d)).not.toContain('auths');
    expect(byPath['/etc/blob.bin']).toMatchObject({ contentChanged: true, sensitive: false, binary: true });
    expect(byPath['/etc/blob.bin'].lines).toBeUndefined();
  });

  it('units by their managed path; masking is a change', () => {
    expect(byPath['/etc/systemd/system/a.service']).toMatchObject({
      kind: 'unit',
      change: 'changed',
      contentChanged: true,
    });
    expect(diffStats(byPath['/etc/systemd/system/a.service'].lines!)).toEqual({ added: 1, removed: 1 });
    expect(byPath['/etc/systemd/system/m.service']).toMatchObject({
      kind: 'unit',
      change: 'changed',
      contentChanged: false,
    });
  });

  it('kernel arguments and extensions as multiset differences; OS image, kernel type, FIPS', () => {
    expect(d.kernelArguments).toEqual({ added: ['c=2'], removed: ['b'] });
    expect(d.extensions).toEqual({ added: [], removed: ['usbguard'] });
    expect(d.osImageURL).toEqual({ from: 'quay.io/os@sha256:aaa', to: 'quay.io/os@sha256:bbb' });
    expect(d.kernelType).toEqual({ from: 'default', to: 'realtime' });
    expect(d.fips).toEqual({ from: false, to: true });
  });

  it('a config against itself has no differences; "" kernel type equals default', () => {
    const same = diffConfigs(a, { ...a, spec: { ...a.spec, kernelType: '' } });
    expect(same.files).toEqual([]);
    expect(same.kernelArguments).toEqual({ added: [], removed: [] });
    expect([same.osImageURL, same.kernelType, same.fips]).toEqual([null, null, null]);
  });

  it("includes the certificate writer's files, which the daemon does not validate", () => {
    const ca = '/etc/kubernetes/kubelet-ca.crt';
    const d = diffConfigs(mc('x', [f(ca, 'CA1\n')]), mc('y', [f(ca, 'CA2\n')]));
    expect(d.files.map((x) => [x.path, x.change, x.contentChanged])).toEqual([[ca, 'changed', true]]);
  });

  it('a metadata-only config is a clear McoError', () => {
    const bare: MachineConfig = { apiVersion: a.apiVersion, kind: 'MachineConfig', metadata: { name: '00-worker' } };
    expect(() => diffConfigs(bare, b)).toThrow(McoError);
    expect(() => diffConfigs(bare, b)).toThrow(/00-worker/);
  });
});

describe('listDiff', () => {
  it('counts duplicates', () => {
    expect(listDiff(['x', 'x', 'y'], ['x', 'y', 'y'])).toEqual({ added: ['y'], removed: ['x'] });
    expect(listDiff([], [])).toEqual({ added: [], removed: [] });
  });
});

describe.skipIf(!fixturesDir())('diffConfigs on the real 4.16 compact rendered configs', () => {
  it('rendered-master vs rendered-worker', () => {
    const mcs = loadDump('4.16.0-compact-mc.yaml') as MachineConfig[];
    const master = mcs.find((m) => m.metadata.name.startsWith('rendered-master-'))!;
    const worker = mcs.find((m) => m.metadata.name.startsWith('rendered-worker-'))!;
    const d = diffConfigs(master, worker);
    expect(d.files.map((x) => [x.path, x.kind, x.change])).toEqual([
      ['/etc/systemd/system/kubelet.service', 'unit', 'changed'],
      ['/etc/systemd/system/rpm-ostreed.service.d/mco-controlplane-nice.conf', 'dropin', 'removed'],
      ['/usr/local/bin/recover-kubeconfig.sh', 'file', 'removed'],
    ]);
    const kubelet = d.files[0];
    const removed = kubelet
      .lines!.filter((l) => l.removed)
      .map((l) => l.value)
      .join('');
    const added = kubelet
      .lines!.filter((l) => l.added)
      .map((l) => l.value)
      .join('');
    expect(removed).toContain('--register-with-taints=node-role.kubernetes.io/master=:NoSchedule');
    expect(removed).toContain('node-role.kubernetes.io/control-plane,node-role.kubernetes.io/master');
    expect(added).toContain('--node-labels=node-role.kubernetes.io/worker,');
    expect(added).not.toContain('register-with-taints');
    expect(d.files[2]).toMatchObject({ modeBefore: 493, modeAfter: null, sensitive: false, binary: false });
    expect(d.kernelArguments).toEqual({ added: [], removed: [] });
    expect(d.extensions).toEqual({ added: [], removed: [] });
    expect([d.osImageURL, d.kernelType, d.fips]).toEqual([null, null, null]);
    // And back: the same paths with the changes reversed.
    const back = diffConfigs(worker, master);
    expect(back.files.map((x) => x.change)).toEqual(['changed', 'added', 'added']);
    expect(diffStats(back.files[0].lines!)).toEqual({
      added: diffStats(kubelet.lines!).removed,
      removed: diffStats(kubelet.lines!).added,
    });
  });
});
