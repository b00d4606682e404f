// The API server through the real @kubernetes/client-node over HTTP (plus raw fetch for edge cases).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import * as k8s from '@kubernetes/client-node';
import { apiError, MCO, pool, startHarness, USERS, type Harness } from './test-harness';

let h: Harness;
let core: k8s.CoreV1Api;
let custom: k8s.CustomObjectsApi;
const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
const strategic = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch);

beforeAll(async () => {
  h = await startHarness();
  core = h.kc().makeApiClient(k8s.CoreV1Api);
  custom = h.kc().makeApiClient(k8s.CustomObjectsApi);
  await core.createNamespace({ body: { metadata: { name: 'openshift-machine-config-operator' } } });
  await core.createNamespace({ body: { metadata: { name: 'default' } } });
  for (const [name, role, ready] of [
    ['master-0', 'master', 'True'],
    ['worker-0', 'worker', 'True'],
    ['worker-1', 'worker', 'False'],
  ])
    await core.createNode({
      body: {
        metadata: { name, labels: { [`node-role.kubernetes.io/${role}`]: '', 'kubernetes.io/os': 'linux' } },
        status: {
          conditions: [{ type: 'Ready', status: ready }],
          nodeInfo: { kubeletVersion: 'v1.29.5' } as k8s.V1NodeSystemInfo,
        },
      },
    });
});
afterAll(() => h?.close());

describe('discovery', () => {
  it('serves /version, /api, /apis and the group-versions with shortNames and CRD verb order', async () => {
    expect((await (await h.fetch('/version', { token: null })).json()).gitVersion).toMatch(/^v1\.29/);
    const api = await (await h.fetch('/api')).json();
    expect(api).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const apis = await (await h.fetch('/apis')).json();
    expect(apis.groups.map((g: any) => g.name)).toEqual([
      'machineconfiguration.openshift.io',
      'operator.openshift.io',
      'authentication.k8s.io',
      'authorization.k8s.io',
      'rbac.authorization.k8s.io',
    ]);
    const v1 = await (await h.fetch('/api/v1')).json();
    const byName = Object.fromEntries(v1.resources.map((r: any) => [r.name, r]));
    expect(byName.nodes.shortNames).toEqual(['no']);
    expect(byName.pods).toMatchObject({ namespaced: true, shortNames: ['po'], categories: ['all'] });
    expect(byName['pods/exec']).toMatchObject({ kind: 'PodExecOptions', verbs: ['create', 'get'] });
    expect(byName.namespaces.shortNames).toEqual(['ns']);
    expect(byName.events.shortNames).toEqual(['ev']);
    const mco = await (await h.fetch('/apis/machineconfiguration.openshift.io/v1')).json();
    const mcp = mco.resources.find((r: any) => r.name === 'machineconfigpools');
    expect(mcp).toMatchObject({ kind: 'MachineConfigPool', namespaced: false, shortNames: ['mcp'] });
    expect(mcp.verbs).toEqual(['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch']);
    expect(mco.resources.find((r: any) => r.name === 'machineconfigpools/status').verbs).toEqual([
      'get',
      'patch',
      'update',
    ]);
    expect(mco.resources.find((r: any) => r.name === 'machineconfigs').shortNames).toEqual(['mc']);
    expect(mco.resources.find((r: any) => r.name === 'machineconfignodes').shortNames).toEqual(['mcn']);
    expect(mco.resources.some((r: any) => r.name === 'machineconfigs/status')).toBe(false);
    const authz = await (await h.fetch('/apis/authorization.k8s.io/v1')).json();
    expect(authz.resources.map((r: any) => r.name)).toEqual([
      'localsubjectaccessreviews',
      'selfsubjectaccessreviews',
      'selfsubjectrulesreviews',
      'subjectaccessreviews',
    ]);
  });

  it('answers 404 Status for OpenAPI and unknown paths, ok for health, always JSON', async () => {
    for (const p of ['/openapi/v2', '/swagger-2.0.0.pb-v1', '/apis/nosuch.io/v1', '/api/v1/widgets', '/nope']) {
      const r = await h.fetch(p);
      expect(r.status, p).toBe(404);
      expect(r.headers.get('content-type')).toBe('application/json');
      expect(await r.json()).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 });
    }
    expect(await (await h.fetch('/healthz', { token: null })).text()).toBe('ok');
    expect(await (await h.fetch('/readyz', { token: null })).text()).toBe('ok');
  });
});

