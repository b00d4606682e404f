import { describe, expect, it } from 'vitest';
import { dataUrl, file, ign, mc } from '../testing-helpers';
import type { MachineConfig } from '../types';
import {
  CONTAINER_REGISTRY_CONF_PATH as REGISTRIES,
  closestFilePolicy,
  cleanPath,
  configChanges,
  decideDisruption,
  defaultClusterPolicies,
  describeDecision,
  describeFileDecision,
  isSubdirectory,
  legacyActionsFromFiles,
  machineConfigurationStatus,
  mergeClusterPolicies,
  policyStatusReadiness,
  type DisruptionAction,
  type DisruptionInput,
  type MachineConfiguration,
  type NodeDisruptionPolicyConfig,
} from '.';

const OS = 'quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:aaa';
const f = (path: string, text: string, mode = 420) =>
  file(path, { mode, overwrite: true, contents: { source: dataUrl(text) } });
const BASE = [
  f('/etc/base.conf', 'base\n'),
  f(REGISTRIES, 'unqualified-search-registries = ["registry.access.redhat.com"]\n'),
];

/** A rendered config: the base files plus `files`, units, users and spec overrides. */
function rendered(
  name: string,
  files: object[] = [],
  extra: { units?: object[]; users?: object[]; spec?: object } = {},
): MachineConfig {
  const byPath = new Map<string, object>();
  for (const x of [...BASE, ...files] as { path: string }[]) byPath.set(x.path, x);
  return mc(
    name,
    null,
    ign({
      storage: { files: [...byPath.values()] },
      ...(extra.units ? { systemd: { units: extra.units } } : {}),
      passwd: { users: extra.users ?? [{ name: 'core', sshAuthorizedKeys: ['ssh-ed25519 AAAA one'] }] },
    }),
    { osImageURL: OS, kernelArguments: [], extensions: [], fips: false, kernelType: 'default', ...(extra.spec ?? {}) },
  );
}

/** The MachineConfiguration `cluster` with the status the operator of `version` writes. */
function cluster(version: string, spec?: NodeDisruptionPolicyConfig, techPreview = true): MachineConfiguration {
  const obj: MachineConfiguration = {
    apiVersion: 'operator.openshift.io/v1',
    kind: 'MachineConfiguration',
    metadata: { name: 'cluster', generation: 2 },
    spec: { managementState: 'Managed', ...(spec ? { nodeDisruptionPolicy: spec } : {}) },
  };
  const st = machineConfigurationStatus(version, obj, techPreview);
  if (st) obj.status = st;
  return obj;
}

const reload = (s: string): DisruptionAction => ({ type: 'Reload', reload: { serviceName: s } });
const restart = (s: string): DisruptionAction => ({ type: 'Restart', restart: { serviceName: s } });
const OLD = rendered('rendered-worker-old');

function decide(
  version: string,
  newFiles: object[],
  opts: Partial<DisruptionInput> & { extra?: Parameters<typeof rendered>[2]; spec?: NodeDisruptionPolicyConfig } = {},
) {
  const { extra, spec, ...rest } = opts;
  return decideDisruption({
    version,
    oldConfig: OLD,
    newConfig: rendered('rendered-worker-new', newFiles, extra),
    machineConfiguration: cluster(version, spec, rest.techPreview ?? true),
    ...rest,
    techPreview: rest.techPreview ?? true,
  });
}

