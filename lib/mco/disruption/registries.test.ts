import { describe, expect, it } from 'vitest';
import { McoError } from '../types';
import { isSafeContainerRegistryConfChanges, isSafeRegistriesChange, parseRegistriesConf } from './registries';
import { parseToml } from './toml';

describe('parseToml (the registries.conf subset)', () => {
  it('reads what the MCO writes for registries.conf', () => {
    const text = `# generated
unqualified-search-registries = ["registry.access.redhat.com", 'docker.io',]
short-name-mode = ""

[[registry]]
  prefix = ""
  location = "quay.io/openshift-release-dev/ocp-release"
  mirror-by-digest-only = true

  [[registry.mirror]]
    location = "mirror.example.com:5000/ocp"
    insecure = false # inline comment

  [[registry.mirror]]
    location = "m2.example.com/ocp"
    pull-from-mirror = "digest-only"

[[registry]]
  location = "docker.io"
  blocked = true

[aliases]
  "fedora" = "registry.fedoraproject.org/fedora"
`;
    expect(parseToml(text)).toEqual({
      'unqualified-search-registries': ['registry.access.redhat.com', 'docker.io'],
      'short-name-mode': '',
      registry: [
        {
          prefix: '',
          location: 'quay.io/openshift-release-dev/ocp-release',
          'mirror-by-digest-only': true,
          mirror: [
            { location: 'mirror.example.com:5000/ocp', insecure: false },
            { location: 'm2.example.com/ocp', 'pull-from-mirror': 'digest-only' },
          ],
        },
        { location: 'docker.io', blocked: true },
      ],
      aliases: { fedora: 'registry.fedoraproject.org/fedora' },
    });
  });
  it.each([
    ['a = "x\\ty\\u00e9"', { a: 'x\tyé' }],
    ["a = 'C:\\path'", { a: 'C:\\path' }],
    ['a = """\nline1\nline2"""', { a: 'line1\nline2' }],
    ["a = '''\nraw\\n'''", { a: 'raw\\n' }],
    ['a.b = 1_000\nc = -0x10', null],
    ['t = { x = 1, y = [true, false] }', { t: { x: 1, y: [true, false] } }],
    ['a = [\n  1, # one\n  2,\n]', { a: [1, 2] }],
    ['f = 1.5e2', { f: 150 }],
  ])('%j', (text, want) => {
    if (want === null) expect(() => parseToml(text)).toThrow(McoError);
    else expect(parseToml(text)).toEqual(want);
  });
  it.each([
    ['a = 1\na = 2', /defined twice/],
    ['a = ', /expected a value/],
    ['a = "x', /unterminated string/],
    ['d = 1979-05-27', /dates and times/],
    ['[a\nb=1', /unterminated table header/],
    ['a = 1 b', /end of the line/],
  ])('refuses %j', (text, msg) => {
    expect(() => parseToml(text)).toThrow(msg);
  });
});

// The cases of isSafeContainerRegistryConfChanges (drain.go), on decoded files.
describe('isSafeRegistriesChange', () => {
  const base = `unqualified-search-registries = ["a.io", "b.io"]
[[registry]]
  location = "quay.io/ocp"
  [[registry.mirror]]
    location = "m1.example.com/ocp"
    pull-from-mirror = "digest-only"
`;
  const mirror = (loc: string, pfm?: string) =>
    `  [[registry.mirror]]\n    location = "${loc}"\n${pfm ? `    pull-from-mirror = "${pfm}"\n` : ''}`;
  const cases: [string, string, boolean][] = [
    ['identical', base, true],
    ['a search registry appended', base.replace('"b.io"]', '"b.io", "c.io"]'), true],
    ['a search registry removed', base.replace(', "b.io"', ''), false],
    ['search registries reordered', base.replace('"a.io", "b.io"', '"b.io", "a.io"'), false],
    ['a digest-only mirror added', base + mirror('m2.example.com/ocp', 'digest-only'), true],
    ['a mirror added without digest-only', base + mirror('m2.example.com/ocp'), false],
    ['a mirror added with tag-only', base + mirror('m2.example.com/ocp', 'tag-only'), false],
    ['a mirror removed', base.replace(/ {2}\[\[registry\.mirror\]\][^[]*$/, ''), false],
    ['an existing mirror moved off digest-only', base.replace('"digest-only"', '"all"'), false],
    ['the registry location changed', base.replace('quay.io/ocp"', 'quay.io/other"'), false],
    [
      'the registry blocked',
      base.replace('location = "quay.io/ocp"', 'location = "quay.io/ocp"\n  blocked = true'),
      false,
    ],
    [
      'the registry made insecure',
      base.replace('location = "quay.io/ocp"', 'location = "quay.io/ocp"\n  insecure = true'),
      false,
    ],
    [
      'the registry switched to mirror-by-digest-only',
      base.replace('location = "quay.io/ocp"', 'location = "quay.io/ocp"\n  mirror-by-digest-only = true'),
      true,
    ],
    ['a registry removed', 'unqualified-search-registries = ["a.io", "b.io"]\n', false],
    [
      'a registry added, all mirrors digest-only',
      base + `[[registry]]\n  location = "r.io/x"\n${mirror('m.io/x', 'digest-only')}`,
      true,
    ],
    ['a registry added with a plain mirror', base + `[[registry]]\n  location = "r.io/x"\n${mirror('m.io/x')}`, false],
    [
      'a registry added without mirrors, mirror-by-digest-only',
      base + `[[registry]]\n  location = "r.io/x"\n  mirror-by-digest-only = true\n`,
      true,
    ],
    ['a registry added without mirrors', base + `[[registry]]\n  location = "r.io/x"\n`, false],
    [
      'an added mirror on a mirror-by-digest-only registry',
      base.replace('location = "quay.io/ocp"', 'location = "quay.io/ocp"\n  mirror-by-digest-only = true') +
        mirror('m2.example.com/ocp'),
      true,
    ],
  ];
  it.each(cases)('%s → safe=%s', (_name, after, safe) => {
    expect(isSafeRegistriesChange(parseRegistriesConf(base), parseRegistriesConf(after))).toBe(safe);
  });
  it('keys registries by prefix when set', () => {
    const a = parseRegistriesConf('[[registry]]\nprefix = "example.com/foo"\nlocation = "a.io/foo"\n');
    const b = parseRegistriesConf('[[registry]]\nprefix = "example.com/foo"\nlocation = "b.io/foo"\n');
    expect(isSafeRegistriesChange(a, b)).toBe(false);
  });
  it('reads the file from Ignition (absent = empty) and wraps decode errors', () => {
    const cfg = (text?: string) => ({
      ignition: { version: '3.4.0' },
      storage: {
        files:
          text === undefined
            ? []
            : [{ path: '/etc/containers/registries.conf', contents: { source: `data:,${encodeURIComponent(text)}` } }],
      },
    });
    expect(isSafeContainerRegistryConfChanges(cfg(), cfg('unqualified-search-registries = ["a.io"]'))).toBe(true);
    expect(isSafeContainerRegistryConfChanges(cfg('unqualified-search-registries = ["a.io"]'), cfg())).toBe(false);
    expect(() => isSafeContainerRegistryConfChanges(cfg(), cfg('blocked = = 1'))).toThrow(
      /^failed decoding TOML content from file \/etc\/containers\/registries.conf: toml: line 1/,
    );
    expect(() => isSafeContainerRegistryConfChanges(cfg(), cfg('[[registry]]\nblocked = "yes"'))).toThrow(
      /registry\[0\]\.blocked: expected a boolean/,
    );
  });
});
