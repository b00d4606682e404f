// The console's use of lib/mco/disruption: which rules apply for the cluster's version and MachineConfiguration, the
// answers when they are missing ("policies not yet observed"), and what a restore may run after writing a path.
import { describe, expect, it } from 'vitest';
import { diffConfigs, managedPaths } from '../../lib/mco';
import { machineConfigurationStatus, type MachineConfiguration } from '../../lib/mco/disruption';
import type { MachineConfig, ManagedPath } from '../../lib/mco/types';
import type { PolicyInputs } from '../policywatch';
import { clusterVersionOf, openShiftFromKubernetes } from '../policywatch';
import { compareDisruption, NOT_OBSERVED, pathPolicy, sameActions } from './disruption';

const pct = (s: string) => 'data:,' + encodeURIComponent(s);
function config(name: string, files: Record<string, string>, units: object[] = []): MachineConfig {
  return {
    apiVersion: 'machineconfiguration.openshift.io/v1',
    kind: 'MachineConfig',
    metadata: { name },
    spec: {
      config: {
        ignition: { version: '3.4.0' },
        storage: {
          files: Object.entries(files).map(([path, text]) => ({ path, mode: 420, contents: { source: pct(text) } })),
        },
        systemd: { units },
      },
    },
  } as MachineConfig;
}

function machineConfiguration(version: string, generation = 1, observed = generation): MachineConfiguration {
  const mc: MachineConfiguration = {
    apiVersion: 'operator.openshift.io/v1',
    kind: 'MachineConfiguration',
    metadata: { name: 'cluster', generation },
    spec: {},
  };
  const st = machineConfigurationStatus(version, mc, true);
  mc.status = {
    observedGeneration: observed,
    ...(st ? { nodeDisruptionPolicyStatus: st.nodeDisruptionPolicyStatus } : {}),
  };
  return mc;
}

const inputs = (version: string | null, mc: PolicyInputs['machineConfiguration']): PolicyInputs => ({
  cluster: { version, source: version ? 'ClusterVersion' : null },
  machineConfiguration: mc,
});
const present = (v: string, g?: number, o?: number) => ({
  state: 'present' as const,
  object: machineConfiguration(v, g, o),
});

const a = config('a', { '/etc/containers/policy.json': '{}', '/etc/mco/proxy.env': 'X=1\n' });
const b = config('b', { '/etc/containers/policy.json': '{"default":[]}', '/etc/mco/proxy.env': 'X=1\n' });
const c = config('c', { '/etc/containers/policy.json': '{}', '/etc/mco/proxy.env': 'X=2\n' });
const decide = (i: PolicyInputs, from = a, to = b) => compareDisruption(i, from, to, diffConfigs(from, to));

describe('compareDisruption', () => {
  it('decides by policy on 4.20 once the status is observed', () => {
    expect(decide(inputs('4.20.3', present('4.20')))).toMatchObject({
      status: 'decided',
      mode: 'policy',
      summary: 'Reload crio.service on each node, no drain, no reboot',
      byPath: { '/etc/containers/policy.json': 'Reload crio.service' },
    });
    expect(decide(inputs('4.20', present('4.20')), a, c)).toMatchObject({
      summary: 'Reboot, drains each node',
      reason: 'no policy for /etc/mco/proxy.env',
    });
  });

  it('says the MCO would wait when the MachineConfiguration is missing or its status lags, and unknown when unreadable', () => {
    expect(decide(inputs('4.20', { state: 'absent' }))).toMatchObject({
      status: 'waiting',
      summary: NOT_OBSERVED,
      reason: 'NodeDisruptionPolicyStatus was not ready: MachineConfiguration/cluster has not been created yet',
      reboot: null,
      items: [],
    });
    expect(decide(inputs('4.20', present('4.20', 3, 2)))).toMatchObject({
      status: 'waiting',
      summary: NOT_OBSERVED,
      reason: 'NodeDisruptionPolicyStatus was not ready: NodeDisruptionPolicyStatus is not up to date',
    });
    expect(
      decide(inputs('4.20', { state: 'unavailable', reason: 'the console’s identity may not read it' })),
    ).toMatchObject({ status: 'unknown', reboot: null });
    expect(decide(inputs(null, { state: 'absent' }))).toMatchObject({
      status: 'unknown',
      summary: "unknown: the cluster's OpenShift version is not known",
    });
  });

  it('uses the legacy lists before 4.16, and in 4.16 unless the operator wrote the policy status (Tech Preview)', () => {
    expect(decide(inputs('4.14', { state: 'unavailable', reason: 'not served' }))).toMatchObject({
      status: 'decided',
      mode: 'legacy',
      summary: 'Reload crio on each node, no drain, no reboot',
    });
    expect(decide(inputs('4.16', present('4.16', 1, 0)))).toMatchObject({ mode: 'policy' });
    const noGate = machineConfiguration('4.16');
    delete noGate.status!.nodeDisruptionPolicyStatus;
    expect(decide(inputs('4.16', { state: 'present', object: noGate }))).toMatchObject({ mode: 'legacy' });
  });
});