describe('default cluster policies per release (apihelpers.go defaultClusterPolicies)', () => {
  it('has none before 4.16', () => {
    expect(defaultClusterPolicies('4.14')).toBeNull();
    expect(defaultClusterPolicies('4.15')).toBeNull();
  });
  it.each([
    ['4.16', 4],
    ['4.17', 7],
    ['4.18', 8],
    ['4.20', 8],
    ['4.21', 8],
  ])('%s has %d file policies, no unit policies, sshkey None', (v, n) => {
    const p = defaultClusterPolicies(v)!;
    expect(p.files).toHaveLength(n);
    expect(p.units).toEqual([]);
    expect(p.sshkey).toEqual({ actions: [{ type: 'None' }] });
  });
  it('lists the 4.20 defaults in the operator order', () => {
    expect(defaultClusterPolicies('4.20')!.files).toEqual([
      { path: '/var/lib/kubelet/config.json', actions: [{ type: 'None' }] },
      { path: '/etc/machine-config-daemon/no-reboot/containers-gpg.pub', actions: [reload('crio.service')] },
      { path: '/etc/containers/policy.json', actions: [reload('crio.service')] },
      { path: '/etc/containers/registries.conf', actions: [{ type: 'Special' }] },
      { path: '/etc/containers/registries.d', actions: [reload('crio.service')] },
      { path: '/etc/crio/policies', actions: [reload('crio.service')] },
      { path: '/etc/nmstate/openshift', actions: [{ type: 'None' }] },
      {
        path: '/etc/pki/ca-trust/source/anchors/openshift-config-user-ca-bundle.crt',
        actions: [restart('coreos-update-ca-trust.service'), restart('crio.service')],
      },
    ]);
  });
});

// Every default policy of each release, exercised end to end through decideDisruption.
describe('a change to each default-policy path', () => {
  const T = (v: string, path: string, want: DisruptionAction[], drain = false) => ({ v, path, want, drain });
  const crio = reload('crio.service');
  const ca = [restart('coreos-update-ca-trust.service'), restart('crio.service')];
  const REBOOT: DisruptionAction[] = [{ type: 'Reboot' }];
  const NONE: DisruptionAction[] = [{ type: 'None' }];
  const cases = [
    // 4.16 Tech Preview: exact paths, plus the registries.d / nmstate exceptions.
    T('4.16', '/var/lib/kubelet/config.json', NONE),
    T('4.16', '/etc/machine-config-daemon/no-reboot/containers-gpg.pub', [crio]),
    T('4.16', '/etc/containers/policy.json', [crio]),
    T('4.16', '/etc/containers/registries.d/quay.yaml', [crio]),
    T('4.16', '/etc/containers/registries.d/sub/deeper.yaml', REBOOT, true),
    T('4.16', '/etc/nmstate/openshift/eth0.yml', []),
    T('4.16', '/etc/pki/ca-trust/source/anchors/openshift-config-user-ca-bundle.crt', REBOOT, true),
    T('4.16', '/etc/crio/policies/p.json', REBOOT, true),
    // 4.17: directories by prefix, the CA bundle restarts.
    T('4.17', '/etc/containers/registries.d/sub/deeper.yaml', [crio]),
    T('4.17', '/etc/nmstate/openshift/eth0.yml', NONE),
    T('4.17', '/etc/pki/ca-trust/source/anchors/openshift-config-user-ca-bundle.crt', ca),
    T('4.17', '/etc/crio/policies/p.json', REBOOT, true),
    // 4.18 and 4.20: all eight.
    ...['4.18', '4.20'].flatMap((v) => [
      T(v, '/var/lib/kubelet/config.json', NONE),
      T(v, '/etc/machine-config-daemon/no-reboot/containers-gpg.pub', [crio]),
      T(v, '/etc/containers/policy.json', [crio]),
      T(v, '/etc/containers/registries.d/quay.yaml', [crio]),
      T(v, '/etc/crio/policies/p.json', [crio]),
      T(v, '/etc/nmstate/openshift/eth0.yml', NONE),
      T(v, '/etc/pki/ca-trust/source/anchors/openshift-config-user-ca-bundle.crt', ca),
      T(v, '/etc/no-policy.conf', REBOOT, true),
    ]),
  ];
  it.each(cases)('$v $path → $want', ({ v, path, want, drain }) => {
    const d = decide(v, [f(path, 'new\n')]);
    expect(d.mode).toBe('policy');
    expect(d.error).toBeNull();
    expect(d.actions).toEqual(want);
    expect(d.drain).toBe(drain);
    expect(d.reboot).toBe(drain);
  });
  it('registries.conf (Special): a safe change does not drain, an unsafe one does', () => {
    const safe = `unqualified-search-registries = ["registry.access.redhat.com", "docker.io"]
[[registry]]
  prefix = ""
  location = "quay.io/ocp"
  [[registry.mirror]]
    location = "mirror.example.com/ocp"
    pull-from-mirror = "digest-only"
`;
    let d = decide('4.20', [f(REGISTRIES, safe)]);
    expect(d.actions).toEqual([{ type: 'Special' }]);
    expect(d.drain).toBe(false);
    expect(describeDecision(d)).toBe('Reload crio (registries.conf) on each node, no drain, no reboot');
    d = decide('4.20', [f(REGISTRIES, 'unqualified-search-registries = ["docker.io"]\n')]);
    expect(d.drain).toBe(true);
    expect(d.reboot).toBe(false);
    // The override ConfigMap skips that drain through 4.19, not in 4.20.
    expect(
      decide('4.18', [f(REGISTRIES, 'unqualified-search-registries = []\n')], { registryDrainOverride: true }).drain,
    ).toBe(false);
    expect(
      decide('4.20', [f(REGISTRIES, 'unqualified-search-registries = []\n')], { registryDrainOverride: true }).drain,
    ).toBe(true);
    // An undecodable file fails the update.
    d = decide('4.20', [f(REGISTRIES, 'this is = = not toml')]);
    expect(d.error).toMatch(/^failed decoding TOML content from file \/etc\/containers\/registries.conf: /);
  });
});