describe('CRUD and Status errors', () => {
  it('creates, reads and lists machineconfigpools through CustomObjectsApi', async () => {
    const created: any = await custom.createClusterCustomObject({
      ...MCO,
      plural: 'machineconfigpools',
      body: pool('worker'),
    });
    expect(created.metadata).toMatchObject({ name: 'worker', generation: 1 });
    expect(created.metadata.uid).toBeTruthy();
    const got: any = await custom.getClusterCustomObject({ ...MCO, plural: 'machineconfigpools', name: 'worker' });
    expect(got.spec.paused).toBe(false);
    const list: any = await custom.listClusterCustomObject({ ...MCO, plural: 'machineconfigpools' });
    expect(list.kind).toBe('MachineConfigPoolList');
    expect(Number(list.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(got.metadata.resourceVersion));
  });

  it('gives NotFound, AlreadyExists, Conflict and Invalid in the real formats', async () => {
    const nf = await apiError(custom.getClusterCustomObject({ ...MCO, plural: 'machineconfigpools', name: 'nosuch' }));
    expect(nf.code).toBe(404);
    expect(nf.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'machineconfigpools.machineconfiguration.openshift.io "nosuch" not found',
      reason: 'NotFound',
      details: { name: 'nosuch', group: 'machineconfiguration.openshift.io', kind: 'machineconfigpools' },
      code: 404,
    });
    const podNf = await apiError(core.readNamespacedPod({ name: 'x', namespace: 'openshift-machine-config-operator' }));
    expect(podNf.body.message).toBe('pods "x" not found');
    expect(podNf.body.details).toEqual({ name: 'x', kind: 'pods' });

    const dup = await apiError(
      custom.createClusterCustomObject({ ...MCO, plural: 'machineconfigpools', body: pool('worker') }),
    );
    expect(dup.code).toBe(409);
    expect(dup.body).toMatchObject({
      reason: 'AlreadyExists',
      message: 'machineconfigpools.machineconfiguration.openshift.io "worker" already exists',
    });

    const current: any = await custom.getClusterCustomObject({ ...MCO, plural: 'machineconfigpools', name: 'worker' });
    const stale = { ...current, metadata: { ...current.metadata, resourceVersion: '1' } };
    const c = await apiError(
      custom.replaceClusterCustomObject({ ...MCO, plural: 'machineconfigpools', name: 'worker', body: stale }),
    );
    expect(c.code).toBe(409);
    expect(c.body.message).toBe(
      'Operation cannot be fulfilled on machineconfigpools.machineconfiguration.openshift.io "worker": the object has been modified; please apply your changes to the latest version and try again',
    );
    expect(c.body.reason).toBe('Conflict');

    const noRv = { ...current, metadata: { ...current.metadata, resourceVersion: undefined } };
    const inv = await apiError(
      custom.replaceClusterCustomObject({ ...MCO, plural: 'machineconfigpools', name: 'worker', body: noRv }),
    );
    expect(inv.code).toBe(422);
    expect(inv.body.message).toBe(
      'MachineConfigPool.machineconfiguration.openshift.io "worker" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
    );
    expect(inv.body.details.causes[0]).toEqual({
      reason: 'FieldValueInvalid',
      message: 'Invalid value: 0x0: must be specified for an update',
      field: 'metadata.resourceVersion',
    });
  });

  it('replaces a CR with the current RV and bumps generation only on spec changes', async () => {
    const cur: any = await custom.getClusterCustomObject({ ...MCO, plural: 'machineconfigpools', name: 'worker' });
    const labelled: any = await custom.replaceClusterCustomObject({
      ...MCO,
      plural: 'machineconfigpools',
      name: 'worker',
      body: { ...cur, metadata: { ...cur.metadata, labels: { ...cur.metadata.labels, extra: 'yes' } } },
    });
    expect(labelled.metadata.generation).toBe(cur.metadata.generation);
    expect(Number(labelled.metadata.resourceVersion)).toBeGreaterThan(Number(cur.metadata.resourceVersion));
    const paused: any = await custom.replaceClusterCustomObject({
      ...MCO,
      plural: 'machineconfigpools',
      name: 'worker',
      body: { ...labelled, spec: { ...labelled.spec, paused: true } },
    });
    expect(paused.metadata.generation).toBe(cur.metadata.generation + 1);
  });

  it('rejects malformed bodies with 400 and oversized ones with 413, and keeps serving', async () => {
    const bad = await h.fetch('/api/v1/namespaces', {
      method: 'POST',
      body: '{"metadata": ',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
    const arr = await h.fetch('/api/v1/namespaces', {
      method: 'POST',
      body: '[1]',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(arr.status).toBe(400);
    const wrongKind = await h.fetch('/api/v1/nodes', {
      method: 'POST',
      body: '{"kind":"Pod","metadata":{"name":"a"}}',
    });
    expect(wrongKind.status).toBe(400);
    const noName = await h.fetch('/api/v1/nodes', { method: 'POST', body: '{"metadata":{}}' });
    expect(noName.status).toBe(422);
    const big = await h.fetch('/api/v1/namespaces', { method: 'POST', body: 'x'.repeat(9 * 1024 * 1024) });
    expect(big.status).toBe(413);
    expect((await big.json()).reason).toBe('RequestEntityTooLarge');
    expect((await h.fetch('/api/v1/nodes')).status).toBe(200);
  });

  it('creates events with generateName and deletes with a DeleteOptions body, returning the object', async () => {
    const ev = await core.createNamespacedEvent({
      namespace: 'openshift-machine-config-operator',
      body: {
        metadata: { generateName: 'worker-0.' },
        involvedObject: { kind: 'Node', name: 'worker-0' },
        reason: 'Test',
        message: 'hello',
        type: 'Normal',
      },
    });
    expect(ev.metadata?.name).toMatch(/^worker-0\..{5}$/);
    const r = await h.fetch(`/api/v1/namespaces/openshift-machine-config-operator/events/${ev.metadata!.name}`, {
      method: 'DELETE',
      body: JSON.stringify({ propagationPolicy: 'Background' }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(r.status).toBe(200);
    const gone = await r.json();
    expect(gone.metadata.name).toBe(ev.metadata!.name);
    expect(Number(gone.metadata.resourceVersion)).toBe(h.store.resourceVersion());
    expect(h.store.get('events', ev.metadata!.name!, 'openshift-machine-config-operator')).toBeUndefined();
  });

  it('refuses a namespaced create in a missing namespace', async () => {
    const e = await apiError(
      core.createNamespacedPod({
        namespace: 'nosuch',
        body: { metadata: { name: 'p' }, spec: { containers: [] } } as any,
      }),
    );
    expect(e.code).toBe(404);
    expect(e.body.message).toBe('namespaces "nosuch" not found');
  });
});

describe('patches', () => {
  it('merge-patches nodes and CRs, json-patches by default (client-node), and validates json patches', async () => {
    const n = await core.patchNode(
      { name: 'worker-0', body: { metadata: { annotations: { a: '1', b: '2' } } } },
      merge,
    );
    expect(n.metadata?.annotations).toEqual({ a: '1', b: '2' });
    const n2 = await core.patchNode({ name: 'worker-0', body: { metadata: { annotations: { a: null } } } }, merge);
    expect(n2.metadata?.annotations).toEqual({ b: '2' });
    // client-node's default Content-Type for patch* is JSON Patch.
    const n3 = await core.patchNode({
      name: 'worker-0',
      body: [{ op: 'add', path: '/metadata/labels/x', value: 'y' }],
    });
    expect(n3.metadata?.labels?.x).toBe('y');
    const failedTest = await apiError(
      core.patchNode({ name: 'worker-0', body: [{ op: 'test', path: '/metadata/labels/x', value: 'z' }] }),
    );
    expect(failedTest.code).toBe(422);
    const unresolvable = await apiError(
      core.patchNode({ name: 'worker-0', body: [{ op: 'replace', path: '/nope/deeper', value: 1 }] }),
    );
    expect(unresolvable.code).toBe(422);
    const malformed = await apiError(core.patchNode({ name: 'worker-0', body: [{ op: 'frobnicate', path: '/a' }] }));
    expect(malformed.code).toBe(400);
    const notArray = await h.fetch('/api/v1/nodes/worker-0', {
      method: 'PATCH',
      body: '{"a":1}',
      headers: { 'Content-Type': 'application/json-patch+json' },
    });
    expect(notArray.status).toBe(400);
    const badJson = await h.fetch('/api/v1/nodes/worker-0', {
      method: 'PATCH',
      body: '{oops',
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    expect(badJson.status).toBe(400);
    const mcp: any = await custom.patchClusterCustomObject(
      { ...MCO, plural: 'machineconfigpools', name: 'worker', body: { spec: { paused: false } } },
      merge,
    );
    expect(mcp.spec.paused).toBe(false);
  });

  it('strategic-merges core kinds by list keys and refuses it for CRs with 415', async () => {
    const node = await core.patchNode(
      {
        name: 'worker-1',
        body: {
          spec: { taints: [{ key: 'k', effect: 'NoSchedule', value: 'v' }] },
          status: { conditions: [{ type: 'Ready', status: 'True' }] },
        },
      },
      strategic,
    );
    expect(node.spec?.taints).toEqual([{ key: 'k', effect: 'NoSchedule', value: 'v' }]);
    // The main endpoint ignores status (nodes have a status subresource).
    expect(node.status?.conditions).toEqual([{ type: 'Ready', status: 'False' }]);
    const st = await h.fetch('/api/v1/nodes/worker-1/status', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/strategic-merge-patch+json' },
      body: JSON.stringify({
        status: {
          conditions: [
            { type: 'MemoryPressure', status: 'False' },
            { type: 'Ready', status: 'True', $patch: 'merge' },
          ],
        },
      }),
    });
    expect(st.status).toBe(200);
    expect((await st.json()).status.conditions).toEqual([
      { type: 'Ready', status: 'True' },
      { type: 'MemoryPressure', status: 'False' },
    ]);
    const e = await apiError(
      custom.patchClusterCustomObject(
        { ...MCO, plural: 'machineconfigpools', name: 'worker', body: { spec: { paused: true } } },
        strategic,
      ),
    );
    expect(e.code).toBe(415);
    expect(e.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
      reason: 'UnsupportedMediaType',
      code: 415,
    });
  });

  it('accepts server-side apply as a create-or-merge', async () => {
    const yaml = 'apiVersion: v1\nkind: Node\nmetadata:\n  name: applied\n  labels:\n    a: "1"\n';
    const apply = (body: string) =>
      h.fetch('/api/v1/nodes/applied?fieldManager=test', {
        method: 'PATCH',
        body,
        headers: { 'Content-Type': 'application/apply-patch+yaml' },
      });
    const first = await apply(yaml);
    expect(first.status).toBe(201);
    const second = await apply(yaml.replace('"1"', '"2"'));
    expect(second.status).toBe(200);
    expect((await second.json()).metadata.labels).toEqual({ a: '2' });
  });

  it('never fails on odd requests: bad escapes, bad watch versions, unknown methods', async () => {
    expect((await h.fetch('/api/v1/nodes/%E0%A4%A')).status).toBe(404);
    expect((await h.fetch('/api/v1/nodes?watch=true&resourceVersion=abc')).status).toBe(400);
    expect((await h.fetch('/api/v1/nodes', { method: 'PUT', body: '{}' })).status).toBe(405);
    expect((await h.fetch('/api/v1/nodes?labelSelector=%3D%3D')).status).toBe(400);
    expect((await h.fetch('/api/v1/nodes')).status).toBe(200);
  });

  it('treats a resourceVersion in a patch as a precondition', async () => {
    const r = await h.fetch('/api/v1/nodes/worker-0', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: JSON.stringify({ metadata: { resourceVersion: '1', labels: { z: '1' } } }),
    });
    expect(r.status).toBe(409);
    expect((await r.json()).reason).toBe('Conflict');
  });
});

describe('machineconfigpool /status subresource', () => {
  it('changes only status through /status, ignores status on the main endpoint, bumps generation on spec', async () => {
    const before: any = await custom.getClusterCustomObject({ ...MCO, plural: 'machineconfigpools', name: 'worker' });
    const st: any = await custom.patchClusterCustomObjectStatus(
      {
        ...MCO,
        plural: 'machineconfigpools',
        name: 'worker',
        body: { spec: { paused: true }, status: { machineCount: 2, observedGeneration: before.metadata.generation } },
      },
      merge,
    );
    expect(st.status.machineCount).toBe(2);
    expect(st.spec.paused).toBe(before.spec.paused);
    expect(st.metadata.generation).toBe(before.metadata.generation);
    const main: any = await custom.patchClusterCustomObject(
      {
        ...MCO,
        plural: 'machineconfigpools',
        name: 'worker',
        body: { spec: { paused: true }, status: { machineCount: 99 } },
      },
      merge,
    );
    expect(main.status.machineCount).toBe(2);
    expect(main.spec.paused).toBe(true);
    expect(main.metadata.generation).toBe(before.metadata.generation + 1);
    const put = await h.fetch('/apis/machineconfiguration.openshift.io/v1/machineconfigpools/worker/status', {
      method: 'PUT',
      body: JSON.stringify({ ...main, spec: { paused: false }, status: { machineCount: 3 } }),
    });
    const putBody = await put.json();
    expect(putBody.status.machineCount).toBe(3);
    expect(putBody.spec.paused).toBe(true);
    // MachineConfigs have no status subresource.
    expect((await h.fetch('/apis/machineconfiguration.openshift.io/v1/machineconfigs/x/status')).status).toBe(404);
  });
});

describe('selectors', () => {
  beforeAll(async () => {
    for (const [name, node, phase, app] of [
      ['mcd-a', 'worker-0', 'Running', 'machine-config-daemon'],
      ['mcd-b', 'worker-1', 'Running', 'machine-config-daemon'],
      ['other', 'worker-0', 'Succeeded', 'other'],
    ])
      await core.createNamespacedPod({
        namespace: 'openshift-machine-config-operator',
        body: {
          metadata: { name, labels: { 'k8s-app': app, tier: name === 'other' ? 'b' : 'a' } },
          spec: { nodeName: node, containers: [{ name: 'c', image: 'i' }] },
          status: { phase },
        },
      });
  });

  it('filters by label selectors', async () => {
    const names = async (labelSelector: string) =>
      (await core.listPodForAllNamespaces({ labelSelector })).items.map((p) => p.metadata!.name).sort();
    expect(await names('k8s-app=machine-config-daemon')).toEqual(['mcd-a', 'mcd-b']);
    expect(await names('k8s-app==other')).toEqual(['other']);
    expect(await names('k8s-app!=other')).toEqual(['mcd-a', 'mcd-b']);
    expect(await names('tier in (b,c)')).toEqual(['other']);
    expect(await names('tier notin (b)')).toEqual(['mcd-a', 'mcd-b']);
    expect(await names('tier,!missing')).toEqual(['mcd-a', 'mcd-b', 'other']);
    expect(await names('missing')).toEqual([]);
    const e = await apiError(core.listPodForAllNamespaces({ labelSelector: 'a in (' }));
    expect(e.code).toBe(400);
  });

  it('filters by field selectors: the MCD pod lookup, phases, events and names', async () => {
    const mcd = await core.listNamespacedPod({
      namespace: 'openshift-machine-config-operator',
      labelSelector: 'k8s-app=machine-config-daemon',
      fieldSelector: 'spec.nodeName=worker-0',
    });
    expect(mcd.items.map((p) => p.metadata!.name)).toEqual(['mcd-a']);
    const running = await core.listPodForAllNamespaces({
      fieldSelector: 'spec.nodeName==worker-0,status.phase!=Succeeded',
    });
    expect(running.items.map((p) => p.metadata!.name)).toEqual(['mcd-a']);
    const nodes = await core.listNode({ fieldSelector: 'metadata.name=worker-1' });
    expect(nodes.items.map((n) => n.metadata!.name)).toEqual(['worker-1']);
    await core.createNamespacedEvent({
      namespace: 'default',
      body: {
        metadata: { name: 'e1' },
        involvedObject: { kind: 'MachineConfigPool', name: 'worker', uid: 'u1' },
        reason: 'R',
        message: 'm',
      },
    });
    // kubectl describe's query: an empty involvedObject.namespace.
    const evs = await h.fetch(
      '/api/v1/events?fieldSelector=' +
        encodeURIComponent(
          'involvedObject.name=worker,involvedObject.namespace=,involvedObject.kind=MachineConfigPool,involvedObject.uid=u1',
        ),
    );
    expect((await evs.json()).items.map((e: any) => e.metadata.name)).toEqual(['e1']);
    const unsupported = await h.fetch('/api/v1/nodes?fieldSelector=spec.bogus%3Dx');
    expect(unsupported.status).toBe(400);
    expect((await unsupported.json()).message).toBe('field label not supported: spec.bogus');
  });
});

describe('tables', () => {
  const TABLE =
    'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

  it('prints machineconfigpools with the CRD columns, humanised ages and metadata rows', async () => {
    await custom.patchClusterCustomObjectStatus(
      {
        ...MCO,
        plural: 'machineconfigpools',
        name: 'worker',
        body: {
          status: {
            configuration: { name: 'rendered-worker-abc' },
            conditions: [
              { type: 'Updated', status: 'True' },
              { type: 'Updating', status: 'False' },
              { type: 'Degraded', status: 'False' },
            ],
            machineCount: 2,
            readyMachineCount: 2,
            updatedMachineCount: 2,
            degradedMachineCount: 0,
          },
        },
      },
      merge,
    );
    const r = await h.fetch('/apis/machineconfiguration.openshift.io/v1/machineconfigpools?limit=500', {
      headers: { Accept: TABLE },
    });
    const t = await r.json();
    expect(t.kind).toBe('Table');
    expect(t.apiVersion).toBe('meta.k8s.io/v1');
    expect(t.metadata.resourceVersion).toBe(String(h.store.resourceVersion()));
    expect(t.columnDefinitions.map((c: any) => c.name.toUpperCase()).join(' ')).toBe(
      'NAME CONFIG UPDATED UPDATING DEGRADED MACHINECOUNT READYMACHINECOUNT UPDATEDMACHINECOUNT DEGRADEDMACHINECOUNT AGE',
    );
    const row = t.rows.find((x: any) => x.cells[0] === 'worker');
    expect(row.cells.slice(0, 9)).toEqual(['worker', 'rendered-worker-abc', 'True', 'False', 'False', 2, 2, 2, 0]);
    expect(row.cells[9]).toMatch(/^\d+s$/);
    expect(row.object).toMatchObject({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { name: 'worker' },
    });

    const one = await (
      await h.fetch('/apis/machineconfiguration.openshift.io/v1/machineconfigpools/worker', {
        headers: { Accept: TABLE },
      })
    ).json();
    expect(one.rows).toHaveLength(1);
    const plain = await (await h.fetch('/apis/machineconfiguration.openshift.io/v1/machineconfigpools/worker')).json();
    expect(plain.kind).toBe('MachineConfigPool');
  });

  it('prints nodes with Status, Roles and Version', async () => {
    const t = await (await h.fetch('/api/v1/nodes', { headers: { Accept: TABLE } })).json();
    expect(t.columnDefinitions.filter((c: any) => c.priority === 0).map((c: any) => c.name)).toEqual([
      'Name',
      'Status',
      'Roles',
      'Age',
      'Version',
    ]);
    const master = t.rows.find((r: any) => r.cells[0] === 'master-0');
    expect(master.cells.slice(0, 3)).toEqual(['master-0', 'Ready', 'master']);
    expect(master.cells[4]).toBe('v1.29.5');
  });
});

describe('authentication and authorization', () => {
  it('answers 401 without a valid token', async () => {
    const r = await h.fetch('/api/v1/nodes', { token: 'wrong' });
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({
      kind: 'Status',
      reason: 'Unauthorized',
      message: 'Unauthorized',
      code: 401,
    });
    const noToken = await h.fetch('/api', { token: null });
    expect(noToken.status).toBe(401);
  });

  it('lets the viewer read but not write, with the real Forbidden message', async () => {
    const viewerCore = h.kc('viewer').makeApiClient(k8s.CoreV1Api);
    const viewerCustom = h.kc('viewer').makeApiClient(k8s.CustomObjectsApi);
    expect((await viewerCore.listNode()).items.length).toBeGreaterThan(0);
    const e = await apiError(
      viewerCustom.patchClusterCustomObject(
        { ...MCO, plural: 'machineconfigpools', name: 'worker', body: { spec: { paused: true } } },
        merge,
      ),
    );
    expect(e.code).toBe(403);
    expect(e.body.message).toBe(
      'machineconfigpools.machineconfiguration.openshift.io "worker" is forbidden: User "viewer" cannot patch resource "machineconfigpools" in API group "machineconfiguration.openshift.io" at the cluster scope',
    );
    const c = await apiError(
      viewerCore.createNamespacedPod({
        namespace: 'openshift-machine-config-operator',
        body: { metadata: { name: 'p' } } as any,
      }),
    );
    expect(c.body.message).toBe(
      'pods is forbidden: User "viewer" cannot create resource "pods" in API group "" in the namespace "openshift-machine-config-operator"',
    );
    const d = await apiError(viewerCore.deleteNode({ name: 'worker-0' }));
    expect(d.code).toBe(403);
    expect(h.store.get('nodes', 'worker-0')).toBeDefined();
  });

  it('answers SelfSubjectAccessReviews from the stored RBAC', async () => {
    const review = (ctx: 'admin' | 'viewer', verb: string, resource: string, subresource?: string) =>
      h
        .kc(ctx)
        .makeApiClient(k8s.AuthorizationV1Api)
        .createSelfSubjectAccessReview({
          body: {
            spec: {
              resourceAttributes: { namespace: 'openshift-machine-config-operator', verb, resource, subresource },
            },
          },
        });
    const exec = await review('viewer', 'create', 'pods', 'exec');
    expect(exec.status?.allowed).toBe(false);
    expect((await review('viewer', 'list', 'pods')).status?.allowed).toBe(true);
    const admin = await review('admin', 'create', 'pods', 'exec');
    expect(admin.status?.allowed).toBe(true);
    expect(admin.status?.reason).toBe(
      'RBAC: allowed by ClusterRoleBinding "cluster-admins" of ClusterRole "cluster-admin" to Group "system:cluster-admins"',
    );
  });
});

describe('kubeconfig', () => {
  it('has admin (current) and viewer contexts with their own tokens, mode 0600', () => {
    expect(statSync(h.kubeconfigPath).mode & 0o777).toBe(0o600);
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(h.kubeconfigPath);
    expect(kc.getCurrentContext()).toBe('admin');
    expect(kc.getContexts().map((c) => c.name)).toEqual(['admin', 'viewer']);
    expect(kc.getCluster('sim')).toMatchObject({ server: h.server.url, skipTLSVerify: true });
    expect(kc.getUser('viewer')?.token).toBe(USERS[1].token);
  });
});
