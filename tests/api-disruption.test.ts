// What the console says a change does to the nodes, against a 4.20 simulator and a console process, over HTTP as the
// browser asks: /api/compare on pairs of rendered configs the simulator rendered (policy.json reloads crio without a
// drain, a file without a policy drains and reboots, an SSH key change does nothing), the node's services since its
// last boot, the restore dialog's policy and a restore that reloads crio through the daemon pod, and the "not yet
// observed" answer once the MachineConfiguration is gone.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionReply, ApiError, CompareReply, NodeReply, PathPolicyReply, WhoAmIReply } from '@/lib/api/types';
import { readJournal, sinceLastBoot } from '../sim/node/journal';
import { startConsole, type ConsoleProcess } from './console-process';
import { clients, MCO, poolSettled, waitFor as waitForProbe } from './sim-helpers';
import { MINI, startSim, type SimProcess } from './sim-process';

let sim: SimProcess;
let con: ConsoleProcess;
let c: ReturnType<typeof clients>;
const WORKER = 'mini-worker-0';
const POLICY_JSON = '/etc/containers/policy.json';
/** Rendered worker configs, in the order they were rendered. */
const rendered: Record<'base' | 'policy' | 'example' | 'ssh', string> = { base: '', policy: '', example: '', ssh: '' };

const waitFor = <T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000) =>
  waitForProbe(what, probe, timeoutMs, 150);