describe('the action list (calculatePostConfigChangeNodeDisruptionActionFromMCDiffs)', () => {
  it('picks the longest matching policy over the file and its parent directories', () => {
    const spec = {
      files: [
        { path: '/etc/app', actions: [restart('app.service')] },
        { path: '/etc/app/conf.d', actions: [reload('app.service')] },
        { path: '/etc/app/conf.d/special.conf', actions: [{ type: 'None' as const }] },
      ],
    };
    expect(decide('4.20', [f('/etc/app/main.conf', 'x')], { spec }).actions).toEqual([restart('app.service')]);
    expect(decide('4.20', [f('/etc/app/conf.d/a.conf', 'x')], { spec }).actions).toEqual([reload('app.service')]);
    expect(decide('4.20', [f('/etc/app/conf.d/special.conf', 'x')], { spec }).actions).toEqual([{ type: 'None' }]);
    // A sibling with a common prefix is not a subdirectory.
    expect(decide('4.20', [f('/etc/application.conf', 'x')], { spec }).actions).toEqual([{ type: 'Reboot' }]);
    // 4.16 matches exact paths only.
    expect(decide('4.16', [f('/etc/app/main.conf', 'x')], { spec }).actions).toEqual([{ type: 'Reboot' }]);
  });
  it('cleans paths as filepath.Clean does', () => {
    expect(cleanPath('/etc//app/./x/../y/')).toBe('/etc/app/y');
    expect(isSubdirectory('/etc/app/', '/etc/app/x')).toBe(true);
    expect(isSubdirectory('/etc/app', '/etc/app')).toBe(false);
    expect(isSubdirectory('/', '/etc')).toBe(true);
    expect(closestFilePolicy('/etc/x', [{ path: '/etc/', actions: [] }])?.path).toBe('/etc/');
  });
  it('Reboot absorbs every other action', () => {
    const spec = { files: [{ path: '/etc/a.conf', actions: [{ type: 'Reboot' as const }] }] };
    const d = decide('4.20', [f('/etc/containers/policy.json', 'x'), f('/etc/a.conf', 'x')], { spec });
    expect(d.actions).toEqual([{ type: 'Reboot' }]);
    expect(d.rebootCause).toEqual({ kind: 'policy', path: '/etc/a.conf' });
    expect(describeDecision(d)).toBe('Reboot, drains each node');
  });
  it('drops Nones next to other actions, keeps one None when only Nones', () => {
    const d = decide('4.20', [f('/var/lib/kubelet/config.json', '{}'), f('/etc/containers/policy.json', '{}')]);
    expect(d.actions).toEqual([reload('crio.service')]);
    expect(describeDecision(d)).toBe('Reload crio.service on each node, no drain, no reboot');
    const n = decide('4.20', [f('/var/lib/kubelet/config.json', '{}'), f('/etc/nmstate/openshift/a.yml', 'x')]);
    expect(n.actions).toEqual([{ type: 'None' }]);
    expect(describeDecision(n)).toBe('No action on the nodes, no drain, no reboot');
  });
  it('keeps the order: removed files, then added/changed files, then units, then sshkey', () => {
    const old = rendered('o', [f('/etc/gone.conf', 'x')], { units: [{ name: 'u.service', contents: 'a' }] });
    const spec = {
      files: [
        { path: '/etc/gone.conf', actions: [{ type: 'DaemonReload' as const }] },
        { path: '/etc/containers/policy.json', actions: [reload('crio.service')] },
      ],
      units: [{ name: 'u.service', actions: [restart('u.service')] }],
      sshkey: { actions: [{ type: 'Drain' as const }] },
    };
    const d = decideDisruption({
      version: '4.20',
      oldConfig: old,
      newConfig: rendered('n', [f('/etc/containers/policy.json', 'y')], {
        units: [{ name: 'u.service', contents: 'b' }],
        users: [{ name: 'core', sshAuthorizedKeys: ['ssh-ed25519 AAAA two'] }],
      }),
      machineConfiguration: cluster('4.20', spec),
    });
    expect(d.actions).toEqual([
      { type: 'DaemonReload' },
      reload('crio.service'),
      restart('u.service'),
      { type: 'Drain' },
    ]);
    expect(d.drain).toBe(true);
    expect(d.reboot).toBe(false);
    expect(describeDecision(d)).toBe(
      'systemd daemon-reload, then reload crio.service, then restart u.service, then drain on each node, drains each node, no reboot',
    );
  });
  it('a unit without a policy reboots; with one, its actions apply', () => {
    const units = [{ name: 'extra.service', enabled: true, contents: '[Unit]\n' }];
    expect(decide('4.20', [], { extra: { units } }).rebootCause).toEqual({
      kind: 'unitWithoutPolicy',
      name: 'extra.service',
    });
    const spec = {
      units: [{ name: 'extra.service', actions: [{ type: 'DaemonReload' as const }, restart('extra.service')] }],
    };
    expect(decide('4.20', [], { extra: { units }, spec }).actions).toEqual([
      { type: 'DaemonReload' },
      restart('extra.service'),
    ]);
  });
  it('an SSH key change takes the sshkey policy (default None)', () => {
    const users = [{ name: 'core', sshAuthorizedKeys: ['ssh-ed25519 AAAA one', 'ssh-ed25519 AAAA two'] }];
    const d = decide('4.20', [], { extra: { users } });
    expect(d.sshkey.changed).toBe(true);
    expect(d.changes.sshKeys).toEqual([{ user: 'core', added: ['ssh-ed25519 AAAA two'], removed: [] }]);
    expect(d.actions).toEqual([{ type: 'None' }]);
    expect(d.drain).toBe(false);
    const r = decide('4.20', [], { extra: { users }, spec: { sshkey: { actions: [{ type: 'Reboot' }] } } });
    expect(r.actions).toEqual([{ type: 'Reboot' }]);
    expect(r.rebootCause).toEqual({ kind: 'policy', sshkey: true });
  });
  it.each([
    ['osImageURL', { osImageURL: 'quay.io/other@sha256:bbb' }],
    ['kernelArguments', { kernelArguments: ['nosmt'] }],
    ['fips', { fips: true }],
    ['kernelType', { kernelType: 'realtime' }],
    ['extensions', { extensions: ['usbguard'] }],
  ])('%s changed → Reboot whatever the files say', (kind, spec) => {
    const d = decide('4.20', [f('/var/lib/kubelet/config.json', 'x')], { extra: { spec } });
    expect(d.actions).toEqual([{ type: 'Reboot' }]);
    expect(d.rebootCause).toEqual({ kind });
  });
  it('kernelType "" and "default" are the same; reordered kernel arguments are a change', () => {
    const old = rendered('o', [], { spec: { kernelType: '', kernelArguments: ['a', 'b'] } });
    const same = rendered('n', [], { spec: { kernelType: 'default', kernelArguments: ['a', 'b'] } });
    expect(
      decideDisruption({ version: '4.20', oldConfig: old, newConfig: same, machineConfiguration: cluster('4.20') })
        .actions,
    ).toEqual([{ type: 'None' }]);
    const swapped = rendered('n', [], { spec: { kernelArguments: ['b', 'a'] } });
    expect(
      decideDisruption({ version: '4.20', oldConfig: old, newConfig: swapped, machineConfiguration: cluster('4.20') })
        .rebootCause,
    ).toEqual({ kind: 'kernelArguments' });
  });
  it('the force file reboots and is consumed', () => {
    const d = decide('4.20', [], { forceFile: true });
    expect(d.actions).toEqual([{ type: 'Reboot' }]);
    expect(d.rebootCause).toEqual({ kind: 'forceFile' });
    expect(d.forceFileConsumed).toBe(true);
    expect(d.drain).toBe(true);
  });
  it('no change → [None]', () => {
    const d = decideDisruption({
      version: '4.20',
      oldConfig: OLD,
      newConfig: rendered('same'),
      machineConfiguration: cluster('4.20'),
    });
    expect(d.actions).toEqual([{ type: 'None' }]);
    expect(d.files).toEqual([]);
  });
});

