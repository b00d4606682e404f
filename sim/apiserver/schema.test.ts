// Field validation, dry runs, list chunking and request limits, over HTTP against an API server in this process,
// plus the pure pieces (CEL rule shapes, duplicate fields, continue tokens).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeContinue, encodeContinue } from './paging';
import { duplicateFields, evalRule } from './validation';
import { pool, startHarness, type Harness } from './test-harness';

const MC_PATH = '/apis/machineconfiguration.openshift.io/v1/machineconfigs';
const MCFG_PATH = '/apis/operator.openshift.io/v1/machineconfigurations';
const mc = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'machineconfiguration.openshift.io/v1',
  kind: 'MachineConfig',
  metadata: { name },
  spec: { config: { ignition: { version: '3.4.0' } }, ...spec },
});

describe('pure pieces', () => {
  it('evaluates the CEL rule shapes of the MachineConfiguration CRD', () => {
    const svc =
      "self.matches('\\\\.(service|socket|device|mount|automount|swap|target|path|timer|snapshot|slice|scope)$')";
    expect(evalRule(svc, 'crio.service')).toBe(true);
    expect(evalRule(svc, 'crio')).toBe(false);
    const reload = "has(self.type) && self.type == 'Reload' ? has(self.reload) : !has(self.reload)";
    expect(evalRule(reload, { type: 'Reload' })).toBe(false);
    expect(evalRule(reload, { type: 'Reload', reload: { serviceName: 'a.service' } })).toBe(true);
    expect(evalRule(reload, { type: 'Drain', reload: {} })).toBe(false);
    const reboot = "self.exists(x, x.type=='Reboot') ? size(self) == 1 : true";
    expect(evalRule(reboot, [{ type: 'Reboot' }, { type: 'Drain' }])).toBe(false);
    expect(evalRule(reboot, [{ type: 'Reboot' }])).toBe(true);
    expect(evalRule('self.?spec.x.hasValue()', {})).toBeUndefined();
  });

  it('finds duplicate fields with their paths', () => {
    expect(duplicateFields('{"spec":{"a":1,"b":[{"x":1,"x":2}],"a":3},"kind":"X"}')).toEqual(['spec.b[0].x', 'spec.a']);
    expect(duplicateFields('{"a":"\\"a\\"","b":1}')).toEqual([]);
  });

  it('round-trips continue tokens and rejects bad ones with 400', () => {
    expect(decodeContinue(encodeContinue(12, 'ns/pod-a'))).toEqual({ rv: 12, start: 'ns/pod-a\u0000' });
    expect(() => decodeContinue('not-a-token')).toThrow(/continue key is not valid/);
    expect(() => decodeContinue(Buffer.from('{"v":"x","rv":1,"start":"a"}').toString('base64url'))).toThrow(
      /encoded version "x"/,
    );
  });
});

