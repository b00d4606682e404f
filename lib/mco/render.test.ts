import { describe, expect, it } from 'vitest';
import { goYamlMarshal } from './goyaml';
import {
  mergeMachineConfigs,
  renderedConfigName,
  renderedSpecYaml,
  selectMachineConfigs,
  sortForMerge,
} from './render';
import { dataUrl, file, ign, mc } from './testing-helpers';
import { GENERATED_BY_ANNOTATION, McoError, type MachineConfigPool } from './types';

const files = (r: ReturnType<typeof mergeMachineConfigs>) =>
  (r.spec.config as { storage?: { files?: Record<string, unknown>[] } }).storage?.files ?? [];
const units = (r: ReturnType<typeof mergeMachineConfigs>) =>
  (r.spec.config as { systemd?: { units?: Record<string, unknown>[] } }).systemd?.units ?? [];

function pool(name: string, selector: MachineConfigPool['spec']['machineConfigSelector']): MachineConfigPool {
  return {
    apiVersion: 'machineconfiguration.openshift.io/v1',
    kind: 'MachineConfigPool',
    metadata: { name },
    spec: { machineConfigSelector: selector },
  };
}

describe('selectMachineConfigs and sortForMerge', () => {
  const all = [
    mc('99-infra-x', 'infra', null),
    mc('00-worker', 'worker', null),
    mc('01-master-kubelet', 'master', null),
    mc('rendered-worker-abc', null, null),
    mc('50-infra-y', 'infra', null),
    mc('01-worker-kubelet', 'worker', null),
  ];

  it('selects by the pool selector; an empty selector selects nothing', () => {
    const infra = pool('infra', {
      matchExpressions: [
        { key: 'machineconfiguration.openshift.io/role', operator: 'In', values: ['worker', 'infra'] },
      ],
    });
    expect(selectMachineConfigs(infra, all).map((c) => c.metadata.name)).toEqual([
      '99-infra-x',
      '00-worker',
      '50-infra-y',
      '01-worker-kubelet',
    ]);
    const worker = pool('worker', { matchLabels: { 'machineconfiguration.openshift.io/role': 'worker' } });
    expect(selectMachineConfigs(worker, all).map((c) => c.metadata.name)).toEqual(['00-worker', '01-worker-kubelet']);
    expect(selectMachineConfigs(pool('all', {}), all)).toEqual([]);
    expect(selectMachineConfigs(pool('none', undefined), all)).toEqual([]);
  });

  it('puts worker-role configs first, each group in byte order', () => {
    const sorted = sortForMerge([...all, mc('Z-upper', 'infra', null), mc('00-worker-b', 'worker', null)]);
    expect(sorted.map((c) => c.metadata.name)).toEqual([
      '00-worker',
      '00-worker-b',
      '01-worker-kubelet',
      '01-master-kubelet',
      '50-infra-y',
      '99-infra-x',
      'Z-upper',
      'rendered-worker-abc',
    ]);
  });
});