async function call<T>(
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {};
  if (init.method === 'POST') {
    const who = await fetch(`${con.url}/api/whoami`);
    const t = ((await who.json()) as WhoAmIReply).csrfToken;
    Object.assign(headers, {
      'x-csrf-token': t,
      cookie: `plumb-csrf=${t}`,
      origin: con.url,
      'content-type': 'application/json',
    });
  }
  const r = await fetch(`${con.url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await r.text();
  return { status: r.status, body: (text ? JSON.parse(text) : null) as T };
}

async function get<T>(path: string): Promise<T> {
  const r = await call<T>(path);
  if (r.status !== 200) throw new Error(`GET ${path} → ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

const compare = (from: string, to: string) => get<CompareReply>(`/api/compare?from=${from}&to=${to}`);

const pct = (s: string) => 'data:,' + encodeURIComponent(s);
function workerConfig(name: string, config: Record<string, unknown>) {
  return {
    apiVersion: `${MCO.group}/${MCO.version}`,
    kind: 'MachineConfig',
    metadata: { name, labels: { 'machineconfiguration.openshift.io/role': 'worker' } },
    spec: { config: { ignition: { version: '3.4.0' }, ...config } },
  };
}
const fileConfig = (name: string, path: string, text: string) =>
  workerConfig(name, { storage: { files: [{ path, mode: 420, overwrite: true, contents: { source: pct(text) } }] } });

/** Create a MachineConfig and wait for the worker pool to render (and, with `settle`, roll out) a new config. */
async function render(body: Record<string, unknown>, settle = false): Promise<string> {
  const before = (await c.pool('worker')).spec.configuration.name;
  await c.custom.createClusterCustomObject({ ...MCO, plural: 'machineconfigs', body });
  const name = await waitFor('the worker pool to render', async () => {
    const t = (await c.pool('worker')).spec.configuration.name;
    return t !== before && t;
  });
  if (settle)
    await waitFor(
      'the worker pool to roll out',
      async () => (await poolSettled(c, 'worker'))?.spec.configuration.name === name,
    );
  // …and the console to have seen it.
  await waitFor(
    'the console to see the config',
    async () => (await call(`/api/machineconfigs/${name}`)).status === 200,
  );
  return name;
}

beforeAll(async () => {
  sim = await startSim([...MINI, '--ocp-version', '4.20']);
  c = clients(sim.kubeConfig('admin'));
  con = await startConsole({ kubeconfig: sim.kubeconfigPath, context: 'admin' });
  await waitFor('worker settled', () => poolSettled(c, 'worker'));
  rendered.base = (await c.pool('worker')).spec.configuration.name;
  await waitFor('the console to see the pools', async () => (await call('/api/pools')).status === 200);
}, 240_000);

afterAll(async () => {
  await con?.stop();
  await sim?.stop({ removeData: true });
});

describe('compare says what the MCO does (OpenShift 4.20, NodeDisruptionPolicy)', () => {
  it('a policy.json change reloads crio.service on each node, no drain, no reboot', async () => {
    rendered.policy = await render(
      fileConfig('99-worker-policy', POLICY_JSON, '{"default":[{"type":"insecureAcceptAnything"}]}\n'),
      true,
    );
    const r = await compare(rendered.base, rendered.policy);
    expect(r.disruption).toMatchObject({
      status: 'decided',
      mode: 'policy',
      cluster: { version: '4.20', source: 'kubernetes' },
      summary: 'Reload crio.service on each node, no drain, no reboot',
      reboot: false,
      drain: false,
      actions: [{ type: 'Reload', serviceName: 'crio.service' }],
    });
    expect(r.disruption.items).toEqual([
      {
        kind: 'file',
        name: POLICY_JSON,
        change: 'added',
        action: 'Reload crio.service',
        actions: [{ type: 'Reload', serviceName: 'crio.service' }],
        policy: POLICY_JSON,
      },
    ]);
    expect(r.disruption.byPath[POLICY_JSON]).toBe('Reload crio.service');
    expect(r.files.map((f) => f.path)).toContain(POLICY_JSON);
  });

  it('the node page shows the crio reload since the last boot and the last post-config action', async () => {
    const n = await waitFor('the reload on the node page', async () => {
      const r = await get<NodeReply>(`/api/nodes/${WORKER}`);
      return r.services.sinceBoot.some((s) => s.action === 'reload' && s.unit === 'crio.service') && r;
    });
    expect(n.services.sinceBoot[0]).toMatchObject({ action: 'reload', unit: 'crio.service', reason: 'ServiceReload' });
    expect(n.services.lastPostConfigAction).toMatchObject({
      summary: 'Node has reloaded service crio.service',
      source: 'MachineConfigNode',
    });
  });

  it('the restore dialog learns the policy for a path, and a restore with the reload runs it through the daemon pod', async () => {
    const policy = await get<PathPolicyReply>(`/api/nodes/${WORKER}/policy?path=${encodeURIComponent(POLICY_JSON)}`);
    expect(policy).toMatchObject({
      status: 'decided',
      kind: 'file',
      policy: POLICY_JSON,
      sentence: 'the MCO would reload crio.service',
      offer: [{ type: 'Reload', serviceName: 'crio.service' }],
    });
    const proxy = await get<PathPolicyReply>(`/api/nodes/${WORKER}/policy?path=/etc/mco/proxy.env`);
    expect(proxy).toMatchObject({
      policy: null,
      sentence: 'the MCO would reboot the node (no policy for /etc/mco/proxy.env)',
      offer: [],
    });

    writeFileSync(join(sim.dataDir, 'nodes', WORKER, 'rootfs', POLICY_JSON), '{"default":[{"type":"reject"}]}\n');
    const journal = () => sinceLastBoot(readJournal(join(sim.dataDir, 'nodes', WORKER, 'journal.jsonl')));
    const reloadsBefore = journal().filter((e) => e.action === 'reload').length;
    // Only what the policy names may run.
    const wrong = await call<ApiError>(`/api/nodes/${WORKER}/restore`, {
      method: 'POST',
      body: { path: POLICY_JSON, then: [{ type: 'Restart', serviceName: 'kubelet.service' }] },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toContain('names reload crio.service');
    const bad = await call<ApiError>(`/api/nodes/${WORKER}/restore`, {
      method: 'POST',
      body: { path: POLICY_JSON, then: 'reload' },
    });
    expect(bad.status).toBe(400);
    expect(journal().filter((e) => e.action === 'reload').length).toBe(reloadsBefore);

    const ok = await call<ActionReply>(`/api/nodes/${WORKER}/restore`, {
      method: 'POST',
      body: { path: POLICY_JSON, then: policy.offer },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.message).toMatch(
      /^Restored \/etc\/containers\/policy.json on mini-worker-0 .* Then: reload crio.service\.$/,
    );
    const entries = journal();
    expect(entries.filter((e) => e.action === 'reload').length).toBe(reloadsBefore + 1);
    expect(entries[entries.length - 1]).toMatchObject({
      action: 'reload',
      unit: 'crio.service',
      config: rendered.policy,
    });
    const events = await c.events(WORKER);
    expect(events.map((e) => [e.reason, e.message])).toContainEqual([
      'PlumbServiceAction',
      `admin reloaded crio.service on node ${WORKER} through Plumb after restoring ${POLICY_JSON}`,
    ]);
    await waitFor('the node page to list Plumb’s reload', async () => {
      const n = await get<NodeReply>(`/api/nodes/${WORKER}`);
      return n.services.sinceBoot.some((s) => s.reason === 'PlumbServiceAction' && s.unit === 'crio.service');
    });
    await waitFor('the node Done again', async () => (await get<NodeReply>(`/api/nodes/${WORKER}`)).state === 'Done');
  });

  it('a file with no policy: Reboot, drains each node', async () => {
    rendered.example = await render(fileConfig('99-worker-example', '/etc/example.conf', 'one\n'));
    const r = await compare(rendered.policy, rendered.example);
    expect(r.disruption).toMatchObject({
      status: 'decided',
      summary: 'Reboot, drains each node',
      reboot: true,
      drain: true,
      reason: 'no policy for /etc/example.conf',
    });
    expect(r.disruption.byPath['/etc/example.conf']).toBe('Reboot (no policy)');
  });

  it('an SSH key change: None', async () => {
    rendered.ssh = await render(
      workerConfig('99-worker-ssh-another', {
        passwd: {
          users: [{ name: 'core', sshAuthorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKey admin@example'] }],
        },
      }),
    );
    const r = await compare(rendered.example, rendered.ssh);
    expect(r.disruption).toMatchObject({
      status: 'decided',
      summary: 'No action on the nodes, no drain, no reboot',
      reboot: false,
      drain: false,
    });
    expect(r.disruption.items).toEqual([
      {
        kind: 'sshkey',
        name: 'core',
        change: 'changed',
        action: 'None',
        actions: [{ type: 'None' }],
        policy: 'sshkey',
      },
    ]);
  });

  it('without the MachineConfiguration: policies not yet observed, the MCO would wait', async () => {
    await c.custom.deleteClusterCustomObject({
      group: 'operator.openshift.io',
      version: 'v1',
      plural: 'machineconfigurations',
      name: 'cluster',
    });
    const r = await waitFor('the console to see it gone', async () => {
      const x = await compare(rendered.base, rendered.policy);
      return x.disruption.status === 'waiting' && x;
    });
    expect(r.disruption).toMatchObject({
      summary: 'policies not yet observed: the MCO would wait',
      reason: 'NodeDisruptionPolicyStatus was not ready: MachineConfiguration/cluster has not been created yet',
      reboot: null,
      drain: null,
      items: [],
    });
    // The diff itself still answers.
    expect(r.files.map((f) => f.path)).toContain(POLICY_JSON);
    const p = await get<PathPolicyReply>(`/api/nodes/${WORKER}/policy?path=${encodeURIComponent(POLICY_JSON)}`);
    expect(p).toMatchObject({
      status: 'waiting',
      offer: [],
      sentence: 'policies not yet observed: the MCO would wait',
    });
    const refused = await call<ApiError>(`/api/nodes/${WORKER}/restore`, {
      method: 'POST',
      body: { path: POLICY_JSON, then: [{ type: 'Reload', serviceName: 'crio.service' }] },
    });
    expect(refused.status).toBe(409);
  });
});
