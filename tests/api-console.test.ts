// The console's /api against a real simulator process, over HTTP, as the browser uses it. One simulator and two
// consoles (one taking each user's token from a header, one read-only on the kubeconfig identity) for the file.
import { appendFileSync, chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ActionReply,
  ApiError,
  DriftReply,
  FileReply,
  MachineConfigReply,
  MachineConfigsReply,
  NodeReply,
  PoolReply,
  PoolsReply,
  WhoAmIReply,
} from '@/lib/api/types';
import { startConsole, type ConsoleProcess } from './console-process';
import { fileMachineConfig, MCO, waitFor as waitForProbe } from './sim-helpers';
import { FAST_NODES, MINI, startSim, type SimProcess } from './sim-process';

const HEADER = 'X-Plumb-Test-Token';
const MCO_NS = 'openshift-machine-config-operator';

let sim: SimProcess;
let con: ConsoleProcess;
let ro: ConsoleProcess;
let adminToken = '';
let viewerToken = '';
let worker = '';
let master = '';

/** The console reacts through the cluster's watches: allow more time than a bare simulator test needs. */
const waitFor = <T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000) =>
  waitForProbe(what, probe, timeoutMs, 150);

interface CallOpts {
  token?: string | null;
  method?: string;
  body?: unknown;
  base?: string;
  csrf?: boolean;
  origin?: string | null;
}

const csrfByBase = new Map<string, string>();