describe('mergeMachineConfigs', () => {
  it('merges field by field: a later mode-only entry keeps the earlier contents', () => {
    const r = mergeMachineConfigs([
      mc(
        '10-a',
        'worker',
        ign({ storage: { files: [file('/etc/x', { mode: 420, contents: { source: dataUrl('x1') } })] } }),
      ),
      mc('20-b', 'worker', ign({ storage: { files: [file('/etc/x', { mode: 384 })] } })),
    ]);
    expect(files(r)).toEqual([{ path: '/etc/x', mode: 384, contents: { source: dataUrl('x1') }, overwrite: true }]);
    expect(r.order).toEqual(['10-a', '20-b']);
  });

  it.each([
    // Before 4.20 the merge is field-wise: an earlier gzip survives a later plain source (butane#332).
    [undefined, { source: dataUrl('plain'), compression: 'gzip' }, { compression: 'gzip' }, { compression: '' }],
    ['4.16', { source: dataUrl('plain'), compression: 'gzip' }, { compression: 'gzip' }, { compression: '' }],
    // 4.20: a later config that declares the path without compression resets it, even with no new source.
    ['4.20', { source: dataUrl('plain') }, {}, {}],
  ])('compression across configs (version %s)', (ocpVersion, x, yCompression, zCompression) => {
    const gz = { source: 'data:;base64,H4sIAAAAAAAA/8tIzcnJBwCGphA2BQAAAA==', compression: 'gzip' };
    const r = mergeMachineConfigs(
      [
        mc(
          '10-a',
          'worker',
          ign({
            storage: {
              files: [
                file('/etc/x', { contents: gz }),
                file('/etc/y', { contents: gz }),
                file('/etc/z', { contents: { source: 'data:,', compression: '' } }),
              ],
            },
          }),
        ),
        mc(
          '20-b',
          'worker',
          ign({
            storage: {
              files: [file('/etc/x', { contents: { source: dataUrl('plain') } }), file('/etc/y', { mode: 493 })],
            },
          }),
        ),
      ],
      { ocpVersion },
    );
    expect(files(r)).toEqual([
      { path: '/etc/x', contents: x, overwrite: true },
      { path: '/etc/y', mode: 493, contents: { source: gz.source, ...yCompression }, overwrite: true },
      { path: '/etc/z', contents: { source: 'data:,', ...zCompression }, overwrite: true },
    ]);
  });

  it('merges units and dropins by name, keeps explicit overwrite false, unions ssh keys', () => {
    const r = mergeMachineConfigs([
      mc(
        '00-worker',
        'worker',
        ign({
          storage: { files: [file('/etc/keep', { overwrite: false, contents: { source: 'data:,' } })] },
          systemd: {
            units: [
              {
                name: 'kubelet.service',
                enabled: true,
                contents: 'v1',
                dropins: [{ name: '10-a.conf', contents: 'a' }],
              },
            ],
          },
          passwd: { users: [{ name: 'core', sshAuthorizedKeys: ['k1', 'k2'] }] },
        }),
      ),
      mc(
        '99-worker-ssh',
        'worker',
        ign({ passwd: { users: [{ name: 'core', sshAuthorizedKeys: ['k2', 'k3'] }] } }, '3.2.0'),
      ),
      mc(
        '50-worker-x',
        'worker',
        ign({
          systemd: {
            units: [
              {
                name: 'kubelet.service',
                dropins: [
                  { name: '10-a.conf', contents: 'a2' },
                  { name: '20-b.conf', contents: '' },
                ],
              },
              { name: 'zincati.service', mask: true },
            ],
          },
        }),
      ),
    ]);
    expect(r.order).toEqual(['00-worker', '50-worker-x', '99-worker-ssh']);
    expect(files(r)).toEqual([{ path: '/etc/keep', overwrite: false, contents: { source: 'data:,' } }]);
    expect(units(r)).toEqual([
      {
        name: 'kubelet.service',
        enabled: true,
        contents: 'v1',
        dropins: [
          { name: '10-a.conf', contents: 'a2' },
          { name: '20-b.conf', contents: '' },
        ],
      },
      { name: 'zincati.service', mask: true },
    ]);
    expect((r.spec.config as any).passwd.users).toEqual([{ name: 'core', sshAuthorizedKeys: ['k1', 'k2', 'k3'] }]);
    expect((r.spec.config as any).ignition).toEqual({ version: '3.4.0' });
  });

  it('drops a parent file when a later config puts a link at its path', () => {
    const r = mergeMachineConfigs([
      mc('10-a', 'worker', ign({ storage: { files: [file('/etc/a'), file('/etc/b')] } })),
      mc('20-b', 'worker', ign({ storage: { links: [{ path: '/etc/a', target: '/dev/null' }] } })),
    ]);
    expect(files(r).map((f) => f.path)).toEqual(['/etc/b']);
    expect((r.spec.config as any).storage.links).toEqual([{ path: '/etc/a', target: '/dev/null' }]);
  });

  it('converts spec 2.2 sources and writes the newest v3 version among the sources', () => {
    const r = mergeMachineConfigs([
      mc(
        '00-worker',
        'worker',
        ign({ storage: { files: [file('/etc/a', { contents: { source: dataUrl('3') } })] } }, '3.2.0'),
      ),
      mc('10-worker-old', 'worker', {
        ignition: { version: '2.2.0' },
        storage: { files: [{ filesystem: 'root', path: '/etc/a', mode: 420, contents: { source: dataUrl('2') } }] },
      }),
    ]);
    expect(files(r)).toEqual([{ path: '/etc/a', mode: 420, contents: { source: dataUrl('2') }, overwrite: true }]);
    expect((r.spec.config as any).ignition.version).toBe('3.2.0');
  });

  it('concatenates kernel arguments and extensions, ORs fips, keeps the last special kernelType', () => {
    const r = mergeMachineConfigs([
      mc('00-worker', 'worker', null, { kernelArguments: ['a=1', 'b'], kernelType: 'default' }),
      mc('05-worker-rt', 'worker', null, { kernelType: 'realtime', fips: true, extensions: ['usbguard'] }),
      mc('10-worker', 'worker', null, { kernelArguments: ['a=1'], kernelType: '64k-pages', extensions: ['usbguard'] }),
      mc('20-worker', 'worker', null, { kernelType: 'default', fips: false }),
    ]);
    expect(r.spec.kernelArguments).toEqual(['a=1', 'b', 'a=1']);
    expect(r.spec.extensions).toEqual(['usbguard', 'usbguard']);
    expect(r.spec.fips).toBe(true);
    expect(r.spec.kernelType).toBe('64k-pages');
    expect(r.spec.config).toEqual({ ignition: { version: '3.4.0' } });
    const plain = mergeMachineConfigs([mc('00-worker', 'worker', null)]);
    expect(plain.spec).toMatchObject({
      kernelType: 'default',
      kernelArguments: [],
      extensions: [],
      fips: false,
      osImageURL: '',
    });
  });

  it('takes osImageURL from the last non-generated config, else the defaults, else the first generated one', () => {
    const gen = { [GENERATED_BY_ANNOTATION]: 'abc' };
    const base = mc(
      '00-worker',
      'worker',
      null,
      { osImageURL: 'quay.io/base@1', baseOSExtensionsContainerImage: 'quay.io/ext@1' },
      gen,
    );
    const gen2 = mc('01-worker-kubelet', 'worker', null, { osImageURL: 'quay.io/base@2' }, gen);
    expect(mergeMachineConfigs([base, gen2]).spec.osImageURL).toBe('quay.io/base@1');
    expect(mergeMachineConfigs([base, gen2], { osImageURL: 'quay.io/cc@0' }).spec.osImageURL).toBe('quay.io/cc@0');
    const user1 = mc('50-worker-a', 'worker', null, { osImageURL: 'quay.io/user@a' });
    const user2 = mc('60-worker-b', 'worker', null, { osImageURL: 'quay.io/user@b' });
    const r = mergeMachineConfigs([user2, base, user1, gen2], { osImageURL: 'quay.io/cc@0' });
    expect(r.spec.osImageURL).toBe('quay.io/user@b');
    expect(r.spec.baseOSExtensionsContainerImage).toBe('quay.io/ext@1');
  });

  it('refuses what the MCO refuses', () => {
    expect(() => mergeMachineConfigs([mc('00-worker', null, null)])).toThrow(
      new McoError('cannot find label in MachineConfig 00-worker'),
    );
    expect(() =>
      mergeMachineConfigs([
        mc('00-worker', 'worker', null, { kernelType: 'realtime' }),
        mc('10-worker', 'worker', null, { extensions: ['kernel-devel'] }),
      ]),
    ).toThrow(new McoError('installing kernel-devel extension is not supported with kernelType: realtime'));
    expect(() => mergeMachineConfigs([mc('00-worker', 'worker', ign({}, '3.9.0'))])).toThrow(
      new McoError(
        'parsing Ignition config failed: unknown version. Supported spec versions: 2.2, 3.0, 3.1, 3.2, 3.3, 3.4, 3.5',
      ),
    );
    expect(() => mergeMachineConfigs([mc('00-worker', 'worker', ign({ storage: { files: [{ path: 7 }] } }))])).toThrow(
      new McoError('MachineConfig "00-worker": spec.config: storage.files[0].path: expected a string, got number 7'),
    );
  });
});