describe('policy status readiness', () => {
  it('4.17+: the daemon fails the update until observedGeneration catches up', () => {
    const mc = cluster('4.20');
    mc.metadata.generation = 3;
    expect(policyStatusReadiness('4.20', mc)).toMatchObject({
      ready: false,
      message: 'NodeDisruptionPolicyStatus was not ready: NodeDisruptionPolicyStatus is not up to date',
    });
    const d = decideDisruption({
      version: '4.20',
      oldConfig: OLD,
      newConfig: rendered('n', [], { spec: { fips: true } }),
      machineConfiguration: mc,
      forceFile: true,
    });
    expect(d.error).toBe('NodeDisruptionPolicyStatus was not ready: NodeDisruptionPolicyStatus is not up to date');
    expect(d.forceFileConsumed).toBe(false);
    expect(describeDecision(d)).toMatch(/^Update fails: /);
    expect(policyStatusReadiness('4.20', null)).toMatchObject({
      reason: 'MachineConfiguration/cluster has not been created yet',
    });
  });
  it('4.16: an unpopulated status falls back to the legacy decision', () => {
    const d = decideDisruption({
      version: '4.16',
      techPreview: true,
      oldConfig: OLD,
      newConfig: rendered('n', [f('/etc/containers/policy.json', 'x')]),
      machineConfiguration: cluster('4.16', undefined, false),
    });
    expect(d.mode).toBe('legacy');
    expect(d.legacyFallback).toBe(
      'NodeDisruptionPolicyStatus was not ready: NodeDisruptionPolicyStatus has not been populated yet',
    );
    expect(d.legacyActions).toEqual(['reload crio']);
  });
});

