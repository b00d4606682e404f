import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_SETS, fixturesDir, FIXTURES_MISSING, loadDump } from '@/tests/fixtures';
import { poolNodes } from './pools';
import { calculatePoolStatus, poolImageBuild } from './status';
import { goQuote } from './goquote';
import {
  NodeAnnotations,
  type MachineConfigNode,
  type MachineConfigPool,
  type MachineOSBuild,
  type MachineOSConfig,
  type Node,
  type PoolStatusResult,
} from './types';

const haveFixtures = fixturesDir() !== null;
if (!haveFixtures) console.warn(FIXTURES_MISSING);

const counts = (s: PoolStatusResult | MachineConfigPool['status']) => ({
  machineCount: s!.machineCount,
  updatedMachineCount: s!.updatedMachineCount,
  readyMachineCount: s!.readyMachineCount,
  unavailableMachineCount: s!.unavailableMachineCount,
  degradedMachineCount: s!.degradedMachineCount,
});

const NOW = '2030-01-01T00:00:00Z';
const byType = (s: PoolStatusResult, type: string) => s.conditions.find((c) => c.type === type)!;

describe.skipIf(!haveFixtures)('calculatePoolStatus reproduces real pools', () => {
  // Upstream hand-edited the infra pool of this set (README): it targets the worker's rendered config and its
  // recorded counts do not match its nodes. The worker pool's status was recorded before that pool existed, so
  // the worker pool is computed against the built-in pools only.
  const HAND_EDITED = '4.14.1-workers-started-updating-multiple-pools';

  for (const set of FIXTURE_SETS) {
    it(`${set}: counts, conditions (order, status, reason, message, times), configuration`, () => {
      const pools = loadDump(`${set}-mcp.yaml`) as MachineConfigPool[];
      const nodes = loadDump(`${set}-node.yaml`) as Node[];
      const version = set.slice(0, 4);
      let checked = 0;
      for (const pool of pools) {
        if (set === HAND_EDITED && pool.metadata.name === 'infra') continue;
        const peers = set === HAND_EDITED ? pools.filter((p) => p.metadata.name !== 'infra') : pools;
        const got = calculatePoolStatus(pool, poolNodes(pool, peers, nodes), { version, now: NOW });
        const label = `${set} ${pool.metadata.name}`;
        expect(counts(got), label).toEqual(counts(pool.status));
        // Nothing changed since the dump, so the controller would write back exactly the recorded conditions.
        expect(got.conditions, label).toEqual(pool.status!.conditions);
        expect(got.configuration?.name, label).toBe(pool.status!.configuration!.name);
        expect(got.observedGeneration, label).toBe(pool.status!.observedGeneration);
        checked++;
      }
      expect(checked).toBeGreaterThan(0);
    });
  }

  it('the recorded statuses are not trivially reproduced: a node change moves the counts', () => {
    const pools = loadDump('4.14.1-paused-worker-pool-mcp.yaml') as MachineConfigPool[];
    const nodes = loadDump('4.14.1-paused-worker-pool-node.yaml') as Node[];
    const worker = pools.find((p) => p.metadata.name === 'worker')!;
    const members = poolNodes(worker, pools, nodes);
    members[0] = { ...members[0], spec: { ...members[0].spec, unschedulable: true } };
    const got = calculatePoolStatus(worker, members, { version: '4.14', now: NOW });
    expect(counts(got)).toEqual({ ...counts(worker.status), readyMachineCount: 2, unavailableMachineCount: 1 });
    // Paused and no longer all updated: the paused message, 4.14 format.
    expect(byType(got, 'Updating')).toMatchObject({
      status: 'False',
      message: `Pool is paused; will not update to MachineConfig ${worker.spec.configuration!.name}`,
    });
    expect(byType(got, 'Updated')).toMatchObject({ status: 'False', lastTransitionTime: NOW });
  });

  it('4.8 insights pool: the pre-4.14 message format, with synthetic updated nodes', () => {
    const pool = JSON.parse(
      readFileSync(join(fixturesDir()!, '4.8-insights-worker-mcp.json'), 'utf8'),
    ) as MachineConfigPool;
    const target = pool.spec.configuration!.name!;
    const nodes: Node[] = Array.from({ length: pool.status!.machineCount! }, (_, i) => ({
      metadata: {
        name: `worker-${i}`,
        labels: { 'node-role.kubernetes.io/worker': '' },
        annotations: {
          [NodeAnnotations.currentConfig]: target,
          [NodeAnnotations.desiredConfig]: target,
          [NodeAnnotations.state]: 'Done',
        },
      },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    }));
    const got = calculatePoolStatus(pool, nodes, { version: '4.8', now: NOW });
    expect(counts(got)).toEqual(counts(pool.status));
    expect(got.conditions).toEqual(pool.status!.conditions);
    expect(byType(got, 'Updated').message).toBe(`All nodes are updated with ${target}`);
    // The same pool under a 4.14+ controller gets the `MachineConfig ` prefix, with a new message but no new time.
    const later = calculatePoolStatus(pool, nodes, { version: '4.16', now: NOW });
    expect(byType(later, 'Updated')).toMatchObject({
      message: `All nodes are updated with MachineConfig ${target}`,
      lastTransitionTime: '2021-07-12T21:20:49Z',
    });
    expect(later.conditions.at(-1)!.type).toBe('Updated'); // removed and appended
  });
});