describe('renderedConfigName', () => {
  const spec = mergeMachineConfigs([
    mc('00-worker', 'worker', ign({ storage: { files: [file('/etc/a', { contents: { source: dataUrl('a') } })] } }), {
      kernelArguments: ['x'],
    }),
  ]).spec;

  it('is rendered-<pool>-<md5>, stable, and independent of key order', () => {
    const name = renderedConfigName('worker', spec);
    expect(name).toMatch(/^rendered-worker-[0-9a-f]{32}$/);
    const reordered = JSON.parse(JSON.stringify({ kernelType: spec.kernelType, config: spec.config, ...spec }));
    expect(renderedConfigName('worker', reordered)).toBe(name);
    expect(renderedConfigName('infra', spec)).toBe(name.replace('rendered-worker-', 'rendered-infra-'));
    expect(renderedConfigName('worker', { ...spec, kernelArguments: ['y'] })).not.toBe(name);
  });

  it('serialises an empty spec the way json.Marshal(MachineConfigSpec) does', () => {
    expect(renderedSpecYaml({})).toBe(
      'baseOSExtensionsContainerImage: ""\nconfig: null\nextensions: null\nfips: false\nkernelArguments: null\nkernelType: ""\nosImageURL: ""\n',
    );
  });

  it('hashes the ghodss/yaml text of the spec (values checked against Go yaml.v2 2.4.0)', () => {
    expect(renderedSpecYaml(spec)).toBe(
      [
        'baseOSExtensionsContainerImage: ""',
        'config:',
        '  ignition:',
        '    version: 3.4.0',
        '  storage:',
        '    files:',
        '    - contents:',
        '        source: data:,a',
        '      overwrite: true',
        '      path: /etc/a',
        'extensions: []',
        'fips: false',
        'kernelArguments:',
        '- x',
        'kernelType: default',
        'osImageURL: ""',
        '',
      ].join('\n'),
    );
  });
});