describe('mergeClusterPolicies and the operator status', () => {
  it('replaces a default in place and appends the rest; user sshkey wins when set', () => {
    const m = mergeClusterPolicies('4.20', {
      files: [
        { path: '/etc/new.conf', actions: [{ type: 'None' }] },
        { path: '/etc/containers/policy.json', actions: [{ type: 'None' }] },
      ],
      units: [{ name: 'a.service', actions: [{ type: 'DaemonReload' }] }],
      sshkey: { actions: [{ type: 'Drain' }] },
    })!;
    expect(m.files.map((x) => x.path).slice(0, 3)).toEqual([
      '/var/lib/kubelet/config.json',
      '/etc/machine-config-daemon/no-reboot/containers-gpg.pub',
      '/etc/containers/policy.json',
    ]);
    expect(m.files[2].actions).toEqual([{ type: 'None' }]);
    expect(m.files[8]).toEqual({ path: '/etc/new.conf', actions: [{ type: 'None' }] });
    expect(m.units).toEqual([{ name: 'a.service', actions: [{ type: 'DaemonReload' }] }]);
    expect(m.sshkey).toEqual({ actions: [{ type: 'Drain' }] });
    expect(mergeClusterPolicies('4.20', { sshkey: { actions: [] } })!.sshkey).toEqual({ actions: [{ type: 'None' }] });
  });
  it('writes observedGeneration; nothing before 4.16 or in 4.16 without Tech Preview', () => {
    const mc = cluster('4.20');
    expect(mc.status?.observedGeneration).toBe(2);
    expect(mc.status?.nodeDisruptionPolicyStatus?.clusterPolicies?.files).toHaveLength(8);
    expect(machineConfigurationStatus('4.14', mc)).toBeNull();
    expect(machineConfigurationStatus('4.16', mc, false)).toBeNull();
    expect(machineConfigurationStatus('4.16', mc, true)!.nodeDisruptionPolicyStatus.clusterPolicies.files).toHaveLength(
      4,
    );
  });
});

