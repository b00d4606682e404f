// The MCO controllers in-process, on the real store and the real lib/mco: render, first boot, rollout within
// maxUnavailable, pool status, drain. (The full loop with daemons is tested over HTTP in tests/sim-*.test.ts.)
import { afterEach, describe, expect, it } from 'vitest';
import type { MachineConfigPool, Node } from '@/lib/mco/types';
import { miniScenario } from '../scenarios/mini';
import { createStore, type SimStore } from '../store';
import type { KubeObject } from '../types';
import { selectorString, type Controller } from './common';
import { startDrainController } from './drain';
import { maxUnavailable, rolloutCandidates, startNodeController } from './node';
import { startRenderController } from './render';

const running: Controller[] = [];
afterEach(() => {
  for (const c of running.splice(0)) c.stop();
});

function readyNode(
  name: string,
  labels: Record<string, string>,
  annotations: Record<string, string> = {},
  created = '2024-01-01T00:00:00Z',
): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels, annotations, creationTimestamp: created },
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

function load(store: SimStore, opts: { nodes?: Node[] } = {}) {
  const s = miniScenario();
  for (const mc of s.machineConfigs) store.create('machineconfigs', mc as unknown as KubeObject);
  for (const p of s.pools) store.create('machineconfigpools', p as unknown as KubeObject);
  for (const n of opts.nodes ?? s.nodes.map((n) => readyNode(n.metadata.name, n.metadata.labels!)))
    store.create('nodes', n as unknown as KubeObject);
}

async function settle(...cs: Controller[]) {
  for (let i = 0; i < 3; i++) for (const c of cs) await c.idle();
}

const ann = (store: SimStore, node: string, key: string) =>
  store.get('nodes', node)?.metadata.annotations?.[`machineconfiguration.openshift.io/${key}`];
const cond = (pool: any, type: string) => pool?.status?.conditions?.find((c: any) => c.type === type);

describe('render controller', () => {
  it('creates the rendered config, points the pool at it, and records the event', async () => {
    const store = createStore();
    load(store);
    const render = startRenderController({ store, version: '4.16.0' });
    running.push(render);
    await settle(render);
    const pool = store.get('machineconfigpools', 'worker') as any;
    const name = pool.spec.configuration.name;
    expect(name).toMatch(/^rendered-worker-[0-9a-f]{32}$/);
    expect(pool.spec.configuration.source).toEqual(
      ['00-worker', '99-worker-chrony', '99-worker-ssh'].map((n) => ({
        apiVersion: 'machineconfiguration.openshift.io/v1',
        kind: 'MachineConfig',
        name: n,
      })),
    );
    const rendered = store.get('machineconfigs', name)!;
    expect(rendered.metadata.labels).toBeUndefined();
    expect(rendered.metadata.annotations?.['machineconfiguration.openshift.io/release-image-version']).toBe('4.16.0');
    expect(cond(pool, 'RenderDegraded')).toMatchObject({ status: 'False', reason: '', message: '' });
    const events = store.list('events', 'default').filter((e: any) => e.reason === 'RenderedConfigGenerated');
    expect(events.map((e: any) => e.involvedObject.name).sort()).toEqual(['master', 'worker']);
    expect((events[0] as any).message).toMatch(
      /^rendered-(master|worker)-[0-9a-f]{32} successfully generated \(release version: 4\.16\.0, controller version: [0-9a-f]{40}\)$/,
    );
  });

  it('reports a pool that selects nothing, and warns about an empty selector without rendering', async () => {
    const store = createStore();
    load(store);
    store.create('machineconfigpools', {
      apiVersion: 'machineconfiguration.openshift.io/v1',
      kind: 'MachineConfigPool',
      metadata: { name: 'gpu' },
      spec: {
        machineConfigSelector: { matchLabels: { 'machineconfiguration.openshift.io/role': 'gpu' } },
        nodeSelector: { matchLabels: { 'node-role.kubernetes.io/gpu': '' } },
      },
    });
    store.create('machineconfigpools', {
      apiVersion: 'machineconfiguration.openshift.io/v1',
      kind: 'MachineConfigPool',
      metadata: { name: 'everything' },
      spec: { machineConfigSelector: {}, nodeSelector: { matchLabels: { x: 'y' } } },
    });
    const render = startRenderController({ store, version: '4.16.0' });
    running.push(render);
    await settle(render);
    expect(cond(store.get('machineconfigpools', 'gpu'), 'RenderDegraded')).toMatchObject({
      status: 'True',
      message:
        'Failed to render configuration for pool gpu: no MachineConfigs found matching selector machineconfiguration.openshift.io/role=gpu',
    });
    const everything = store.get('machineconfigpools', 'everything') as any;
    expect(everything.spec.configuration).toBeUndefined();
    expect(
      store
        .list('events', 'default')
        .some(
          (e: any) => e.reason === 'SelectingAll' && e.type === 'Warning' && e.involvedObject.name === 'everything',
        ),
    ).toBe(true);
  });

  it('formats selectors as Go labels.Selector does', () => {
    expect(
      selectorString({
        matchExpressions: [{ key: 'role', operator: 'In', values: ['worker', 'infra'] }],
        matchLabels: { a: 'b' },
      }),
    ).toBe('a=b,role in (infra,worker)');
  });
});