describe('pathPolicy (the restore dialog)', () => {
  const entry = (mc: MachineConfig, path: string): ManagedPath => managedPaths(mc).find((p) => p.path === path)!;
  it('offers the service actions the policy names, and nothing for Reboot', () => {
    const i = inputs('4.20', present('4.20'));
    expect(pathPolicy(i, 'w', entry(a, '/etc/containers/policy.json'))).toMatchObject({
      sentence: 'the MCO would reload crio.service',
      offer: [{ type: 'Reload', serviceName: 'crio.service' }],
    });
    expect(pathPolicy(i, 'w', entry(a, '/etc/mco/proxy.env'))).toMatchObject({
      sentence: 'the MCO would reboot the node (no policy for /etc/mco/proxy.env)',
      offer: [],
    });
    const ca = config('ca', { '/etc/pki/ca-trust/source/anchors/openshift-config-user-ca-bundle.crt': 'x' });
    expect(
      pathPolicy(i, 'w', entry(ca, '/etc/pki/ca-trust/source/anchors/openshift-config-user-ca-bundle.crt')).offer,
    ).toEqual([
      { type: 'Restart', serviceName: 'coreos-update-ca-trust.service' },
      { type: 'Restart', serviceName: 'crio.service' },
    ]);
    const reg = config('reg', { '/etc/containers/registries.d/x.yaml': 'x' });
    expect(pathPolicy(i, 'w', entry(reg, '/etc/containers/registries.d/x.yaml'))).toMatchObject({
      policy: '/etc/containers/registries.d',
      sentence: 'the MCO would reload crio.service (policy for /etc/containers/registries.d)',
    });
    const unit = config('u', {}, [{ name: 'foo.service', contents: '[Unit]\n' }]);
    expect(pathPolicy(i, 'w', entry(unit, '/etc/systemd/system/foo.service'))).toMatchObject({
      unit: 'foo.service',
      sentence: 'the MCO would reboot the node (no policy for unit foo.service)',
    });
    expect(pathPolicy(inputs('4.14', { state: 'absent' }), 'w', entry(a, '/etc/containers/policy.json')).offer).toEqual(
      [{ type: 'Reload', serviceName: 'crio.service' }],
    );
    expect(pathPolicy(inputs('4.20', { state: 'absent' }), 'w', entry(a, '/etc/containers/policy.json'))).toMatchObject(
      { status: 'waiting', offer: [] },
    );
  });

  it('a restore runs exactly the offer', () => {
    const offer = [{ type: 'Reload' as const, serviceName: 'crio.service' }];
    expect(sameActions([{ type: 'Reload', serviceName: 'crio.service' }], offer)).toBe(true);
    expect(sameActions([{ type: 'Restart', serviceName: 'crio.service' }], offer)).toBe(false);
    expect(sameActions([], offer)).toBe(false);
  });
});

describe('the cluster version', () => {
  it('reads a ClusterVersion, else infers from the Kubernetes minor', () => {
    expect(
      clusterVersionOf({
        status: {
          desired: { version: '4.21.0' },
          history: [
            { state: 'Partial', version: '4.21.0' },
            { state: 'Completed', version: '4.20.8' },
          ],
        },
      }),
    ).toBe('4.20.8');
    expect(clusterVersionOf({ status: { desired: { version: '4.20.1' }, history: [] } })).toBe('4.20.1');
    expect(openShiftFromKubernetes('33')).toBe('4.20');
    expect(openShiftFromKubernetes('29+')).toBe('4.16');
    expect(openShiftFromKubernetes(undefined)).toBeNull();
  });
});
