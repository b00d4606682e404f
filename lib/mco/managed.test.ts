import { describe, expect, it } from 'vitest';
import { managedPaths } from './managed';
import { dataUrl, ign, mc } from './testing-helpers';

const text = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

describe('managedPaths', () => {
  const config = ign({
    storage: {
      files: [
        { path: '/etc/b', mode: 384, contents: { source: dataUrl('bee\n') }, user: { name: 'core' }, overwrite: true },
        { path: '/etc/kubernetes/kubelet-ca.crt', contents: { source: dataUrl('ca') } },
        { path: '/etc/a', contents: { source: 'data:;base64,%%%' } },
        { path: '/etc/empty' },
        { path: '/etc/mco/internal-registry-pull-secret.json', contents: { source: 'data:,{}' } },
      ],
    },
    systemd: {
      units: [
        {
          name: 'crio.service',
          dropins: [
            { name: '10-env.conf', contents: '' },
            { name: '20-x.conf', contents: '[Service]\n' },
          ],
        },
        {
          name: 'kubelet.service',
          enabled: true,
          contents: '[Unit]\n',
          dropins: [{ name: '01-a.conf', contents: 'a' }],
        },
        { name: 'zincati.service', mask: true, contents: '[Unit]\n' },
        { name: 'docker.socket', mask: true },
      ],
    },
  });

  it("lists files, then each unit's dropins and unit file, in the daemon's order", () => {
    const paths = managedPaths(config);
    expect(paths.map((p) => `${p.kind} ${p.path}`)).toEqual([
      'file /etc/b',
      'file /etc/a',
      'file /etc/empty',
      'dropin /etc/systemd/system/crio.service.d/10-env.conf',
      'dropin /etc/systemd/system/crio.service.d/20-x.conf',
      'dropin /etc/systemd/system/kubelet.service.d/01-a.conf',
      'unit /etc/systemd/system/kubelet.service',
      'unit /etc/systemd/system/zincati.service',
    ]);
    const [b, a, empty, emptyDropin, dropin, , kubelet, zincati] = paths;
    expect(b).toMatchObject({ mode: 384, user: { name: 'core' }, overwrite: true });
    expect(text(b.contents)).toBe('bee\n');
    expect(a.contents).toBeNull();
    expect(a.decodeError).toMatch(/^couldn't decode file "\/etc\/a": could not decode file content string: /);
    expect(empty).toMatchObject({ mode: 420 });
    expect(empty.contents?.length).toBe(0);
    expect(emptyDropin).toMatchObject({ mayBeAbsent: true, unit: 'crio.service', dropin: '10-env.conf', mode: 420 });
    expect(dropin.mayBeAbsent).toBeUndefined();
    expect(kubelet).toMatchObject({ enabled: true, mode: 420, unit: 'kubelet.service' });
    expect(text(kubelet.contents)).toBe('[Unit]\n');
    expect(zincati.masked).toBe(true);
  });

  it('reads a MachineConfig; metadata-only ones manage nothing', () => {
    expect(managedPaths(mc('99-worker-x', 'worker', config)).length).toBe(8);
    expect(managedPaths(mc('00-worker', 'worker', null))).toEqual([]);
    expect(
      managedPaths({
        apiVersion: 'machineconfiguration.openshift.io/v1',
        kind: 'MachineConfig',
        metadata: { name: 'r' },
      }),
    ).toEqual([]);
  });

  it('checks spec 2.2 configs last duplicate first, comparing empty dropins', () => {
    const v2 = {
      ignition: { version: '2.2.0' },
      storage: {
        files: [
          { filesystem: 'root', path: '/etc/x', mode: 420, contents: { source: dataUrl('old') } },
          { filesystem: 'root', path: '/etc/y', mode: 420, contents: { source: dataUrl('y') } },
          { filesystem: 'root', path: '/etc/x', mode: 493, contents: { source: dataUrl('new') } },
        ],
      },
      systemd: { units: [{ name: 'a.service', dropins: [{ name: 'e.conf', contents: '' }] }] },
    };
    const paths = managedPaths(v2);
    expect(paths.map((p) => [p.path, p.mode, text(p.contents)])).toEqual([
      ['/etc/x', 493, 'new'],
      ['/etc/y', 420, 'y'],
      ['/etc/systemd/system/a.service.d/e.conf', 420, ''],
    ]);
    expect(paths[2].mayBeAbsent).toBeUndefined();
  });
});