describe('node controller', () => {
  it('gives new nodes their first-boot annotations and computes the pool status', async () => {
    const store = createStore();
    load(store);
    const render = startRenderController({ store, version: '4.16.0' });
    const nodes = startNodeController({ store, version: '4.16.0', debounceMs: 5 });
    running.push(render, nodes);
    await settle(render, nodes);
    const target = (store.get('machineconfigpools', 'worker') as any).spec.configuration.name;
    expect(ann(store, 'mini-worker-0', 'currentConfig')).toBe(target);
    expect(ann(store, 'mini-worker-0', 'desiredConfig')).toBe(target);
    expect(ann(store, 'mini-worker-0', 'state')).toBe('Done');
    const pool = store.get('machineconfigpools', 'worker') as any;
    expect(pool.status).toMatchObject({
      machineCount: 2,
      updatedMachineCount: 2,
      readyMachineCount: 2,
      unavailableMachineCount: 0,
      degradedMachineCount: 0,
    });
    expect(pool.status.configuration.name).toBe(target);
    expect(cond(pool, 'Updated')).toMatchObject({
      status: 'True',
      message: `All nodes are updated with MachineConfig ${target}`,
    });
  });

  it('targets at most maxUnavailable nodes, zone first then oldest, and taints the rest', async () => {
    const store = createStore();
    const w = { 'node-role.kubernetes.io/worker': '' };
    const old = {
      'machineconfiguration.openshift.io/currentConfig': 'rendered-worker-old',
      'machineconfiguration.openshift.io/desiredConfig': 'rendered-worker-old',
      'machineconfiguration.openshift.io/state': 'Done',
    };
    load(store, {
      nodes: [
        readyNode('w-c', { ...w, 'topology.kubernetes.io/zone': 'b' }, old, '2024-01-01T00:00:00Z'),
        readyNode('w-b', { ...w, 'topology.kubernetes.io/zone': 'a' }, old, '2024-01-03T00:00:00Z'),
        readyNode('w-a', { ...w, 'topology.kubernetes.io/zone': 'a' }, old, '2024-01-02T00:00:00Z'),
        readyNode('w-d', w, old, '2023-01-01T00:00:00Z'),
      ],
    });
    store.update('machineconfigpools', 'worker', undefined, (p: any) => {
      p.spec.maxUnavailable = '50%';
    });
    const render = startRenderController({ store, version: '4.16.0' });
    const nodes = startNodeController({ store, version: '4.16.0', debounceMs: 5 });
    running.push(render, nodes);
    await settle(render, nodes);
    const target = (store.get('machineconfigpools', 'worker') as any).spec.configuration.name;
    expect(['w-a', 'w-b', 'w-c', 'w-d'].filter((n) => ann(store, n, 'desiredConfig') === target)).toEqual([
      'w-a',
      'w-b',
    ]);
    const taints = (n: string) =>
      ((store.get('nodes', n)!.spec as any)?.taints ?? []).map((t: any) => `${t.key}:${t.effect}`);
    expect(taints('w-c')).toEqual(['UpdateInProgress:PreferNoSchedule']);
    expect(taints('w-a')).toEqual([]);
    const events = store.list('events', 'default').map((e: any) => `${e.reason}: ${e.message}`);
    expect(events).toContain(`Updating: Pool worker now targeting MachineConfig ${target}`);
    expect(events).toContain(`SetDesiredConfig: Set target for 2 nodes to MachineConfig: ${target}`);
    const pool = store.get('machineconfigpools', 'worker') as any;
    expect(cond(pool, 'Updating')).toMatchObject({
      status: 'True',
      message: `All nodes are updating to MachineConfig ${target}`,
    });
    expect(pool.status.unavailableMachineCount).toBe(2);
  });

  it('counts maxUnavailable as an IntOrString and holds a paused pool', () => {
    const pool = (v: unknown, paused = false) =>
      ({
        spec: { maxUnavailable: v, paused, configuration: { name: 'rendered-worker-new' } },
      }) as unknown as MachineConfigPool;
    expect(maxUnavailable(pool(undefined), 10)).toBe(1);
    expect(maxUnavailable(pool(0), 10)).toBe(1);
    expect(maxUnavailable(pool(3), 10)).toBe(3);
    expect(maxUnavailable(pool('25%'), 10)).toBe(2);
    expect(maxUnavailable(pool('5%'), 10)).toBe(1);
    const n = readyNode(
      'w',
      {},
      {
        'machineconfiguration.openshift.io/currentConfig': 'a',
        'machineconfiguration.openshift.io/desiredConfig': 'a',
        'machineconfiguration.openshift.io/state': 'Done',
      },
    );
    expect(rolloutCandidates(pool(1), [n]).map((x) => x.metadata.name)).toEqual(['w']);
    expect(rolloutCandidates(pool(1, true), [n])).toEqual([]);
    const busy = readyNode(
      'v',
      {},
      {
        'machineconfiguration.openshift.io/currentConfig': 'a',
        'machineconfiguration.openshift.io/desiredConfig': 'rendered-worker-new',
        'machineconfiguration.openshift.io/state': 'Working',
      },
    );
    expect(rolloutCandidates(pool(1), [n, busy])).toEqual([]);
  });
});