describe('the legacy decision (calculatePostConfigChangeAction)', () => {
  it.each([
    ['4.14', ['/var/lib/kubelet/config.json'], ['none']],
    ['4.14', ['/etc/mco/internal-registry-pull-secret.json'], ['none']],
    ['4.16', ['/etc/mco/internal-registry-pull-secret.json'], ['reboot']],
    ['4.14', ['/etc/kubernetes/kubelet-ca.crt'], ['none']],
    ['4.14', ['/etc/containers/registries.conf'], ['reload crio']],
    ['4.14', ['/etc/machine-config-daemon/no-reboot/containers-gpg.pub'], ['reload crio']],
    ['4.14', ['/etc/containers/policy.json'], ['reload crio']],
    ['4.14', ['/etc/pki/ca-trust/source/anchors/openshift-config-user-ca-bundle.crt'], ['restart crio']],
    ['4.14', ['/etc/containers/registries.d/a.yaml'], ['reboot']],
    ['4.16', ['/etc/containers/registries.d/a.yaml'], ['reload crio']],
    ['4.14', ['/etc/nmstate/openshift/a.yml'], ['reboot']],
    ['4.16', ['/etc/nmstate/openshift/a.yml'], ['none']],
    // A restart is not downgraded to a reload from 4.16 on; 4.14 overwrites it.
    [
      '4.14',
      ['/etc/pki/ca-trust/source/anchors/openshift-config-user-ca-bundle.crt', '/etc/containers/policy.json'],
      ['reload crio'],
    ],
    [
      '4.16',
      ['/etc/pki/ca-trust/source/anchors/openshift-config-user-ca-bundle.crt', '/etc/containers/policy.json'],
      ['restart crio'],
    ],
    ['4.16', ['/etc/containers/policy.json', '/etc/other.conf'], ['reboot']],
    ['4.16', [], ['none']],
  ])('%s %j → %j', (v, paths, want) => {
    const lists = v === '4.14' ? 'v4.14' : 'v4.16';
    expect(legacyActionsFromFiles(paths, lists)).toEqual(want);
  });
  it('4.14 decides by the lists; units and SSH keys count as the lists say', () => {
    const d = decide('4.14', [f('/etc/containers/policy.json', 'x')]);
    expect(d.mode).toBe('legacy');
    expect(d.legacyActions).toEqual(['reload crio']);
    expect(d.drain).toBe(false);
    expect(describeDecision(d)).toBe('Reload crio on each node, no drain, no reboot');
    expect(describeFileDecision(d.files[0], d.mode)).toBe('Reload crio');
    // Any unit change reboots in the legacy decision; passwd changes are ignored.
    expect(decide('4.14', [], { extra: { units: [{ name: 'a.service', contents: 'x' }] } }).rebootCause).toEqual({
      kind: 'units',
    });
    expect(
      decide('4.14', [], { extra: { users: [{ name: 'core', sshAuthorizedKeys: ['k2'] }] } }).legacyActions,
    ).toEqual(['none']);
  });
  it('legacy registries.conf: drains only when unsafe; the override ConfigMap skips it', () => {
    expect(decide('4.14', [f(REGISTRIES, 'unqualified-search-registries = []\n')]).drain).toBe(true);
    expect(
      decide('4.14', [f(REGISTRIES, 'unqualified-search-registries = []\n')], { registryDrainOverride: true }).drain,
    ).toBe(false);
    expect(
      decide('4.14', [f(REGISTRIES, 'unqualified-search-registries = ["registry.access.redhat.com", "docker.io"]\n')])
        .drain,
    ).toBe(false);
  });
  it('4.16 without the feature gate and any version at first boot use the legacy lists', () => {
    expect(decide('4.16', [f('/etc/containers/policy.json', 'x')], { techPreview: false }).mode).toBe('legacy');
    expect(decide('4.16', [f('/etc/containers/policy.json', 'x')], { techPreview: true }).mode).toBe('policy');
    const fb = decide('4.20', [f('/etc/crio/policies/p.json', 'x')], { firstBoot: true });
    expect(fb.mode).toBe('legacy');
    expect(fb.legacyActions).toEqual(['reboot']);
  });
});