describe('over HTTP', () => {
  let h: Harness;
  const post = (path: string, body: unknown, query = '', headers: Record<string, string> = {}) =>
    h.fetch(path + query, {
      method: 'POST',
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', ...headers },
    });

  beforeAll(async () => {
    h = await startHarness({ store: { historySize: 20 } });
    for (let i = 0; i < 5; i++) h.store.create('machineconfigpools', pool(`p${i}`) as any);
    h.store.create('machineconfigurations', {
      apiVersion: 'operator.openshift.io/v1',
      kind: 'MachineConfiguration',
      metadata: { name: 'cluster' },
      spec: {},
    });
  });
  afterAll(() => h?.close());

  it('serves the OpenAPI v3 root and documents with fieldValidation declared on PATCH', async () => {
    const root = await (await h.fetch('/openapi/v3')).json();
    expect(Object.keys(root.paths).sort()).toEqual([
      'api/v1',
      'apis/authorization.k8s.io/v1',
      'apis/machineconfiguration.openshift.io/v1',
      'apis/operator.openshift.io/v1',
      'apis/rbac.authorization.k8s.io/v1',
    ]);
    const url: string = root.paths['apis/machineconfiguration.openshift.io/v1'].serverRelativeURL;
    expect(url).toMatch(/\?hash=[0-9A-F]{128}$/);
    const r = await h.fetch(url);
    expect(r.headers.get('cache-control')).toBe('public, immutable');
    const doc = await r.json();
    const op = doc.paths['/apis/machineconfiguration.openshift.io/v1/machineconfigs/{name}'].patch;
    expect(op['x-kubernetes-group-version-kind']).toEqual({
      group: 'machineconfiguration.openshift.io',
      kind: 'MachineConfig',
      version: 'v1',
    });
    expect(op.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['fieldValidation', 'dryRun']));
    expect(
      doc.components.schemas['io.openshift.machineconfiguration.v1.MachineConfigPool'].properties.spec.properties
        .maxUnavailable['x-kubernetes-int-or-string'],
    ).toBe(true);
    const core = await (await h.fetch(root.paths['api/v1'].serverRelativeURL)).json();
    expect(core.components.schemas['io.k8s.api.core.v1.Node']['x-kubernetes-group-version-kind']).toEqual([
      { group: '', kind: 'Node', version: 'v1' },
    ]);
    expect(
      (await h.fetch('/openapi/v3/apis/machineconfiguration.openshift.io/v1?hash=OLD', { redirect: 'manual' })).status,
    ).toBe(301);
  });

  it('Strict refuses unknown and duplicate fields; Warn stores without them and says so; Ignore is silent', async () => {
    const strict = await post(MC_PATH, mc('s', { foo: 1 }), '?fieldValidation=Strict');
    expect(strict.status).toBe(400);
    expect(await strict.json()).toMatchObject({
      reason: 'BadRequest',
      message: 'strict decoding error: unknown field "spec.foo"',
    });
    const dup = await post(
      MC_PATH,
      '{"apiVersion":"machineconfiguration.openshift.io/v1","kind":"MachineConfig","metadata":{"name":"d","name":"d"}}',
      '?fieldValidation=Strict',
    );
    expect((await dup.json()).message).toBe('strict decoding error: duplicate field "metadata.name"');
    const warn = await post(MC_PATH, mc('w', { foo: 1 }), '', {});
    expect(warn.status).toBe(201);
    expect(warn.headers.get('warning')).toBe('299 - "unknown field \\"spec.foo\\""');
    expect((h.store.get('machineconfigs', 'w') as any).spec.foo).toBeUndefined();
    const ignore = await post(MC_PATH, { ...mc('i'), metadata: { name: 'i', bogus: true } }, '?fieldValidation=Ignore');
    expect(ignore.status).toBe(201);
    expect(ignore.headers.get('warning')).toBeNull();
    // preserve-unknown-fields (spec.config) keeps everything; core kinds are checked against their schemas.
    expect(
      (
        await post(
          MC_PATH,
          mc('p', { config: { ignition: { version: '3.4.0' }, anything: { x: 1 } } }),
          '?fieldValidation=Strict',
        )
      ).status,
    ).toBe(201);
    const node = await post(
      '/api/v1/nodes',
      { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: { unschedulable: true, nope: 1 } },
      '?fieldValidation=Strict',
    );
    expect((await node.json()).message).toBe('strict decoding error: unknown field "spec.nope"');
    expect((await post('/api/v1/nodes', '{"kind":', '')).status).toBe(400);
    expect((await post(MC_PATH, mc('x'), '?fieldValidation=Loud')).status).toBe(400);
  });

  it('checks the CRD: enums, patterns, types, and the nodeDisruptionPolicy rules with the CRD messages', async () => {
    const patch = (body: unknown) =>
      h.fetch(`${MCFG_PATH}/cluster`, {
        method: 'PATCH',
        body: JSON.stringify(body),
        headers: { 'Content-Type': 'application/merge-patch+json' },
      });
    const bad = await patch({ spec: { managementState: 'Sometimes' } });
    expect(bad.status).toBe(422);
    expect((await bad.json()).message).toBe(
      `MachineConfiguration.operator.openshift.io "cluster" is invalid: spec.managementState: Invalid value: "Sometimes": spec.managementState in body should match '^(Managed|Unmanaged|Force|Removed)$'`,
    );
    const svc = await patch({
      spec: {
        nodeDisruptionPolicy: {
          units: [{ name: 'a.service', actions: [{ type: 'Reload', reload: { serviceName: 'crio' } }] }],
        },
      },
    });
    const s = await svc.json();
    expect(svc.status).toBe(422);
    expect(s.details.causes[0]).toMatchObject({
      field: 'spec.nodeDisruptionPolicy.units[0].actions[0].reload.serviceName',
      reason: 'FieldValueInvalid',
    });
    expect(s.message).toContain('Invalid value: "string": Invalid ${SERVICETYPE} in service name.');
    const reboot = await patch({
      spec: { nodeDisruptionPolicy: { files: [{ path: '/etc/x', actions: [{ type: 'Reboot' }, { type: 'Drain' }] }] } },
    });
    expect((await reboot.json()).message).toContain(
      'spec.nodeDisruptionPolicy.files[0].actions: Invalid value: "array": Reboot action can only be specified standalone, as it will override any other actions',
    );
    const enumBad = await patch({
      spec: { nodeDisruptionPolicy: { files: [{ path: '/etc/x', actions: [{ type: 'Explode' }] }] } },
    });
    expect((await enumBad.json()).message).toContain(
      'spec.nodeDisruptionPolicy.files[0].actions[0].type: Unsupported value: "Explode": supported values: "Reboot", "Drain", "Reload", "Restart", "DaemonReload", "None"',
    );
    const typeBad = await h.fetch('/apis/machineconfiguration.openshift.io/v1/machineconfigpools/p0', {
      method: 'PATCH',
      body: '{"spec":{"paused":"yes"}}',
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    expect((await typeBad.json()).message).toContain(
      'spec.paused: Invalid value: "string": spec.paused in body must be of type boolean: "string"',
    );
    const ok = await patch({
      spec: {
        managementState: 'Managed',
        nodeDisruptionPolicy: {
          files: [{ path: '/etc/x', actions: [{ type: 'Reload', reload: { serviceName: 'crio.service' } }] }],
        },
      },
    });
    expect(ok.status).toBe(200);
  });

  it('dryRun=All validates, answers like a write, and stores and emits nothing', async () => {
    const events: unknown[] = [];
    const off = h.store.subscribe((e) => events.push(e));
    const rv = h.store.resourceVersion();
    const c = await post(MC_PATH, mc('dry'), '?dryRun=All');
    expect(c.status).toBe(201);
    const body = await c.json();
    expect(body.metadata).toMatchObject({ name: 'dry', generation: 1 });
    expect(body.metadata.uid).toBeTruthy();
    expect(h.store.get('machineconfigs', 'dry')).toBeUndefined();
    const p = await h.fetch('/apis/machineconfiguration.openshift.io/v1/machineconfigpools/p1?dryRun=All', {
      method: 'PATCH',
      body: '{"spec":{"paused":true}}',
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    expect((await p.json()).spec.paused).toBe(true);
    expect((h.store.get('machineconfigpools', 'p1') as any).spec.paused).toBe(false);
    expect(
      (
        await h.fetch('/apis/machineconfiguration.openshift.io/v1/machineconfigpools/p1?dryRun=All', {
          method: 'DELETE',
        })
      ).status,
    ).toBe(200);
    expect(h.store.get('machineconfigpools', 'p1')).toBeDefined();
    expect((await post(MC_PATH, mc('dry', { foo: 1 }), '?dryRun=All&fieldValidation=Strict')).status).toBe(400);
    expect((await post(MC_PATH, mc('dry'), '?dryRun=Some')).status).toBe(400);
    off();
    expect(events).toEqual([]);
    expect(h.store.resourceVersion()).toBe(rv);
  });

  it('pages lists with limit and continue, from the snapshot of the first page, and 410s an expired token', async () => {
    const path = '/apis/machineconfiguration.openshift.io/v1/machineconfigpools';
    const first = await (await h.fetch(`${path}?limit=2`)).json();
    expect(first.items.map((i: any) => i.metadata.name)).toEqual(['p0', 'p1']);
    expect(first.metadata.remainingItemCount).toBe(3);
    // A pool created after the first page is not in the continued list (it was not there at that RV).
    h.store.create('machineconfigpools', pool('p15') as any);
    const second = await (await h.fetch(`${path}?limit=2&continue=${first.metadata.continue}`)).json();
    expect(second.items.map((i: any) => i.metadata.name)).toEqual(['p2', 'p3']);
    expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    const last = await (await h.fetch(`${path}?limit=2&continue=${second.metadata.continue}`)).json();
    expect(last.items.map((i: any) => i.metadata.name)).toEqual(['p4']);
    expect(last.metadata.continue).toBeUndefined();
    for (let i = 0; i < 30; i++)
      h.store.update('machineconfigpools', 'p0', undefined, (o: any) => void (o.spec.maxUnavailable = i + 1));
    const old = await h.fetch(`${path}?limit=2&continue=${first.metadata.continue}`);
    expect(old.status).toBe(410);
    const st = await old.json();
    expect(st).toMatchObject({ reason: 'Expired', code: 410 });
    expect(st.message).toMatch(/^The provided continue parameter is too old to display a consistent list result/);
    expect(st.metadata.continue).toBeTruthy();
    expect((await h.fetch(`${path}?limit=2&continue=garbage`)).status).toBe(400);
  });

  it('takes 1 MiB of headers and 3 MiB of body, and refuses more', async () => {
    const big = 'x'.repeat(900 * 1024);
    expect((await h.fetch('/api/v1/nodes', { headers: { 'X-Big': big } })).status).toBe(200);
    expect((await h.fetch('/api/v1/nodes', { headers: { 'X-Big': big + big } })).status).toBe(431);
    const files = Array.from({ length: 2000 }, (_, i) => ({
      path: `/etc/f${i}`,
      contents: { source: 'data:,' + 'a'.repeat(1000) },
    }));
    const body = mc('big', { config: { ignition: { version: '3.4.0' }, storage: { files } } });
    expect((await post(MC_PATH, body)).status).toBe(201);
    const tooBig = await post(
      MC_PATH,
      mc('huge', { config: { ignition: { version: '3.4.0' }, pad: 'a'.repeat(3 * 1024 * 1024) } }),
    );
    expect(tooBig.status).toBe(413);
    expect(await tooBig.json()).toMatchObject({
      reason: 'RequestEntityTooLarge',
      message: 'Request entity too large: limit is 3145728',
    });
  });
});