async function call<T>(path: string, opts: CallOpts = {}): Promise<{ status: number; body: T }> {
  const base = opts.base ?? con.url;
  const headers: Record<string, string> = {};
  const token = opts.token === undefined ? adminToken : opts.token;
  if (token) headers[HEADER] = token;
  if (opts.method && opts.method !== 'GET') {
    if (opts.csrf !== false) {
      let t = csrfByBase.get(base);
      if (!t) {
        const r = await fetch(`${base}/api/whoami`, { headers });
        t = ((await r.json()) as WhoAmIReply).csrfToken;
        expect(r.headers.get('set-cookie')).toContain(`plumb-csrf=${t}`);
        csrfByBase.set(base, t);
      }
      headers['x-csrf-token'] = t;
      headers.cookie = `plumb-csrf=${t}`;
    }
    if (opts.origin !== null) headers.origin = opts.origin ?? base;
    headers['content-type'] = 'application/json';
  }
  const r = await fetch(`${base}${path}`, {
    method: opts.method ?? 'GET',
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await r.text();
  return { status: r.status, body: (text ? JSON.parse(text) : null) as T };
}

async function get<T>(path: string, opts: CallOpts = {}): Promise<T> {
  const r = await call<T>(path, opts);
  if (r.status !== 200) throw new Error(`GET ${path} → ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

const rootfs = (node: string, p: string) => join(sim.dataDir, 'nodes', node, 'rootfs', p);

async function nodeState(node: string) {
  return get<NodeReply>(`/api/nodes/${node}`);
}

/** A stream of SSE events from /api/stream. */
async function openStream(base: string, token: string | null = adminToken) {
  const ctl = new AbortController();
  const res = await fetch(`${base}/api/stream`, { signal: ctl.signal, headers: token ? { [HEADER]: token } : {} });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const events: { event: string; data: any }[] = [];
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let buf = '';
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buf += dec.decode(value, { stream: true });
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
        }
      }
    } catch {
      // aborted
    }
  })();
  return { events, close: () => ctl.abort() };
}

beforeAll(async () => {
  sim = await startSim(MINI);
  adminToken = sim.kubeConfig('admin').getCurrentUser()!.token!;
  viewerToken = sim.kubeConfig('viewer').getCurrentUser()!.token!;
  [con, ro] = await Promise.all([
    startConsole({ kubeconfig: sim.kubeconfigPath, userHeader: HEADER }),
    startConsole({ kubeconfig: sim.kubeconfigPath, readOnly: true }),
  ]);
  const pools = await waitFor('the console to see the pools', async () => {
    const r = await call<PoolsReply>('/api/pools');
    return r.status === 200 && r.body.pools.length >= 2 && r.body;
  });
  expect(pools.pools.map((p) => p.name)).toEqual(expect.arrayContaining(['master', 'worker']));
  const workerPool = await get<PoolReply>('/api/pools/worker');
  worker = workerPool.nodes[0].name;
  master = (await get<PoolReply>('/api/pools/master')).nodes[0].name;
}, 240_000);

afterAll(async () => {
  await Promise.all([con?.stop(), ro?.stop()]);
  await sim?.stop({ removeData: true });
});

describe('browsing', () => {
  it('lists pools with their counts and the pool page lists its nodes', async () => {
    const { pools, attention } = await get<PoolsReply>('/api/pools');
    const w = pools.find((p) => p.name === 'worker')!;
    expect(w.machineCount).toBeGreaterThanOrEqual(2);
    expect(w.renderedConfig).toMatch(/^rendered-worker-[0-9a-f]{32}$/);
    expect(w.conditions.find((c) => c.type === 'Updated')?.status).toBe('True');
    expect(attention).toEqual([]);
    const pool = await get<PoolReply>('/api/pools/worker');
    expect(pool.nodes.length).toBe(w.machineCount);
    expect(pool.nodes[0]).toMatchObject({ state: 'Done', currentConfig: w.renderedConfig, ready: true });
    expect(pool.sources.length).toBeGreaterThan(0);
    expect(pool.selectors.nodeSelector).toBeTruthy();
  });

  it('shows a node with decoded annotations', async () => {
    const n = await nodeState(worker);
    expect(n.pool).toBe('worker');
    expect(n.annotations.state).toBe('Done');
    expect(n.annotations.currentConfig).toBe(n.currentConfig);
    expect(n.explanation.kind).toBe('none');
    expect(n.nodeInfo.kubeletVersion).toMatch(/^v1\./);
  });

  it('lists machine configs, decodes one with attribution, and compares two', async () => {
    const { machineConfigs } = await get<MachineConfigsReply>('/api/machineconfigs');
    const rendered = machineConfigs.find((m) => m.rendered && m.pool === 'worker')!;
    expect(rendered).toBeTruthy();
    const mc = await get<MachineConfigReply>(`/api/machineconfigs/${rendered.name}`);
    const proxy = mc.files.find((f) => f.path === '/etc/mco/proxy.env')!;
    expect(proxy.text).toBeTypeOf('string');
    expect(proxy.source).toBeTruthy();
    expect(mc.sources).toContain(proxy.source);
    const masterRendered = machineConfigs.find((m) => m.rendered && m.pool === 'master')!;
    const diff = await get<any>(`/api/compare?from=${masterRendered.name}&to=${rendered.name}`);
    expect(diff.from).toBe(masterRendered.name);
    expect(Array.isArray(diff.files)).toBe(true);
    expect((await call<ApiError>('/api/compare?from=nope&to=' + rendered.name)).status).toBe(404);
    expect((await call<ApiError>('/api/machineconfigs/Not_A_Name')).status).toBe(400);
  });

  it('answers unknown things with JSON errors', async () => {
    expect(await call<ApiError>('/api/nodes/no-such-node')).toMatchObject({
      status: 404,
      body: { error: 'not_found' },
    });
    expect(await call<ApiError>('/api/nodes/no-such-node/drift')).toMatchObject({
      status: 404,
      body: { error: 'not_found' },
    });
    expect(await call<ApiError>('/api/pools/no-such-pool')).toMatchObject({
      status: 404,
      body: { error: 'not_found' },
    });
    expect(await call<ApiError>('/api/no/such/endpoint')).toMatchObject({ status: 404, body: { error: 'not_found' } });
  });
});

describe('the seed case: drift, file view, restore, force reconcile', () => {
  let second = '';

  it('reports a drifted worker with both drifted files', async () => {
    const clean = await get<DriftReply>(`/api/nodes/${worker}/drift`);
    expect(clean.files.length).toBeGreaterThan(2);
    expect(clean.files.every((f) => f.status === 'ok')).toBe(true);
    second = clean.files.find(
      (f) => f.kind === 'file' && f.path !== '/etc/mco/proxy.env' && f.expectedMode === 0o644,
    )!.path;

    const stream = await openStream(con.url);
    appendFileSync(rootfs(worker, '/etc/mco/proxy.env'), 'HTTPS_PROXY=http://intercept.example:3128\n');
    chmodSync(rootfs(worker, second), 0o666);
    // The monitor's bare reason is replaced within seconds by the preflight retry's wrapped one, which stays.
    const n = await waitFor(
      'the worker to be Degraded',
      async () => {
        const s = await nodeState(worker);
        return s.state === 'Degraded' && s.reason.startsWith('unexpected on-disk state') && s;
      },
      20_000,
    );
    expect(n.reason).toBe(
      `unexpected on-disk state validating against ${n.currentConfig}: content mismatch for file "/etc/mco/proxy.env"`,
    );
    expect(n.explanation).toMatchObject({ kind: 'content', path: '/etc/mco/proxy.env' });
    expect(n.events.some((e) => e.reason === 'ConfigDriftDetected')).toBe(true);
    await waitFor('a change notice for the node', async () =>
      stream.events.some((e) => e.event === 'change' && e.data.kind === 'Node' && e.data.name === worker),
    );
    expect(stream.events[0]).toEqual({ event: 'status', data: { connected: true, message: null } });
    stream.close();

    const { attention } = await get<PoolsReply>('/api/pools');
    expect(attention).toEqual([expect.objectContaining({ node: worker, pool: 'worker', state: 'Degraded' })]);

    const drift = await get<DriftReply>(`/api/nodes/${worker}/drift`);
    expect(drift.config).toBe(n.currentConfig);
    const bad = drift.files.filter((f) => f.status !== 'ok');
    expect(bad.map((f) => [f.path, f.status])).toEqual(
      expect.arrayContaining([
        ['/etc/mco/proxy.env', 'content'],
        [second, 'mode'],
      ]),
    );
    expect(bad).toHaveLength(2);
    expect(bad.find((f) => f.path === second)!.reason).toBe(
      `mode mismatch for file: "${second}"; expected: -rw-r--r--/420/0644; received: -rw-rw-rw-/438/0666`,
    );
  });

  it('shows expected against actual for a drifted file', async () => {
    const f = await get<FileReply>(`/api/nodes/${worker}/files?path=${encodeURIComponent('/etc/mco/proxy.env')}`);
    expect(f.status).toBe('content');
    expect(f.actual!.text).toContain('intercept.example');
    expect(f.expected.text).not.toContain('intercept.example');
    expect(f.actual!.text!.startsWith(f.expected.text!)).toBe(true);
    expect(f.expected.mode).toBe(0o644);
    expect(f.actual!.size).toBe(statSync(rootfs(worker, '/etc/mco/proxy.env')).size);
  });

  it('restores both files and the node returns to Done without a reboot', async () => {
    const before = await nodeState(worker);
    const rebootsBefore = before.events.filter((e) => e.reason === 'Reboot').reduce((n, e) => n + e.count, 0);
    for (const path of ['/etc/mco/proxy.env', second]) {
      const r = await call<ActionReply>(`/api/nodes/${worker}/restore`, { method: 'POST', body: { path } });
      expect(r.status).toBe(200);
      expect(r.body.ok).toBe(true);
    }
    const expected = await get<FileReply>(
      `/api/nodes/${worker}/files?path=${encodeURIComponent('/etc/mco/proxy.env')}`,
    );
    expect(readFileSync(rootfs(worker, '/etc/mco/proxy.env'), 'utf8')).toBe(expected.expected.text);
    expect(statSync(rootfs(worker, second)).mode & 0o777).toBe(0o644);
    const done = await waitFor('the worker to be Done', async () => {
      const s = await nodeState(worker);
      return s.state === 'Done' && s;
    });
    expect(done.reason).toBe('');
    expect(done.events.filter((e) => e.reason === 'Reboot').reduce((n, e) => n + e.count, 0)).toBe(rebootsBefore);
    const audit = await waitFor('the audit event', async () =>
      (await nodeState(worker)).events.find(
        (e) => e.reason === 'PlumbRestoreFile' && e.message.includes('/etc/mco/proxy.env'),
      ),
    );
    expect(audit.message).toMatch(/restored \/etc\/mco\/proxy\.env on node/);
    const drift = await get<DriftReply>(`/api/nodes/${worker}/drift`);
    expect(drift.files.every((f) => f.status === 'ok')).toBe(true);
  });

  it('force reconcile reboots the drifted node back to Done', async () => {
    appendFileSync(rootfs(worker, '/etc/mco/proxy.env'), 'NO_PROXY=*\n');
    await waitFor('Degraded again', async () => (await nodeState(worker)).state === 'Degraded');
    const unconfirmed = await call<ApiError>(`/api/nodes/${worker}/force-reconcile`, {
      method: 'POST',
      body: { confirm: 'other' },
    });
    expect(unconfirmed).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    const r = await call<ActionReply>(`/api/nodes/${worker}/force-reconcile`, {
      method: 'POST',
      body: { confirm: worker },
    });
    expect(r.status).toBe(202);
    expect(r.body.ok).toBe(true);
    const done = await waitFor(
      'Done after a reboot',
      async () => {
        const s = await nodeState(worker);
        return s.state === 'Done' && s.events.some((e) => e.reason === 'Reboot') && s;
      },
      30_000,
    );
    expect(done.events.some((e) => e.reason === 'PlumbForceReconcile')).toBe(true);
    const f = await get<FileReply>(`/api/nodes/${worker}/files?path=${encodeURIComponent('/etc/mco/proxy.env')}`);
    expect(f.status).toBe('ok');
  });
});

describe('sensitive files', () => {
  it('withholds the contents of a 0600 file unless revealed by someone who may read secrets', async () => {
    const secret = 'token=plumb-test-secret\n';
    const custom = sim.kubeConfig('admin').makeApiClient(k8s.CustomObjectsApi);
    const before = (await get<PoolReply>('/api/pools/worker')).pool.targetConfig;
    await custom.createClusterCustomObject({
      ...MCO,
      plural: 'machineconfigs',
      body: fileMachineConfig('99-worker-plumb-secret', 'worker', [
        { path: '/etc/plumb/credentials', mode: 384, source: 'data:,' + encodeURIComponent(secret) },
      ]),
    });
    await waitFor(
      'the workers to run the new rendered config',
      async () => {
        const p = await get<PoolReply>('/api/pools/worker');
        return (
          p.pool.targetConfig !== before &&
          p.nodes.every((n) => n.state === 'Done' && n.currentConfig === p.pool.targetConfig)
        );
      },
      60_000,
    );
    const path = `/api/nodes/${worker}/files?path=${encodeURIComponent('/etc/plumb/credentials')}`;
    const hidden = await get<FileReply>(path);
    expect(hidden).toMatchObject({ sensitive: true, status: 'ok' });
    expect(hidden.expected).toMatchObject({ text: null, redacted: true, mode: 384 });
    expect(hidden.actual).toMatchObject({ text: null, redacted: true, mode: 384 });
    expect(JSON.stringify(hidden)).not.toContain('plumb-test-secret');
    const shown = await get<FileReply>(`${path}&reveal=1`);
    expect(shown.actual!.text).toBe(secret);
    const drift = await get<DriftReply>(`/api/nodes/${worker}/drift`);
    expect(drift.files.find((f) => f.path === '/etc/plumb/credentials')).toMatchObject({
      sensitive: true,
      status: 'ok',
    });
    const mc = await get<MachineConfigReply>(`/api/machineconfigs/99-worker-plumb-secret`);
    expect(mc.files[0]).toMatchObject({ sensitive: true, text: null });
    // The YAML view withholds it too.
    expect(mc.yaml).toContain('sensitive%20content%20withheld');
  }, 90_000);
});

describe('who may act', () => {
  it('tells the admin everything is allowed', async () => {
    const me = await get<WhoAmIReply>('/api/whoami');
    expect(me.can).toEqual({ forceReconcile: true, restoreFile: true, pausePool: true, revealSensitive: true });
    expect(me.readOnly).toBe(false);
    expect(me.csrfToken).toMatch(/^[0-9a-f]{64}$/);
    // No Infrastructure object in the simulator: the kubeconfig's cluster entry names it.
    expect(me.cluster).toMatchObject({ name: 'sim' });
  });

  it('refuses every action to the viewer, with the reason', async () => {
    const me = await get<WhoAmIReply>('/api/whoami', { token: viewerToken });
    // The simulator's viewer is a cluster-reader: it reads nodes, pools and configs, but no secrets and no exec.
    expect(me.can).toEqual({ forceReconcile: false, restoreFile: false, pausePool: false, revealSensitive: false });
    expect(me.user).toBe('viewer');
    expect(me.why.revealSensitive).toContain('get secrets in namespace openshift-config');
    expect(me.why.forceReconcile).toContain('pods/exec');
    expect(me.why.pausePool).toContain('patch machineconfigpools');
    for (const [path, body] of [
      [`/api/nodes/${worker}/force-reconcile`, { confirm: worker }],
      [`/api/nodes/${worker}/restore`, { path: '/etc/mco/proxy.env' }],
      ['/api/pools/worker/pause', { paused: true }],
    ] as const) {
      const r = await call<ApiError>(path, { method: 'POST', body, token: viewerToken });
      expect(r, path).toMatchObject({ status: 403, body: { error: 'forbidden' } });
      expect(r.body.message.length).toBeGreaterThan(10);
    }
    // The viewer cannot exec, so cannot read node files either.
    expect((await call<ApiError>(`/api/nodes/${worker}/drift`, { token: viewerToken })).status).toBe(403);
    expect((await get<PoolReply>('/api/pools/worker', { token: viewerToken })).pool.paused).toBe(false);
  });

  it('without a token the console expected, nobody may read or act', async () => {
    expect(await call<ApiError>('/api/whoami', { token: null })).toMatchObject({
      status: 401,
      body: { error: 'unauthorized' },
    });
    const r = await call<ApiError>('/api/pools/worker/pause', {
      method: 'POST',
      body: { paused: true },
      token: null,
      csrf: false,
    });
    expect(r.status).toBeGreaterThanOrEqual(401);
    expect(r.status).toBeLessThanOrEqual(403);
  });

  it('refuses actions without the CSRF token or from another origin', async () => {
    const noCsrf = await call<ApiError>('/api/pools/worker/pause', {
      method: 'POST',
      body: { paused: true },
      csrf: false,
    });
    expect(noCsrf).toMatchObject({ status: 403, body: { error: 'csrf' } });
    const foreign = await call<ApiError>('/api/pools/worker/pause', {
      method: 'POST',
      body: { paused: true },
      origin: 'http://evil.example',
    });
    expect(foreign).toMatchObject({ status: 403, body: { error: 'csrf' } });
    const noOrigin = await call<ApiError>('/api/pools/worker/pause', {
      method: 'POST',
      body: { paused: true },
      origin: null,
    });
    expect(noOrigin).toMatchObject({ status: 403, body: { error: 'csrf' } });
  });

  it('the read-only console browses but refuses every action', async () => {
    const me = await get<WhoAmIReply>('/api/whoami', { base: ro.url, token: null });
    expect(me.readOnly).toBe(true);
    expect(me.user).toBe(sim.kubeConfig('admin').getCurrentUser()!.name);
    expect(me.can.pausePool).toBe(false);
    expect((await get<PoolsReply>('/api/pools', { base: ro.url, token: null })).pools.length).toBeGreaterThan(0);
    const r = await call<ApiError>('/api/pools/worker/pause', {
      method: 'POST',
      body: { paused: true },
      base: ro.url,
      token: null,
    });
    expect(r).toMatchObject({ status: 403, body: { error: 'read_only' } });
  });

  it('pauses and resumes a pool, recording who did it', async () => {
    const custom = sim.kubeConfig('admin').makeApiClient(k8s.CustomObjectsApi);
    const read = async () =>
      (await custom.getClusterCustomObject({
        group: 'machineconfiguration.openshift.io',
        version: 'v1',
        plural: 'machineconfigpools',
        name: 'worker',
      })) as any;
    expect(
      (await call<ActionReply>('/api/pools/worker/pause', { method: 'POST', body: { paused: true } })).status,
    ).toBe(200);
    expect((await read()).spec.paused).toBe(true);
    await waitFor('the pool page to show paused', async () => (await get<PoolReply>('/api/pools/worker')).pool.paused);
    const ev = await waitFor('the audit event', async () =>
      (await get<PoolReply>('/api/pools/worker')).events.find((e) => e.reason === 'PlumbPausePool'),
    );
    expect(ev.message).toContain('paused');
    expect(
      (await call<ActionReply>('/api/pools/worker/pause', { method: 'POST', body: { paused: false } })).status,
    ).toBe(200);
    expect((await read()).spec.paused).toBe(false);
    expect(await call<ApiError>('/api/pools/worker/pause', { method: 'POST', body: { paused: 'yes' } })).toMatchObject({
      status: 400,
    });
  });
});

describe('bad input', () => {
  it('refuses bad paths', async () => {
    const file = (p: string) => call<ApiError>(`/api/nodes/${worker}/files?path=${encodeURIComponent(p)}`);
    expect(await file('/etc/mco/../passwd')).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    expect(await file('etc/mco/proxy.env')).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    expect(await file('/etc/mco/proxy.env\0')).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    expect(await file('/etc/shadow')).toMatchObject({ status: 404, body: { error: 'not_found' } });
    const restore = (path: unknown) =>
      call<ApiError>(`/api/nodes/${worker}/restore`, { method: 'POST', body: { path } });
    expect(await restore('/etc/../etc/shadow')).toMatchObject({ status: 400 });
    expect(await restore('/etc/shadow')).toMatchObject({ status: 404 });
    expect(await restore(42)).toMatchObject({ status: 400 });
    expect(await call<ApiError>('/api/nodes/Bad_Name/drift')).toMatchObject({ status: 400 });
  });

  it('refuses an oversized body', async () => {
    const r = await call<ApiError>(`/api/nodes/${worker}/restore`, {
      method: 'POST',
      body: { path: '/x', pad: 'x'.repeat(40_000) },
    });
    expect(r).toMatchObject({ status: 400, body: { error: 'bad_request' } });
  });

  it('says node_unreachable for a node without a daemon pod', async () => {
    const core = sim.kubeConfig('admin').makeApiClient(k8s.CoreV1Api);
    const pods = await core.listNamespacedPod({ namespace: MCO_NS, fieldSelector: `spec.nodeName=${master}` });
    for (const p of pods.items) await core.deleteNamespacedPod({ namespace: MCO_NS, name: p.metadata!.name! });
    const r = await waitFor('node_unreachable', async () => {
      const x = await call<ApiError>(`/api/nodes/${master}/drift`);
      return x.status === 502 && x;
    });
    expect(r.body.error).toBe('node_unreachable');
    expect(r.body.message).toContain('machine-config-daemon');
  });
});

describe('the cluster going away', () => {
  it('answers 503 while the cluster is down and recovers by itself', async () => {
    const stream = await openStream(con.url);
    const port = new URL(sim.url).port;
    const dataDir = sim.dataDir;
    await sim.stop();
    const down = await waitFor('503', async () => {
      const r = await call<ApiError>('/api/pools');
      return r.status === 503 && r;
    });
    expect(down.body.error).toBe('cluster_unreachable');
    await waitFor('a disconnected status notice', async () =>
      stream.events.some((e) => e.event === 'status' && e.data.connected === false),
    );
    // Same data folder and port: the simulator keeps its objects; its watch history is gone, so the console's
    // watches from the old resourceVersion get 410 and relist.
    sim = await startSim(['--port', port, ...FAST_NODES], { dataDir });
    const back = await waitFor(
      'the console to recover',
      async () => (await call<PoolsReply>('/api/pools')).status === 200,
      40_000,
    );
    expect(back).toBe(true);
    await waitFor('a connected status notice', async () =>
      stream.events.some((e, i) => i > 0 && e.event === 'status' && e.data.connected === true),
    );
    stream.close();
    // Changes after the restart still arrive.
    appendFileSync(rootfs(worker, '/etc/mco/proxy.env'), '# after restart\n');
    await waitFor('Degraded after the restart', async () => (await nodeState(worker)).state === 'Degraded');
  }, 90_000);
});

describe('no cluster configured', () => {
  it('answers 503 cluster_unreachable at once and says so on the stream', async () => {
    const home = mkdtempSync(join(tmpdir(), 'plumb-home-'));
    const lonely = await startConsole({ env: { HOME: home, KUBERNETES_SERVICE_HOST: '' } });
    try {
      const r = await call<ApiError>('/api/pools', { base: lonely.url, token: null });
      expect(r).toMatchObject({ status: 503, body: { error: 'cluster_unreachable' } });
      expect(r.body.message).toContain('no cluster configured');
      const stream = await openStream(lonely.url, null);
      await waitFor('a status notice', async () => stream.events.find((e) => e.event === 'status'));
      expect(stream.events[0].data).toMatchObject({ connected: false });
      stream.close();
    } finally {
      await lonely.stop();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
