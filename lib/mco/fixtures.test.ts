// The real cluster dumps: every MachineConfig parses, every rendered file decodes, and merging a pool's sources
// gives back its rendered config.
import { describe, expect, it } from 'vitest';
import { FIXTURE_SETS, FIXTURES_MISSING, fixturesDir, loadDump } from '@/tests/fixtures';
import { attributeSources } from './attribution';
import { bytesToText } from '../diff/text';
import { decodeFileContents } from './ignition';
import { parseMachineConfig } from './machineconfig';
import { managedPaths } from './managed';
import { mergeMachineConfigs, renderedConfigName, selectMachineConfigs } from './render';
import type { IgnitionConfig, MachineConfig, MachineConfigPool, ManagedPath } from './types';

const present = fixturesDir() !== null;
const text = (b: Uint8Array | null) => (b === null ? null : bytesToText(b));

describe.skipIf(!present)('real cluster dumps', () => {
  const mcs = present ? (loadDump('4.16.0-compact-mc.yaml') as MachineConfig[]) : [];
  const pools = present ? (loadDump('4.16.0-compact-mcp.yaml') as MachineConfigPool[]) : [];
  const byName = new Map(mcs.map((m) => [m.metadata.name, m]));

  it.each(FIXTURE_SETS)('every MachineConfig in %s parses', (set) => {
    const items = loadDump(`${set}-mc.yaml`);
    expect(items.length).toBeGreaterThan(10);
    for (const item of items) expect(parseMachineConfig(item)).toBe(item);
  });

  it('decodes every file of the rendered configs, percent-encoded and base64', () => {
    const rendered = mcs.filter((m) => m.metadata.name.startsWith('rendered-'));
    expect(rendered.map((m) => m.metadata.name).sort()).toEqual([
      'rendered-master-f898aa7d05f995ca972f6930b43c6b5b',
      'rendered-worker-2a854b4a0c86cb8484ee1697c7d0686c',
    ]);
    for (const r of rendered) {
      const cfg = r.spec!.config as unknown as IgnitionConfig;
      let base64 = 0;
      for (const f of cfg.storage!.files!) {
        const bytes = decodeFileContents(f.contents?.source, f.contents?.compression);
        expect(bytes).toBeInstanceOf(Uint8Array);
        if (f.contents?.source?.includes(';base64,')) base64++;
      }
      expect(base64).toBeGreaterThanOrEqual(2);
      const paths = managedPaths(r);
      expect(paths.every((p) => p.decodeError === undefined && p.contents !== null)).toBe(true);
      expect(paths.filter((p) => p.kind === 'file').length).toBe(cfg.storage!.files!.length);
    }
  });

  it('spot-checks known contents', () => {
    const worker = byName.get('rendered-worker-2a854b4a0c86cb8484ee1697c7d0686c')!;
    const paths = new Map<string, ManagedPath>(managedPaths(worker).map((p) => [p.path, p]));
    // The 4.16 proxy.env: six comment lines (worded differently from the documentation's seed).
    const proxy = text(paths.get('/etc/mco/proxy.env')!.contents)!;
    expect(proxy.split('\n')).toEqual([
      '# Proxy environment variables will be populated in this file. Properly',
      "# url encoded passwords with special characters will use '%<HEX><HEX>'.",
      '# Systemd requires that any % used in a password be represented as',
      '# %% in a unit file since % is a prefix for macros; this restriction does not',
      '# apply for environment files. Templates that need the proxy set should use',
      "# 'EnvironmentFile=/etc/mco/proxy.env'.",
      '',
    ]);
    expect(text(paths.get('/etc/containers/registries.conf')!.contents)).toMatch(
      /^unqualified-search-registries = \["registry.access.redhat.com", "docker.io"\]\n/,
    );
    expect(JSON.parse(text(paths.get('/etc/kubernetes/kubelet.conf')!.contents)!).kind).toBe('KubeletConfiguration');
    expect(text(paths.get('/etc/kubernetes/cloud.conf')!.contents)).toBe('[Global]');
    expect(paths.get('/var/lib/kubelet/config.json')!.mode).toBe(384);
    expect(paths.get('/usr/local/bin/configure-ovs.sh')!.mode).toBe(493);
    expect(paths.get('/etc/NetworkManager/dispatcher.d/99-vsphere-disable-tx-udp-tnl')!.mode).toBe(484);
    expect(paths.get('/etc/pki/ca-trust/source/anchors/openshift-config-user-ca-bundle.crt')!.contents!.length).toBe(0);
    expect(text(paths.get('/etc/systemd/system/zincati.service.d/mco-disabled.conf')!.contents)).toBe(
      '[Unit]\nConditionPathExists=/enoent\n',
    );
    expect(paths.get('/etc/systemd/system/crio.service.d/10-mco-default-env.conf')!.mayBeAbsent).toBe(true);
    expect(paths.has('/etc/systemd/system/crio.service')).toBe(false);
    expect(text(paths.get('/etc/systemd/system/kubelet.service')!.contents)).toMatch(/^\[Unit\]\n/);
  });

  it.each(['master', 'worker'])("merging the %s pool's sources gives its rendered config", (poolName) => {
    const pool = pools.find((p) => p.metadata.name === poolName)!;
    const rendered = byName.get(pool.spec.configuration!.name!)!;
    const sourceNames = pool.spec.configuration!.source!.map((s) => s.name);
    const sources = sourceNames.map((n) => byName.get(n)!);
    expect(
      selectMachineConfigs(pool, mcs)
        .map((m) => m.metadata.name)
        .sort(),
    ).toEqual([...sourceNames].sort());

    const result = mergeMachineConfigs(sources, {
      baseOSExtensionsContainerImage: rendered.spec!.baseOSExtensionsContainerImage,
    });
    expect(result.order).toEqual(sourceNames);

    const want = managedPaths(rendered);
    const got = managedPaths(result.spec.config as unknown as IgnitionConfig);
    expect(got.map((p) => p.path)).toEqual(want.map((p) => p.path));
    got.forEach((p, i) => {
      expect(p.mode, p.path).toBe(want[i].mode);
      expect(p.contents, p.path).toEqual(want[i].contents);
      expect([p.kind, p.masked, p.mayBeAbsent, p.enabled], p.path).toEqual([
        want[i].kind,
        want[i].masked,
        want[i].mayBeAbsent,
        want[i].enabled,
      ]);
    });
    const unitsOf = (c: unknown) => (c as IgnitionConfig).systemd!.units!;
    expect(unitsOf(result.spec.config)).toEqual(unitsOf(rendered.spec!.config));
    expect(result.spec.kernelArguments).toEqual(rendered.spec!.kernelArguments);
    expect(result.spec.extensions).toEqual(rendered.spec!.extensions);
    expect(result.spec.osImageURL).toBe(rendered.spec!.osImageURL);
    expect(result.spec.kernelType).toBe('default');
    // The whole Ignition JSON, as the MCO wrote it (the API server serves it with sorted keys).
    expect(JSON.stringify(result.spec.config)).toBe(JSON.stringify(sortKeys(rendered.spec!.config)));
    // The name the MCO would give this spec. It differs from the dump's real name only because the fixture's pull
    // secret was redacted; the value was computed independently with Go (yaml.v2 2.4.0, crypto/md5) from the dump.
    const expected = {
      master: 'rendered-master-e5a959a53227c0410cec10d5df3a7548',
      worker: 'rendered-worker-a029ff0f448c84de7ee7b1e0497b33d5',
    };
    expect(renderedConfigName(poolName, result.spec)).toBe(expected[poolName as 'master' | 'worker']);
    expect(renderedConfigName(poolName, rendered.spec!)).toBe(expected[poolName as 'master' | 'worker']);
  });

  it('attributes the rendered worker files to their sources', () => {
    const pool = pools.find((p) => p.metadata.name === 'worker')!;
    const sources = pool.spec.configuration!.source!.map((s) => byName.get(s.name)!);
    const a = attributeSources(sources);
    expect(Object.keys(a).length).toBe(managedPaths(byName.get(pool.spec.configuration!.name!)!).length);
    expect(a['/etc/kubernetes/kubelet.conf']).toMatchObject({
      contentsFrom: '98-worker-generated-kubelet',
      declaredBy: ['01-worker-kubelet', '97-worker-generated-kubelet', '98-worker-generated-kubelet'],
      overridden: ['01-worker-kubelet', '97-worker-generated-kubelet'],
    });
    expect(a['/etc/containers/registries.conf'].contentsFrom).toBe('99-worker-generated-registries');
    expect(a['/etc/mco/proxy.env']).toMatchObject({ contentsFrom: '00-worker', modeFrom: '00-worker', overridden: [] });
    expect(a['/etc/systemd/system/kubelet.service']).toMatchObject({ kind: 'unit', contentsFrom: '01-worker-kubelet' });
  });
});

describe.skipIf(present)('real cluster dumps', () => {
  it.skip(FIXTURES_MISSING, () => {});
});

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}
