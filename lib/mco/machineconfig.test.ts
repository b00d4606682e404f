import { describe, expect, it } from 'vitest';
import { parseMachineConfig } from './machineconfig';
import { ign, mc } from './testing-helpers';
import { McoError } from './types';

function errorOf(obj: unknown): string {
  try {
    parseMachineConfig(obj);
  } catch (e) {
    expect(e).toBeInstanceOf(McoError);
    return (e as Error).message;
  }
  throw new Error('expected parseMachineConfig to throw');
}

describe('parseMachineConfig', () => {
  it('accepts full and metadata-only objects and returns them', () => {
    const full = mc('99-worker-x', 'worker', ign({ storage: { files: [{ path: '/a', mode: 420 }] } }), {
      kernelArguments: ['a'],
      extensions: [],
      fips: false,
      kernelType: '64k-pages',
      osImageURL: '',
    });
    expect(parseMachineConfig(full)).toBe(full);
    const metaOnly = {
      apiVersion: 'machineconfiguration.openshift.io/v1',
      kind: 'MachineConfig',
      metadata: { name: 'rendered-worker-1' },
    };
    expect(parseMachineConfig(metaOnly)).toBe(metaOnly);
    const nullLists = mc('00-worker', 'worker', null, { kernelArguments: null, extensions: null });
    expect(parseMachineConfig(nullLists)).toBe(nullLists);
  });

  it('names the object and the field', () => {
    expect(errorOf(mc('99-worker-x', 'worker', null, { kernelArguments: ['a', 3 as unknown as string] }))).toBe(
      'MachineConfig "99-worker-x": spec.kernelArguments[1]: expected a string, got number 3',
    );
    expect(errorOf(mc('x', 'worker', null, { extensions: 'usbguard' as unknown as string[] }))).toBe(
      'MachineConfig "x": spec.extensions: expected an array of strings, got string "usbguard"',
    );
    expect(errorOf(mc('x', 'worker', null, { fips: 'yes' as unknown as boolean }))).toBe(
      'MachineConfig "x": spec.fips: expected a boolean, got string "yes"',
    );
    expect(errorOf(mc('x', 'worker', null, { kernelType: 'rt' }))).toBe(
      'MachineConfig "x": spec.kernelType: kernelType=rt is invalid',
    );
    expect(errorOf(mc('x', 'worker', null, { osImageURL: 5 as unknown as string }))).toBe(
      'MachineConfig "x": spec.osImageURL: expected a string, got number 5',
    );
    expect(errorOf({ ...mc('x', 'worker', null), kind: 'ConfigMap' })).toBe(
      'MachineConfig "x": kind: expected "MachineConfig", got string "ConfigMap"',
    );
    expect(errorOf({ ...mc('x', 'worker', null), apiVersion: 'v1' })).toMatch(
      /^MachineConfig "x": apiVersion: expected/,
    );
    expect(errorOf({ apiVersion: 'machineconfiguration.openshift.io/v1', kind: 'MachineConfig', metadata: {} })).toBe(
      'MachineConfig: metadata.name: expected a non-empty string, got nothing',
    );
    expect(errorOf({ ...mc('x', 'worker', null), metadata: { name: 'x', labels: { a: 1 } } })).toBe(
      'MachineConfig "x": metadata.labels["a"]: expected a string, got number 1',
    );
    expect(errorOf(null)).toBe('MachineConfig: expected an object, got null');
    expect(errorOf({ ...mc('x', 'worker', null), spec: [] })).toBe(
      'MachineConfig "x": spec: expected an object, got an array',
    );
  });

  it('validates the Ignition config inside', () => {
    expect(errorOf(mc('x', 'worker', ign({}, '4.0.0')))).toBe(
      'MachineConfig "x": spec.config: parsing Ignition config failed: unknown version. Supported spec versions: 2.2, 3.0, 3.1, 3.2, 3.3, 3.4, 3.5',
    );
    expect(
      errorOf(mc('x', 'worker', ign({ storage: { files: [{ path: '/a' }, { path: '/b', mode: '0644' }] } }))),
    ).toBe('MachineConfig "x": spec.config.storage.files[1].mode: expected a number, got string "0644"');
    expect(errorOf(mc('x', 'worker', ign({ storage: { files: [{ path: '/usr/bin/s', mode: 0o4755 }] } })))).toBe(
      'MachineConfig "x": spec.config.storage.files[0].mode: invalid mode 04755 for /usr/bin/s, cannot exceed 0777',
    );
    expect(errorOf({ ...mc('x', 'worker', null), spec: { config: 'text' } })).toBe(
      'MachineConfig "x": spec.config: expected an object, got string "text"',
    );
  });
});