describe('drain controller', () => {
  it('cordons and drains for drain-X, uncordons for uncordon-X, and records lastAppliedDrain', async () => {
    const store = createStore();
    store.create('nodes', readyNode('w', {}) as unknown as KubeObject);
    const drain = startDrainController({ store, version: '4.16.0', drainMs: 30 });
    running.push(drain);
    const setDesired = (v: string) =>
      store.update('nodes', 'w', undefined, (n: any) => {
        n.metadata.annotations['machineconfiguration.openshift.io/desiredDrain'] = v;
      });
    setDesired('drain-rendered-worker-x');
    expect((store.get('nodes', 'w')!.spec as any).unschedulable).toBe(true);
    expect(ann(store, 'w', 'lastAppliedDrain')).toBeUndefined();
    await drain.idle();
    expect(ann(store, 'w', 'lastAppliedDrain')).toBe('drain-rendered-worker-x');
    const reasons = store.list('events', 'default').map((e: any) => `${e.reason}: ${e.message}`);
    // The Cordon and Drain events are the daemon's (pkg/daemon/drain.go), not the drain controller's.
    expect(reasons).toEqual([]);
    setDesired('uncordon-rendered-worker-x');
    await new Promise((r) => setTimeout(r, 5));
    await drain.idle();
    expect(ann(store, 'w', 'lastAppliedDrain')).toBe('uncordon-rendered-worker-x');
    expect((store.get('nodes', 'w')!.spec as any)?.unschedulable).toBeUndefined();
  });
});