describe.skipIf(!haveFixtures)('drift on a real pool (the seed case)', () => {
  const pools = () => loadDump('4.16.0-compact-mcp.yaml') as MachineConfigPool[];
  const nodes = () => loadDump('4.16.0-compact-node.yaml') as Node[];

  function drifted(reason: string) {
    const all = pools();
    const master = all.find((p) => p.metadata.name === 'master')!;
    const members = poolNodes(master, all, nodes());
    const victim = members[1];
    victim.metadata.annotations![NodeAnnotations.state] = 'Degraded';
    victim.metadata.annotations![NodeAnnotations.reason] = reason;
    return { master, members, victim };
  }

  it('a content mismatch degrades the pool exactly as the MCO reports it', () => {
    const { master, members, victim } = drifted('content mismatch for file "/etc/mco/proxy.env"');
    const before = calculatePoolStatus(master, poolNodes(master, pools(), nodes()), { now: NOW });
    const got = calculatePoolStatus(master, members, { version: '4.16', now: NOW });
    expect(counts(got)).toEqual({
      ...counts(before),
      degradedMachineCount: 1,
      unavailableMachineCount: before.unavailableMachineCount + 1,
      readyMachineCount: before.readyMachineCount - 1,
      updatedMachineCount: before.updatedMachineCount - 1,
    });
    expect(byType(got, 'NodeDegraded')).toEqual({
      type: 'NodeDegraded',
      status: 'True',
      reason: '1 nodes are reporting degraded status on sync',
      message: `Node ${victim.metadata.name} is reporting: "content mismatch for file \\"/etc/mco/proxy.env\\""`,
      lastTransitionTime: NOW,
    });
    expect(byType(got, 'Degraded')).toMatchObject({ status: 'True', reason: '', message: '' });
    expect(byType(got, 'Updating')).toMatchObject({
      status: 'True',
      message: `All nodes are updating to MachineConfig ${master.spec.configuration!.name}`,
    });
    expect(byType(got, 'Updated')).toMatchObject({ status: 'False', message: '' });
    // RenderDegraded is carried over untouched; the others are appended in the controller's order.
    expect(got.conditions.map((c) => c.type)).toEqual([
      'RenderDegraded',
      'Updated',
      'Updating',
      'NodeDegraded',
      'Degraded',
    ]);
    expect(got.conditions[0]).toEqual(master.status!.conditions!.find((c) => c.type === 'RenderDegraded'));
    // Not all updated: status.configuration stays the old one.
    expect(got.configuration).toEqual(master.status!.configuration);
  });

  it('the wrapped reason after a restart is quoted with Go %q', () => {
    const reason =
      'unexpected on-disk state validating against rendered-master-abc: content mismatch for file "/etc/foo"';
    const { master, members, victim } = drifted(reason);
    const got = calculatePoolStatus(master, members, { version: '4.19', now: NOW });
    const message = `Node ${victim.metadata.name} is reporting: "unexpected on-disk state validating against rendered-master-abc: content mismatch for file \\"/etc/foo\\""`;
    expect(byType(got, 'NodeDegraded').message).toBe(message);
    // From 4.19 the pool's Degraded condition repeats the NodeDegraded message.
    expect(byType(got, 'Degraded').message).toBe(message);
  });
});