describe('goYamlMarshal (expected outputs produced by Go yaml.v2 2.4.0 via ghodss JSONToYAML)', () => {
  it.each([
    [{ k: 'true' }, 'k: "true"\n'],
    [{ k: '0x1F' }, 'k: "0x1F"\n'],
    [{ k: '-0b1' }, 'k: "-0b1"\n'],
    [{ k: '1:20' }, 'k: "1:20"\n'],
    [{ k: '2024-08-05' }, 'k: "2024-08-05"\n'],
    [{ k: '<<' }, 'k: <<\n'],
    [{ k: '' }, 'k: ""\n'],
    [{ k: 'a: b' }, "k: 'a: b'\n"],
    [{ k: "It's" }, "k: It's\n"],
    [{ k: '- a' }, "k: '- a'\n"],
    [{ k: 'a\tb' }, 'k: "a\\tb"\n'],
    [{ k: '\ufeffbom' }, 'k: "\\uFEFF\\x62\\x6F\\x6D"\n'],
    [{ k: 'a\u2028b' }, "k: 'a\u2028  b'\n"],
    [{ k: 'multi\nline\n' }, 'k: |\n  multi\n  line\n'],
    [{ k: 'multi\nline' }, 'k: |-\n  multi\n  line\n'],
    [{ k: '\n\n' }, 'k: |2+\n\n\n'],
    [{ k: ' lead\nx' }, 'k: |2-\n   lead\n  x\n'],
    [{ k: 'sp \nx' }, 'k: "sp \\nx"\n'],
    [{ k: `ssh-rsa ${'A'.repeat(100)} user@host` }, `k: ssh-rsa ${'A'.repeat(100)}\n  user@host\n`],
    [['x'.repeat(90) + ' y'], `- ${'x'.repeat(90)}\n  y\n`],
    [
      { a: [], b: {}, c: [[1, 2], [[]], [{}]], d: [{ x: 1, y: [1] }, [{ z: null }]], e: true, h: 1.5 },
      'a: []\nb: {}\nc:\n- - 1\n  - 2\n- - []\n- - {}\nd:\n- x: 1\n  "y":\n  - 1\n- - z: null\ne: true\nh: 1.5\n',
    ],
    [
      { a10: 1, a9: 2, a09: 3, b: 4, B: 5, '1': 6, '10': 7, '2': 8, a_b: 9, 'a-b': 10, ab: 11, z01: 14, z001: 15 },
      '"1": 6\n"2": 8\n"10": 7\nB: 5\na-b: 10\na_b: 9\na9: 2\na09: 3\na10: 1\nab: 11\nb: 4\nz01: 14\nz001: 15\n',
    ],
    [{ 'two\nlines': 1 }, '? |-\n  two\n  lines\n: 1\n'],
  ])('%j', (value, expected) => {
    expect(goYamlMarshal(value)).toBe(expected);
  });
});