describe('configChanges', () => {
  it('sorts files into removed/added/changed with what changed', () => {
    const old = rendered('o', [
      f('/etc/gone', 'x'),
      f('/etc/mode', 'x', 420),
      f('/etc/enc', 'hello'),
      f('/etc/own', 'x'),
    ]);
    const nu = rendered('n', [
      f('/etc/new', 'x'),
      f('/etc/mode', 'x', 493),
      file('/etc/enc', { mode: 420, overwrite: true, contents: { source: 'data:;base64,aGVsbG8=' } }),
      file('/etc/own', { mode: 420, overwrite: true, user: { name: 'core' }, contents: { source: dataUrl('x') } }),
    ]);
    const c = configChanges(old, nu, '4.20');
    expect(c.files.map((x) => [x.path, x.change, x.fields])).toEqual([
      ['/etc/gone', 'removed', []],
      ['/etc/new', 'added', []],
      ['/etc/mode', 'changed', ['mode']],
      ['/etc/enc', 'changed', ['encoding']],
      ['/etc/own', 'changed', ['owner']],
    ]);
  });
  it('orders units per release and names changed dropins', () => {
    const old = rendered('o', [], {
      units: [{ name: 'r.service' }, { name: 'c.service', dropins: [{ name: 'a.conf', contents: '1' }] }],
    });
    const nu = rendered('n', [], {
      units: [
        { name: 'a.service' },
        { name: 'c.service', dropins: [{ name: 'a.conf', contents: '2' }, { name: 'b.conf' }] },
      ],
    });
    expect(configChanges(old, nu, '4.16').units.map((u) => u.name)).toEqual(['r.service', 'a.service', 'c.service']);
    const c = configChanges(old, nu, '4.20').units;
    expect(c.map((u) => u.name)).toEqual(['a.service', 'c.service', 'r.service']);
    expect(c[1]).toMatchObject({
      fields: ['dropins'],
      dropins: { added: ['b.conf'], removed: [], changed: ['a.conf'] },
    });
  });
});