describe('calculatePoolStatus on synthetic pools', () => {
  const target = 'rendered-worker-new';
  const pool = (
    over: Partial<MachineConfigPool['spec']> = {},
    status?: MachineConfigPool['status'],
  ): MachineConfigPool => ({
    apiVersion: 'machineconfiguration.openshift.io/v1',
    kind: 'MachineConfigPool',
    metadata: { name: 'worker', generation: 7 },
    spec: { configuration: { name: target, source: [{ name: '00-worker' }] }, ...over },
    status,
  });
  const node = (name: string, current: string, desired: string, state: string, reason = '', ready = true): Node => ({
    metadata: {
      name,
      annotations: {
        [NodeAnnotations.currentConfig]: current,
        [NodeAnnotations.desiredConfig]: desired,
        [NodeAnnotations.state]: state,
        [NodeAnnotations.reason]: reason,
      },
    },
    status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  });

  it('counts: updating, failing update, not ready, unreconcilable', () => {
    const nodes = [
      node('done', target, target, 'Done'),
      node('working', 'old', target, 'Working'),
      node('failed', 'old', target, 'Degraded', 'failed to drain node: x after 1 hour'),
      node('notready', target, target, 'Done', '', false),
      node('unrec', 'old', target, 'Unreconcilable', "can't reconcile config old with new: x"),
    ];
    const got = calculatePoolStatus(pool(), nodes, { now: NOW });
    // failed/unrec are MCDFailing (current != desired): degraded but not unavailable; notready is unavailable.
    expect(counts(got)).toEqual({
      machineCount: 5,
      updatedMachineCount: 2,
      readyMachineCount: 1,
      unavailableMachineCount: 2,
      degradedMachineCount: 2,
    });
    expect(byType(got, 'NodeDegraded')).toMatchObject({
      reason: '2 nodes are reporting degraded status on sync',
      message:
        'Node failed is reporting: "failed to drain node: x after 1 hour", Node unrec is reporting: "can\'t reconcile config old with new: x"',
    });
    expect(got.observedGeneration).toBe(7);
    expect(got.configuration).toBeUndefined();
  });

  it('all updated: Updated=True, status.configuration copied from spec, times kept when unchanged', () => {
    const nodes = [node('a', target, target, 'Done'), node('b', target, target, 'Done')];
    const first = calculatePoolStatus(pool(), nodes, { now: NOW });
    expect(first.conditions.map((c) => [c.type, c.status])).toEqual([
      ['Updated', 'True'],
      ['Updating', 'False'],
      ['NodeDegraded', 'False'],
      ['Degraded', 'False'],
    ]);
    expect(first.configuration).toEqual({ name: target, source: [{ name: '00-worker' }] });
    const again = calculatePoolStatus(pool({}, { conditions: first.conditions }), nodes, {
      now: '2031-01-01T00:00:00Z',
    });
    expect(again.conditions).toEqual(first.conditions);
    // A reason-free message change (4.13 format) keeps the time but moves the condition to the end.
    const old = calculatePoolStatus(pool({}, { conditions: first.conditions }), nodes, {
      version: '4.13',
      now: 'later',
    });
    expect(old.conditions.at(-1)).toEqual({
      type: 'Updated',
      status: 'True',
      reason: '',
      message: `All nodes are updated with ${target}`,
      lastTransitionTime: NOW,
    });
  });

  it('RenderDegraded=True makes the pool Degraded with an empty message', () => {
    const renderDegraded = {
      type: 'RenderDegraded',
      status: 'True',
      reason: '',
      message: 'Failed to render configuration for pool worker: no MachineConfigs found matching selector x',
      lastTransitionTime: 'x',
    };
    const got = calculatePoolStatus(pool({}, { conditions: [renderDegraded] }), [node('a', target, target, 'Done')], {
      version: '4.20',
      now: NOW,
    });
    expect(got.conditions[0]).toEqual(renderDegraded);
    expect(byType(got, 'Degraded')).toMatchObject({ status: 'True', message: '' });
    expect(byType(got, 'NodeDegraded').status).toBe('False');
  });

  describe('4.20 MachineConfigNodes', () => {
    const err = 'failed to run command nice (6 tries): podman pull failed';
    const mcn = (name: string, degraded: boolean): MachineConfigNode => ({
      apiVersion: 'machineconfiguration.openshift.io/v1',
      kind: 'MachineConfigNode',
      metadata: { name },
      spec: { node: { name }, pool: { name: 'worker' } },
      status: {
        conditions: [
          { type: 'Updated', status: 'False', reason: 'NotYetOccurred', message: `Node ${name} needs an update` },
          degraded
            ? { type: 'NodeDegraded', status: 'True', reason: 'x', message: `Node ${name} upgrade failure. ${err}` }
            : { type: 'NodeDegraded', status: 'False', reason: 'x', message: `Node ${name} upgrade succeeded` },
        ],
      },
    });
    const nodes = [node('m0', 'old', target, 'Working'), node('m1', 'old', target, 'Degraded', err)];
    const mcns = [mcn('m1', true), mcn('m0', false)];

    it('each degraded node appears twice: MCN message first, then the annotation reason', () => {
      const got = calculatePoolStatus(pool(), nodes, { version: '4.20.1', machineConfigNodes: mcns, now: NOW });
      const message = `Node m1 is reporting: "Node m1 upgrade failure. ${err}", Node m1 is reporting: "${err}"`;
      expect(byType(got, 'NodeDegraded')).toMatchObject({
        status: 'True',
        reason: '1 nodes are reporting degraded status on sync',
        message,
      });
      expect(byType(got, 'Degraded')).toMatchObject({ status: 'True', reason: '', message });
      expect(got.degradedMachineCount).toBe(1);
    });

    it('before 4.20 the MachineConfigNodes are not consulted', () => {
      const got = calculatePoolStatus(pool(), nodes, { version: '4.16', machineConfigNodes: mcns, now: NOW });
      expect(byType(got, 'NodeDegraded').message).toBe(`Node m1 is reporting: "${err}"`);
      expect(byType(got, 'Degraded').message).toBe('');
    });
  });

  it('goQuote escapes like Go %q', () => {
    expect(goQuote('a "b" \\ c\nd\te\x01\x7f é €')).toBe('"a \\"b\\" \\\\ c\\nd\\te\\x01\\x7f é €"');
    expect(goQuote('nbsp\u00a0zw\u200b')).toBe('"nbsp\\u00a0zw\\u200b"');
  });
});