describe('bad input gives McoError, never another exception', () => {
  const garbage: unknown[] = [
    null,
    undefined,
    0,
    'text',
    [],
    {},
    [null],
    { metadata: null },
    { metadata: { name: 5 } },
    { kind: 'MachineConfig', metadata: { name: 'x', labels: 'worker' } },
    { kind: 'MachineConfig', metadata: { name: 'x', labels: {} }, spec: 'oops' },
    { kind: 'MachineConfig', metadata: { name: 'x', labels: {} }, spec: { kernelArguments: [1] } },
    { kind: 'MachineConfig', metadata: { name: 'x', labels: {} }, spec: { kernelType: 'rt' } },
    { kind: 'MachineConfig', metadata: { name: 'x', labels: {} }, spec: { config: 'x' } },
    { kind: 'MachineConfig', metadata: { name: 'x', labels: {} }, spec: { config: { ignition: 'x' } } },
    {
      kind: 'MachineConfig',
      metadata: { name: 'x', labels: {} },
      spec: { config: { ignition: { version: '3.4.0' }, storage: [] } },
    },
    {
      kind: 'MachineConfig',
      metadata: { name: 'x', labels: {} },
      spec: { config: { ignition: { version: '3.4.0' }, storage: { files: [null] } } },
    },
    {
      kind: 'MachineConfig',
      metadata: { name: 'x', labels: {} },
      spec: { config: { ignition: { version: '3.4.0' }, systemd: { units: [{ name: 'a', dropins: 'b' }] } } },
    },
    {
      kind: 'MachineConfig',
      metadata: { name: 'x', labels: {} },
      spec: { config: { ignition: { version: '3.4.0' }, storage: { files: [{ path: '/a', mode: 0o7777 }] } } },
    },
    {
      kind: 'MachineConfig',
      metadata: { name: 'x', labels: {} },
      spec: { config: { ignition: { version: '2.2.0' }, passwd: { users: [{ name: 'root' }] } } },
    },
    {
      ignition: { version: '3.4.0' },
      storage: { files: [{ path: '/a', contents: { source: 'data:,%', compression: 'gzip' } }] },
    },
  ];

  function onlyMcoErrors(fn: () => unknown) {
    try {
      fn();
    } catch (e) {
      expect(e, String(e)).toBeInstanceOf(McoError);
      expect((e as Error).message.length).toBeGreaterThan(5);
    }
  }

  it.each(garbage.map((g, i) => [i, g]))('input %i', async (_i, g) => {
    const { parseIgnition, decodeFileContents } = await import('./ignition');
    const { parseMachineConfig } = await import('./machineconfig');
    const { managedPaths } = await import('./managed');
    const { attributeSources } = await import('./attribution');
    onlyMcoErrors(() => parseIgnition(g));
    onlyMcoErrors(() => decodeFileContents(g as string, g as string));
    onlyMcoErrors(() => parseMachineConfig(g));
    onlyMcoErrors(() => managedPaths(g as never));
    onlyMcoErrors(() => mergeMachineConfigs([g as never]));
    onlyMcoErrors(() => mergeMachineConfigs([mc('00-worker', 'worker', null), g as never]));
    onlyMcoErrors(() => attributeSources([g as never]));
    onlyMcoErrors(() => selectMachineConfigs(pool('p', { matchLabels: { a: 'b' } }), [g as never]));
    onlyMcoErrors(() => sortForMerge([g as never, mc('00-worker', 'worker', null)]));
  });

  it("refuses configs Ignition's validation rejects", () => {
    const bad = ign({
      storage: {
        files: [
          { path: '/ok', contents: { source: 'data:,ok' } },
          { path: 'etc/rel', contents: { source: 'data:,a b' } },
          { path: '/z', contents: { source: 'data:,', compression: 'xz' } },
        ],
      },
      systemd: { units: [{ name: 'kubelet', dropins: [{ name: '10-a.txt', contents: '' }] }] },
    });
    expect(() => mergeMachineConfigs([mc('00-worker', 'worker', bad)])).toThrow(
      new McoError(
        'parsing Ignition config spec v3 failed with error: config is not valid\nReport: ' +
          [
            'error at $.storage.files.1.path: path not absolute',
            'error at $.storage.files.1.contents.source: invalid data url',
            'error at $.storage.files.2.contents.compression: invalid compression method',
            'error at $.systemd.units.0.name: invalid systemd unit extension',
            'error at $.systemd.units.0.dropins.0.name: invalid systemd drop-in extension',
          ].join('\n'),
      ),
    );
  });

  it('refuses unknown URL schemes and unclean paths (Ignition url.go, path.go)', () => {
    const bad = ign({
      storage: {
        files: [
          { path: '/etc/a', contents: { source: 'https://example.com/a' } },
          { path: '/etc/../b', contents: { source: 'ftp://example.com/b' } },
          { path: '/etc//c', contents: { source: 'data:,c' } },
          { path: '/etc/d/', append: [{ source: 'file:///d' }] },
        ],
        directories: [{ path: '/var/./x' }],
      },
    });
    expect(() => mergeMachineConfigs([mc('00-worker', 'worker', bad)])).toThrow(
      new McoError(
        'parsing Ignition config spec v3 failed with error: config is not valid\nReport: ' +
          [
            'error at $.storage.files.1.path: path is not fully simplified',
            'error at $.storage.files.1.contents.source: invalid url scheme',
            'error at $.storage.files.2.path: path is not fully simplified',
            'error at $.storage.files.3.path: path is not fully simplified',
            'error at $.storage.files.3.append.0.source: invalid url scheme',
            'error at $.storage.directories.0.path: path is not fully simplified',
          ].join('\n'),
      ),
    );
  });

  it('reports the MCO validation messages the render controller would', () => {
    const bad = (spec: Record<string, unknown>) =>
      ({
        apiVersion: 'machineconfiguration.openshift.io/v1',
        kind: 'MachineConfig',
        metadata: { name: 'x', labels: {} },
        spec,
      }) as never;
    expect(() => mergeMachineConfigs([bad({ kernelType: 'rt' })])).toThrow(new McoError('kernelType=rt is invalid'));
    expect(() =>
      mergeMachineConfigs([bad({ config: ign({ storage: { files: [{ path: '/s', mode: 0o2755 }] } }) })]),
    ).toThrow(new McoError('invalid mode 02755 for /s, cannot exceed 0777'));
    expect(() => mergeMachineConfigs([bad({ config: { ignition: { version: 'x' } } })])).toThrow(
      new McoError(
        'parsing Ignition config failed: invalid version. Supported spec versions: 2.2, 3.0, 3.1, 3.2, 3.3, 3.4, 3.5',
      ),
    );
  });
});
