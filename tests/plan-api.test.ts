// Plan and apply end to end on a 4.20 simulator process, through server/plan (what /api/plan and /api/plan/apply
// run), with the console's cache watching the simulator: a policy.json change reloads crio without drain or reboot
// and the nodes follow the plan's order, a file without policy reboots and drains, an irreconcilable change is
// refused and nothing is written, a paused pool renders and updates nobody, and bad input is a 400 saying where.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanApplyReply, PlanReply } from '../lib/api/types';
import { annotation, clients, MCO, poolSettled, waitFor } from './sim-helpers';
import { MINI, startSim, type SimProcess } from './sim-process';
import { ClusterCache } from '../server/cache';
import { csrfToken } from '../server/auth';
import { readConfig } from '../server/config';
import { errorResponse } from '../server/errors';
import { applyRequest, planRequest } from '../server/plan';

let sim: SimProcess;
let cache: ClusterCache;
let dir: string;
let CSRF = '';
const WORKERS = ['mini-worker-0', 'mini-worker-1'];

function request(path: string, body: unknown, type = 'application/json'): Request {
  return new Request(`http://console.test${path}`, {
    method: 'POST',
    headers: {
      'content-type': type,
      'sec-fetch-site': 'same-origin',
      origin: 'http://127.0.0.1:3000',
      cookie: `plumb-csrf=${CSRF}`,
      'x-csrf-token': CSRF,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** The reply as the route gives it: the JSON body, or the error status and message. */
async function call<T>(
  fn: (req: Request, c: ClusterCache) => Promise<T>,
  req: Request,
): Promise<{ status: number; body: any }> {
  try {
    return { status: 200, body: (await fn(req, cache)) as T };
  } catch (err) {
    const r = errorResponse(err);
    return { status: r.status, body: await r.json() };
  }
}

const pct = (s: string) => 'data:,' + encodeURIComponent(s);
function fileMc(name: string, path: string, text: string, role = 'worker') {
  return {
    apiVersion: 'machineconfiguration.openshift.io/v1',
    kind: 'MachineConfig',
    metadata: { name, labels: { 'machineconfiguration.openshift.io/role': role } },
    spec: {
      config: {
        ignition: { version: '3.4.0' },
        storage: { files: [{ path, mode: 420, overwrite: true, contents: { source: pct(text) } }] },
      },
    },
  };
}

/** Plans, applies, waits for the worker pool to settle on the planned config; returns the plan and the targeting order. */
async function planAndApply(mc: unknown) {
  const plan = await call(planRequest, request('/api/plan', { apply: [mc] }));
  expect(plan.status).toBe(200);
  const p = (plan.body as PlanReply).pools.find((x) => x.pool === 'worker')!;
  const c = clients(sim.kubeConfig());
  const since = Date.now();
  const applied = await call(applyRequest, request('/api/plan/apply', { apply: [mc] }));
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  expect((applied.body as PlanApplyReply).ok).toBe(true);
  const pool = await waitFor(
    'worker settled on the planned config',
    async () => {
      const settled = await poolSettled(c, 'worker');
      return settled?.status.configuration.name === p.newConfig ? settled : undefined;
    },
    40_000,
    100,
  );
  const events = (await c.events('worker'))
    .filter(
      (e: any) =>
        e.reason === 'SetDesiredConfig' &&
        Date.parse(e.lastTimestamp ?? e.eventTime) >= since - 1000 &&
        e.message.includes(p.newConfig!),
    )
    .map((e: any) => /Targeted node (\S+)/.exec(e.message)?.[1]);
  return { plan: plan.body as PlanReply, p, pool, targeted: events };
}

/** Reasons of the node's Events seen since `since` (ms; Event times have second precision). */
async function recentReasons(node: string, since: number): Promise<string[]> {
  const events = await clients(sim.kubeConfig()).events(node);
  return events
    .filter((e: any) => Date.parse(e.lastTimestamp ?? e.eventTime ?? '') >= Math.floor(since / 1000) * 1000)
    .map((e: any) => e.reason);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'plumb-plan-'));
  sim = await startSim([...MINI, '--ocp-version', '4.20.0']);
  await waitFor('worker settled', () => poolSettled(clients(sim.kubeConfig()), 'worker'), 20_000);
  (globalThis as any)[Symbol.for('plumb.config')] = readConfig({
    PLUMB_KUBECONFIG: sim.kubeconfigPath,
  } as unknown as NodeJS.ProcessEnv);
  CSRF = csrfToken(new Request('http://console.test/api/whoami')).token;
  cache = new ClusterCache();
  cache.start();
  await cache.requireConnected(30_000);
  // The operator's policy status, which the plan reads.
  await waitFor('policy status', async () => {
    const mc = (await clients(sim.kubeConfig()).custom.getClusterCustomObject({
      group: 'operator.openshift.io',
      version: 'v1',
      plural: 'machineconfigurations',
      name: 'cluster',
    })) as any;
    return mc?.status?.nodeDisruptionPolicyStatus;
  });
}, 120_000);

afterAll(async () => {
  await cache?.stop();
  await sim?.stop({ removeData: true });
  rmSync(dir, { recursive: true, force: true });
});

describe('plan and apply on a 4.20 simulator', () => {
  it('/etc/containers/policy.json: reload crio, no drain, no reboot; the nodes follow the batches; the render matches', async () => {
    const since = Date.now() - 1000;
    const { p, pool, targeted, plan } = await planAndApply(
      fileMc('99-worker-policy', '/etc/containers/policy.json', '{"default":[{"type":"insecureAcceptAnything"}]}\n'),
    );
    expect(plan.version).toBe('4.20.0');
    expect(p.actions).toEqual([{ type: 'Reload', serviceName: 'crio.service' }]);
    expect([p.drain, p.reboot, p.refused]).toEqual([false, false, null]);
    expect(plan.dryRun).toEqual([
      { operation: 'apply', name: '99-worker-policy', ok: true, message: null, warnings: [] },
    ]);
    expect(p.rollout.batches).toEqual([['mini-worker-0'], ['mini-worker-1']]);
    expect(pool.spec.configuration.name).toBe(p.newConfig);
    expect(targeted).toEqual(p.rollout.batches.flat());
    // The daemon did what the plan said: no drain, no reboot on either worker.
    const c = clients(sim.kubeConfig());
    for (const n of WORKERS) {
      const node = await c.node(n);
      expect(annotation(node, 'currentConfig')).toBe(p.newConfig);
      const reasons = await recentReasons(n, since);
      expect(reasons).toContain('ServiceReload');
      expect(reasons).not.toContain('Drain');
      expect(reasons).not.toContain('Reboot');
    }
  }, 90_000);

  it('a file without policy: reboot and drain', async () => {
    const since = Date.now() - 1000;
    const { p } = await planAndApply(fileMc('99-worker-nopolicy', '/etc/plumb-no-policy.conf', 'x=1\n'));
    for (const n of WORKERS) expect(await recentReasons(n, since)).toEqual(expect.arrayContaining(['Drain', 'Reboot']));
    expect(p.actions).toEqual([{ type: 'Reboot' }]);
    expect([p.drain, p.reboot]).toEqual([true, true]);
    expect(p.summary).toBe('Reboot, drains each node');
  }, 90_000);

  it('an irreconcilable change is refused with the render message, and apply writes nothing', async () => {
    const mc = {
      ...fileMc('99-worker-disk', '/etc/x', 'x'),
      spec: {
        config: { ignition: { version: '3.4.0' }, storage: { disks: [{ device: '/dev/sdb', wipeTable: true }] } },
      },
    };
    const plan = await call(planRequest, request('/api/plan', { apply: [mc] }));
    const p = (plan.body as PlanReply).pools.find((x) => x.pool === 'worker')!;
    expect(p.refused).toMatch(
      /^Failed to render configuration for pool worker: could not generate rendered MachineConfig: reconciliation failed between current config "rendered-worker-[0-9a-f]+" and base config "99-worker-disk": ignition disks section contains changes$/,
    );
    const applied = await call(applyRequest, request('/api/plan/apply', { apply: [mc] }));
    expect(applied.status).toBe(409);
    expect(applied.body.message).toContain('ignition disks section contains changes');
    await expect(clients(sim.kubeConfig()).machineConfig('99-worker-disk')).rejects.toThrow();
  });

  it('a paused pool renders the planned config but updates nobody', async () => {
    const c = clients(sim.kubeConfig());
    await c.custom.patchClusterCustomObject(
      { ...MCO, plural: 'machineconfigpools', name: 'worker', body: { spec: { paused: true } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await waitFor('cache sees the pause', async () => cache.pools.get('worker')?.spec.paused === true);
    const mc = fileMc('99-worker-paused', '/etc/plumb-paused.conf', 'p\n');
    const plan = await call(planRequest, request('/api/plan', { apply: [mc] }));
    const p = (plan.body as PlanReply).pools.find((x) => x.pool === 'worker')!;
    expect(p.rollout.paused).toBe(true);
    expect(p.rollout.batches).toEqual([]);
    const before = await Promise.all(WORKERS.map(async (n) => annotation(await c.node(n), 'desiredConfig')));
    expect((await call(applyRequest, request('/api/plan/apply', { apply: [mc] }))).status).toBe(200);
    await waitFor(
      'pool renders the planned config',
      async () => (await c.pool('worker')).spec.configuration.name === p.newConfig,
    );
    await new Promise((r) => setTimeout(r, 1000));
    expect(await Promise.all(WORKERS.map(async (n) => annotation(await c.node(n), 'desiredConfig')))).toEqual(before);
    await c.custom.patchClusterCustomObject(
      { ...MCO, plural: 'machineconfigpools', name: 'worker', body: { spec: { paused: false } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
  });

  it('says what is wrong and where: malformed YAML, wrong kind, a role that selects no pool', async () => {
    const bad = await call(
      planRequest,
      request('/api/plan', 'kind: MachineConfig\nmetadata: {name: x\n', 'application/yaml'),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^YAML document 1, line \d+ column \d+: /);
    const kind = await call(
      planRequest,
      request('/api/plan', {
        yaml: `${JSON.stringify(fileMc('99-worker-ok', '/etc/ok', 'ok'))}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n`,
      }),
    );
    expect(kind.status).toBe(400);
    expect(kind.body.message).toMatch(
      /^apply\[1\] \(YAML document 2 \(line \d+\)\): kind "ConfigMap" is not MachineConfig/,
    );
    const role = await call(planRequest, request('/api/plan', { apply: [fileMc('99-gpu-x', '/etc/x', 'x', 'gpu')] }));
    expect(role.status).toBe(400);
    expect(role.body.message).toBe(
      'apply[0].metadata.labels: machineconfiguration.openshift.io/role=gpu selects no MachineConfigPool (pools: master, worker)',
    );
  });

  it('the API server validation shows in the dry run (Strict field validation)', async () => {
    const mc = {
      ...fileMc('99-worker-strict', '/etc/strict', 's'),
      spec: { ...fileMc('x', '/etc/strict', 's').spec, bogusField: 1 },
    };
    const plan = await call(planRequest, request('/api/plan', { apply: [mc] }));
    expect(plan.status).toBe(200);
    expect(plan.body.dryRun[0]).toMatchObject({ ok: false, message: expect.stringContaining('bogusField') });
  });
});