describe('image-mode (layered) pools: MachineOSConfig / MachineOSBuild (status.go release-4.19, 4.20)', () => {
  const target = 'rendered-worker-new';
  const IMAGE =
    'image-registry.openshift-image-registry.svc:5000/openshift-machine-config-operator/os-image@sha256:abc';
  const pool = (conditions: MachineConfigPool['status'] = undefined, paused = false): MachineConfigPool => ({
    apiVersion: 'machineconfiguration.openshift.io/v1',
    kind: 'MachineConfigPool',
    metadata: { name: 'worker', generation: 3 },
    spec: { configuration: { name: target }, paused },
    status: conditions,
  });
  const node = (name: string, ann: Record<string, string>, state = 'Done'): Node => ({
    metadata: {
      name,
      annotations: {
        [NodeAnnotations.currentConfig]: target,
        [NodeAnnotations.desiredConfig]: target,
        [NodeAnnotations.state]: state,
        ...ann,
      },
    },
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
  });
  const onImage = (name: string, image = IMAGE) =>
    node(name, { [NodeAnnotations.currentImage]: image, [NodeAnnotations.desiredImage]: image });
  const mosc = (image = IMAGE): MachineOSConfig => ({
    apiVersion: 'machineconfiguration.openshift.io/v1',
    kind: 'MachineOSConfig',
    metadata: { name: 'worker-mosc' },
    spec: { machineConfigPool: { name: 'worker' } },
    status: { currentImagePullSpec: image },
  });
  const mosb = (state: 'Building' | 'Succeeded' | 'Failed' | 'Prepared', config = target): MachineOSBuild => ({
    apiVersion: 'machineconfiguration.openshift.io/v1',
    kind: 'MachineOSBuild',
    metadata: { name: `worker-${config}-build` },
    spec: { machineConfig: { name: config } },
    status: { conditions: [{ type: state, status: 'True' }] },
  });
  const status = (conds: { type: string; status: string; reason?: string; message?: string }[]) => ({
    conditions: conds,
  });

  it('a node is updated only on the MachineOSConfig image and the build config; the update line names the image', () => {
    const nodes = [
      onImage('on-image'),
      onImage('old-image', `${IMAGE.slice(0, -3)}old`),
      node('no-image', {}),
      node('first-time', { [NodeAnnotations.desiredImage]: IMAGE }, 'Working'),
    ];
    const got = calculatePoolStatus(pool(), nodes, {
      version: '4.20.0',
      now: NOW,
      machineOSConfig: mosc(),
      machineOSBuild: mosb('Succeeded'),
    });
    expect(counts(got)).toEqual({
      machineCount: 4,
      updatedMachineCount: 1,
      readyMachineCount: 1,
      unavailableMachineCount: 1,
      degradedMachineCount: 0,
    });
    expect(byType(got, 'Updating').message).toBe(`All nodes are updating to MachineConfig ${target} / Image ${IMAGE}`);
    expect(byType(got, 'ImageBuildDegraded')).toMatchObject({
      status: 'False',
      reason: 'BuildSuccess',
      message: 'Build completed successfully',
    });
    const all = calculatePoolStatus(pool(), [onImage('a'), onImage('b')], {
      version: '4.20.0',
      now: NOW,
      machineOSConfig: mosc(),
      machineOSBuild: mosb('Succeeded'),
    });
    expect(byType(all, 'Updated').message).toBe(`All nodes are updated with MachineConfig ${target} / Image ${IMAGE}`);
    // A build for another config: not updated, although the node runs the image.
    const other = calculatePoolStatus(pool(), [onImage('a')], {
      version: '4.20.0',
      now: NOW,
      machineOSConfig: mosc(),
      machineOSBuild: mosb('Succeeded', 'rendered-worker-old'),
    });
    expect(other.updatedMachineCount).toBe(0);
  });

  it('a classic pool on 4.19+ does not count a node that still has a desired image annotation', () => {
    const got = calculatePoolStatus(pool(), [node('a', {}), onImage('leaving-layering')], {
      version: '4.20.0',
      now: NOW,
    });
    expect(got.updatedMachineCount).toBe(1);
    expect(byType(got, 'Updating').message).toBe(`All nodes are updating to MachineConfig ${target}`);
  });

  it('Updating while waiting for a build (4.19 and 4.20); a failed build stops it from 4.20', () => {
    const opts = (v: string, b: MachineOSBuild | null) => ({
      version: v,
      now: NOW,
      machineOSConfig: mosc(''),
      machineOSBuild: b,
    });
    const nodes = [node('a', {})];
    for (const v of ['4.19.0', '4.20.0']) {
      expect(byType(calculatePoolStatus(pool(), nodes, opts(v, null)), 'Updating')).toMatchObject({
        status: 'True',
        message: 'Pool is waiting for a new OS image build to start (mosc: worker-mosc)',
      });
      expect(byType(calculatePoolStatus(pool(), nodes, opts(v, mosb('Building'))), 'Updating')).toMatchObject({
        status: 'True',
        message: `Pool is waiting for OS image build to complete (mosb: worker-${target}-build)`,
      });
    }
    expect(byType(calculatePoolStatus(pool(), nodes, opts('4.20.0', mosb('Failed'))), 'Updating')).toMatchObject({
      status: 'False',
      message: `Pool update stopped due to OS image build failure (mosb: worker-${target}-build)`,
    });
    expect(byType(calculatePoolStatus(pool(), nodes, opts('4.19.0', mosb('Failed'))), 'Updating')).toMatchObject({
      status: 'True',
      message: `All nodes are updating to MachineConfig ${target}`,
    });
    // 4.20: a pool degraded for another reason is paused instead.
    const renderDegraded = pool(status([{ type: 'RenderDegraded', status: 'True', message: 'x' }]));
    expect(byType(calculatePoolStatus(renderDegraded, nodes, opts('4.20.0', null)), 'Updating')).toMatchObject({
      status: 'False',
      message: 'Pool update paused due to degraded condition',
    });
    // A paused pool keeps the paused message; before 4.19 the objects are not read at all.
    expect(byType(calculatePoolStatus(pool(undefined, true), nodes, opts('4.20.0', null)), 'Updating').message).toBe(
      `Pool is paused; will not update to MachineConfig ${target}`,
    );
    const old = calculatePoolStatus(pool(), [onImage('a')], opts('4.18.0', mosb('Building')));
    expect(byType(old, 'Updating').message).toBe(`All nodes are updating to MachineConfig ${target}`);
  });

  it('ImageBuildDegraded makes the pool Degraded with "Custom OS image build failed" (4.20), and is cleared', () => {
    const failed = pool(
      status([{ type: 'ImageBuildDegraded', status: 'True', reason: 'BuildFailed', message: 'Failed to build' }]),
    );
    const nodes = [onImage('a')];
    const got = calculatePoolStatus(failed, nodes, {
      version: '4.20.0',
      now: NOW,
      machineOSConfig: mosc(),
      machineOSBuild: mosb('Failed'),
    });
    expect(byType(got, 'Degraded')).toMatchObject({ status: 'True', message: 'Custom OS image build failed' });
    expect(byType(got, 'ImageBuildDegraded')).toMatchObject({ status: 'True', reason: 'BuildFailed' });
    // A node degraded at the same time: its message wins.
    const both = calculatePoolStatus(failed, [node('d', { [NodeAnnotations.reason]: 'boom' }, 'Degraded')], {
      version: '4.20.0',
      now: NOW,
      machineOSConfig: mosc(),
      machineOSBuild: mosb('Failed'),
    });
    expect(byType(both, 'Degraded').message).toBe('Node d is reporting: "boom"');
    const cases: [MachineOSConfig | null, MachineOSBuild | null, string, string][] = [
      [mosc(), mosb('Building'), 'Building', 'New build started'],
      [mosc(), mosb('Prepared'), 'Building', 'New build started'],
      [mosc(), null, 'BuildPending', 'MachineOSConfig updated/created, waiting for MachineOSBuild'],
      [null, null, 'NoLayeredObjects', 'No layered pool objects found, clearing stale build degraded condition'],
    ];
    for (const [c, b, reason, message] of cases) {
      const r = calculatePoolStatus(failed, nodes, {
        version: '4.20.0',
        now: NOW,
        machineOSConfig: c,
        machineOSBuild: b,
      });
      expect(byType(r, 'ImageBuildDegraded')).toMatchObject({ status: 'False', reason, message });
      expect(byType(r, 'Degraded')).toMatchObject({ status: 'False', message: '' });
    }
    // 4.19 does not read ImageBuildDegraded.
    const v419 = calculatePoolStatus(failed, nodes, {
      version: '4.19.0',
      now: NOW,
      machineOSConfig: mosc(),
      machineOSBuild: mosb('Failed'),
    });
    expect(byType(v419, 'Degraded').status).toBe('False');
  });

  it('poolImageBuild picks the MachineOSConfig naming the pool and its build for the pool target', () => {
    const other: MachineOSConfig = {
      ...mosc(),
      metadata: { name: 'infra-mosc' },
      spec: { machineConfigPool: { name: 'infra' } },
    };
    const build = (config: string, moscName = 'worker-mosc'): MachineOSBuild => ({
      ...mosb('Succeeded', config),
      spec: { machineConfig: { name: config }, machineOSConfig: { name: moscName } },
    });
    const builds = [build('rendered-worker-old'), build(target, 'infra-mosc'), build(target)];
    expect(poolImageBuild(pool(), [other, mosc()], builds)).toEqual({
      machineOSConfig: mosc(),
      machineOSBuild: builds[2],
    });
    expect(poolImageBuild(pool(), [other], builds)).toEqual({ machineOSConfig: null, machineOSBuild: null });
    expect(poolImageBuild(pool(), [mosc()], builds.slice(0, 2)).machineOSBuild).toBeNull();
  });

  it('PinnedImageSetsDegraded does not make the pool Degraded in 4.19 and 4.20 (the controller never sets its flag)', () => {
    const pis = pool(status([{ type: 'PinnedImageSetsDegraded', status: 'True', message: 'x' }]));
    for (const v of ['4.19.0', '4.20.0']) {
      const r = calculatePoolStatus(pis, [node('a', {})], { version: v, now: NOW });
      expect(byType(r, 'Degraded').status).toBe('False');
      expect(byType(r, 'PinnedImageSetsDegraded').status).toBe('True');
    }
    // but 4.20 pauses an image-mode pool's Updating for it.
    const r = calculatePoolStatus(pis, [node('a', {})], {
      version: '4.20.0',
      now: NOW,
      machineOSConfig: mosc(),
      machineOSBuild: null,
    });
    expect(byType(r, 'Updating').message).toBe('Pool update paused due to degraded condition');
  });
});
