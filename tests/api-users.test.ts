// The console with forwarded users (`--user-header`) against the simulator's RBAC: each scenario user sees exactly
// what the cluster lets that user see, on every read, in the event stream and in whoami, and acts only where the
// cluster would let the user act; each refusal leaves the cluster as it was (no Event, pool not paused, node file
// unchanged). Users of the scenario:
// - nodewatcher: lists nodes, pools and events, not MachineConfigs (so no decoded files, no drift, no compare) nor
//   MachineConfigNodes;
// - debugger: a cluster-reader who may also exec into the daemon pods and record Events, but not read secrets
//   (no reveal) nor patch pools (no pause);
// - leaver: as nodewatcher, through a binding the test deletes while the user's event stream is open;
// - outsider: signed in, and bound to nothing.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ApiError,
  ChangeNotice,
  MachineConfigsReply,
  NodeReply,
  NodesReply,
  PoolReply,
  PoolsReply,
  StreamDelta,
  WhoAmIReply,
} from '@/lib/api/types';
import { FIRST_SCREEN_ROWS } from '@/lib/api/node-table';
import { miniScenario } from '@/sim/scenarios/mini';
import { startConsole, type ConsoleProcess } from './console-process';
import { clients, waitFor } from './sim-helpers';
import { FAST_NODES, startSim, type SimProcess } from './sim-process';

const HEADER = 'X-Forwarded-Access-Token';
const MCO_GROUP = 'machineconfiguration.openshift.io';
const MCO_NS = 'openshift-machine-config-operator';
const PROXY_ENV = '/etc/mco/proxy.env';
const TOKENS = {
  nodewatcher: 'nodewatcher-token-0123456789',
  debugger: 'debugger-token-0123456789',
  leaver: 'leaver-token-0123456789',
  outsider: 'outsider-token-0123456789',
};
type User = keyof typeof TOKENS;

let sim: SimProcess;
let con: ConsoleProcess;
let dir = '';
let worker = '';
let rendered = '';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const scenario = () => ({
  ...miniScenario(),
  // A release that serves MachineConfigNodes.
  version: '4.20.0',
  users: [
    { name: 'nodewatcher', groups: ['node-watchers'], token: TOKENS.nodewatcher },
    { name: 'debugger', groups: ['system:cluster-readers'], token: TOKENS.debugger },
    { name: 'leaver', token: TOKENS.leaver },
    { name: 'outsider', token: TOKENS.outsider },
  ],
  rbac: [
    {
      kind: 'ClusterRole',
      metadata: { name: 'node-pool-reader' },
      rules: [
        { apiGroups: [''], resources: ['nodes', 'events'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [MCO_GROUP], resources: ['machineconfigpools'], verbs: ['get', 'list', 'watch'] },
      ],
    },
    {
      kind: 'ClusterRoleBinding',
      metadata: { name: 'node-watchers' },
      roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: 'node-pool-reader' },
      subjects: [{ apiGroup: RBAC_GROUP, kind: 'Group', name: 'node-watchers' }],
    },
    {
      kind: 'ClusterRoleBinding',
      metadata: { name: 'leaver' },
      roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: 'node-pool-reader' },
      subjects: [{ apiGroup: RBAC_GROUP, kind: 'User', name: 'leaver' }],
    },
    {
      kind: 'Role',
      metadata: { name: 'exec-daemons', namespace: MCO_NS },
      rules: [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create', 'get'] }],
    },
    {
      kind: 'RoleBinding',
      metadata: { name: 'debugger-exec', namespace: MCO_NS },
      roleRef: { apiGroup: RBAC_GROUP, kind: 'Role', name: 'exec-daemons' },
      subjects: [{ apiGroup: RBAC_GROUP, kind: 'User', name: 'debugger' }],
    },
    {
      kind: 'Role',
      metadata: { name: 'event-writer', namespace: 'default' },
      rules: [{ apiGroups: [''], resources: ['events'], verbs: ['create'] }],
    },
    {
      kind: 'RoleBinding',
      metadata: { name: 'debugger-events', namespace: 'default' },
      roleRef: { apiGroup: RBAC_GROUP, kind: 'Role', name: 'event-writer' },
      subjects: [{ apiGroup: RBAC_GROUP, kind: 'User', name: 'debugger' }],
    },
  ],
});

interface Reply<T> {
  status: number;
  body: T;
}

async function get<T = any>(user: User, path: string): Promise<Reply<T>> {
  const r = await fetch(con.url + path, { headers: { [HEADER]: TOKENS[user] } });
  const text = await r.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: r.status, body: body as T };
}

/** An action as the console's own page sends it for `user`: its CSRF token from whoami, the console's origin. */
async function act<T = any>(user: User, path: string, body: unknown): Promise<Reply<T>> {
  const me = await get<WhoAmIReply>(user, '/api/whoami');
  const t = me.body.csrfToken;
  const r = await fetch(con.url + path, {
    method: 'POST',
    headers: {
      [HEADER]: TOKENS[user],
      origin: con.url,
      'x-csrf-token': t,
      cookie: `plumb-csrf=${t}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as T };
}

/** An open /api/stream for a user, collecting the change notices it receives (`change`, or a delta's `changed`). */
function openStream(user: User, query = '') {
  const ctl = new AbortController();
  const changes: ChangeNotice[] = [];
  let ended = false;
  let opened: (ok: boolean) => void;
  const open = new Promise<boolean>((r) => (opened = r));
  const done = (async () => {
    try {
      const r = await fetch(`${con.url}/api/stream${query}`, {
        headers: { [HEADER]: TOKENS[user] },
        signal: ctl.signal,
      });
      opened!(r.status === 200);
      if (r.status !== 200) return;
      const dec = new TextDecoder();
      let buf = '';
      for await (const chunk of r.body as unknown as AsyncIterable<Uint8Array>) {
        buf += dec.decode(chunk, { stream: true });
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = () => JSON.parse(block.slice(block.indexOf('data: ') + 6));
          if (block.startsWith('event: change\n')) changes.push(data());
          if (block.startsWith('event: delta\n')) changes.push(...((data() as StreamDelta).changed ?? []));
        }
      }
    } catch {
      opened!(false);
    } finally {
      ended = true;
    }
  })();
  return {
    open,
    changes,
    ended: () => ended,
    has: (kind: ChangeNotice['kind'], name: string) => changes.some((c) => c.kind === kind && c.name === name),
    async close() {
      ctl.abort();
      await done;
    },
  };
}

const admin = () => sim.kubeConfig('admin');
const custom = () => admin().makeApiClient(k8s.CustomObjectsApi);
const poolPaused = (name: string) => clients(sim.kubeConfig('admin')).poolPaused(name);
const plumbEvents = () => clients(sim.kubeConfig('admin')).plumbEvents();
const nodeFile = (node: string, p: string) => join(sim.dataDir, 'nodes', node, 'rootfs', p);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'plumb-users-'));
  const file = join(dir, 'scenario.json');
  writeFileSync(file, JSON.stringify(scenario()));
  sim = await startSim(['--scenario', file, ...FAST_NODES]);
  // Streams re-check their user's rights every second here (60 s by default).
  con = await startConsole({
    kubeconfig: sim.kubeconfigPath,
    userHeader: HEADER,
    env: { PLUMB_STREAM_RECHECK_MS: '1000' },
  });
  await waitFor(
    'the console to see the pools',
    async () => (await get('debugger', '/api/pools')).status === 200,
    30_000,
    200,
  );
  worker = (await get<PoolReply>('debugger', '/api/pools/worker')).body.nodes[0].name;
  rendered = (await get<MachineConfigsReply>('debugger', '/api/machineconfigs')).body.machineConfigs.find(
    (m) => m.rendered && m.pool === 'worker',
  )!.name;
}, 240_000);

afterAll(async () => {
  await con?.stop();
  await sim?.stop({ removeData: true });
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a user who may list nodes but not MachineConfigs', () => {
  it('sees pools and nodes', async () => {
    const pools = await get<PoolsReply>('nodewatcher', '/api/pools');
    expect(pools.status).toBe(200);
    expect(pools.body.pools.map((p) => p.name)).toContain('worker');
    const nodes = await get<NodesReply>('nodewatcher', '/api/nodes');
    expect(nodes.status).toBe(200);
    expect(nodes.body.nodes.find((n) => n.name === worker)?.pool).toBe('worker');
    const node = await get<NodeReply>('nodewatcher', `/api/nodes/${worker}`);
    expect(node.status).toBe(200);
    expect(node.body.name).toBe(worker);
    // MachineConfigNodes are a kind of their own, which this user may not list: the node comes without it.
    expect(node.body.machineConfigNode).toBeNull();
    const seen = await waitFor(
      'the debugger (a cluster-reader) to see the MachineConfigNode',
      async () => (await get<NodeReply>('debugger', `/api/nodes/${worker}`)).body.machineConfigNode,
      20_000,
      200,
    );
    expect(seen.currentConfig).toMatch(/^rendered-worker-/);
    expect((await get<NodeReply>('nodewatcher', `/api/nodes/${worker}`)).body.machineConfigNode).toBeNull();
  });

  it('gets 403 naming machineconfigs, and no file contents, wherever a reply is made of MachineConfigs', async () => {
    for (const path of [
      '/api/machineconfigs',
      `/api/machineconfigs/${rendered}`,
      `/api/compare?from=${rendered}&to=${rendered}`,
      `/api/nodes/${worker}/drift`,
      `/api/nodes/${worker}/files?path=${encodeURIComponent(PROXY_ENV)}`,
      `/api/nodes/${worker}/files?path=${encodeURIComponent(PROXY_ENV)}&reveal=1`,
      `/api/nodes/${worker}/policy?path=${encodeURIComponent(PROXY_ENV)}`,
    ]) {
      const r = await get<ApiError>('nodewatcher', path);
      expect(r.status, path).toBe(403);
      expect(r.body.error, path).toBe('forbidden');
      expect(r.body.message, path).toBe('nodewatcher may not list and watch machineconfigs');
    }
  });

  it('whoami: may do nothing, and says why', async () => {
    const me = (await get<WhoAmIReply>('nodewatcher', '/api/whoami')).body;
    expect(me.user).toBe('nodewatcher');
    expect(me.can).toEqual({ forceReconcile: false, restoreFile: false, pausePool: false, revealSensitive: false });
    expect(me.why.restoreFile).toContain(`nodewatcher may not create pods/exec in namespace ${MCO_NS}`);
    expect(me.why.pausePool).toContain('nodewatcher may not patch machineconfigpools');
    expect(me.why.revealSensitive).toContain('nodewatcher may not get secrets in namespace openshift-config');
  });
});

describe("a page's first screen, rendered into the document on the server", () => {
  const page = async (headers: Record<string, string>, path = '/pools/worker?state=all') => {
    const r = await fetch(con.url + path, { headers });
    expect(r.status).toBe(200);
    return r.text();
  };
  const rowsIn = (html: string) => [...html.matchAll(/data-testid="node-row-([^"]+)"/g)].map((m) => m[1]);

  it("holds the pool's first rows for a user who may list them", async () => {
    const html = await page({ [HEADER]: TOKENS.nodewatcher });
    const pool = (await get<PoolReply>('nodewatcher', '/api/pools/worker')).body;
    expect(rowsIn(html)).toEqual(pool.nodes.map((n) => n.name));
    expect(html).toContain(pool.pool.renderedConfig!);
    // And /nodes, every node with its pool.
    const nodes = (await get<NodesReply>('nodewatcher', '/api/nodes')).body.nodes.map((n) => n.name);
    expect(nodes.length).toBeLessThan(FIRST_SCREEN_ROWS); // the scenario's nodes all fit in the first screen
    expect(rowsIn(await page({ [HEADER]: TOKENS.nodewatcher }, '/nodes')).sort()).toEqual(nodes.sort());
    // And a node's pages, its state and reason (without its MachineConfigNode, which this user may not list).
    const node = (await get<NodeReply>('nodewatcher', `/api/nodes/${worker}`)).body;
    for (const path of [`/nodes/${worker}`, `/nodes/${worker}/drift`]) {
      const html = await page({ [HEADER]: TOKENS.nodewatcher }, path);
      expect(html).toContain('data-testid="reason"');
      expect(html).toContain(node.currentConfig!);
    }
    // And the overview, every pool.
    expect(await page({ [HEADER]: TOKENS.nodewatcher }, '/')).toContain('data-testid="pool-row-worker"');
  });

  it('holds nothing of the cluster for a user who may not, nor without a token', async () => {
    const pool = (await get<PoolReply>('nodewatcher', '/api/pools/worker')).body;
    for (const html of [
      await page({ [HEADER]: TOKENS.outsider }),
      await page({}),
      await page({ [HEADER]: TOKENS.outsider }, '/nodes'),
      await page({ [HEADER]: TOKENS.outsider }, '/'),
      await page({ [HEADER]: TOKENS.outsider }, '/pools'),
      await page({ [HEADER]: TOKENS.outsider }, `/nodes/${worker}`),
      await page({ [HEADER]: TOKENS.outsider }, `/nodes/${worker}/drift`),
    ]) {
      expect(rowsIn(html)).toEqual([]);
      expect(html).not.toContain('data-testid="pool-row-');
      // (The node's name may be in the document as the page's own URL; its state and config may not.)
      expect(html).not.toContain('data-testid="reason"');
      expect(html).not.toContain(pool.pool.renderedConfig!);
    }
    // The browser's own fetch then says why.
    expect((await get<ApiError>('outsider', '/api/pools/worker')).status).toBe(403);
  });
});

describe('a user who may exec but not read secrets nor patch pools', () => {
  it('sees every view, drift and a node file included', async () => {
    for (const path of [
      '/api/pools',
      `/api/nodes/${worker}`,
      '/api/machineconfigs',
      `/api/machineconfigs/${rendered}`,
      `/api/compare?from=${rendered}&to=${rendered}`,
      `/api/nodes/${worker}/drift`,
      `/api/nodes/${worker}/files?path=${encodeURIComponent(PROXY_ENV)}`,
    ]) {
      expect((await get('debugger', path)).status, path).toBe(200);
    }
  });

  it('may not reveal sensitive contents: 403 before anything is read', async () => {
    for (const path of [
      `/api/nodes/${worker}/files?path=${encodeURIComponent(PROXY_ENV)}&reveal=1`,
      `/api/machineconfigs/${rendered}?reveal=1`,
    ]) {
      const r = await get<ApiError>('debugger', path);
      expect(r.status, path).toBe(403);
      expect(r.body.message, path).toContain('debugger may not get secrets in namespace openshift-config');
    }
  });

  it('whoami: may restore and force a reconcile, not pause nor reveal', async () => {
    const me = (await get<WhoAmIReply>('debugger', '/api/whoami')).body;
    expect(me.user).toBe('debugger');
    expect(me.can).toEqual({ forceReconcile: true, restoreFile: true, pausePool: false, revealSensitive: false });
    expect(Object.keys(me.why).sort()).toEqual(['pausePool', 'revealSensitive']);
  });
});

describe('actions as the cluster allows them', () => {
  it('refuses a restore without exec and a pause without patch, and nothing changes; the debugger then restores', async () => {
    const target = nodeFile(worker, PROXY_ENV);
    const original = readFileSync(target, 'utf8');
    const drifted = original + 'HTTP_PROXY=http://oops\n';
    writeFileSync(target, drifted);
    const before = (await plumbEvents()).length;

    const restore = await act<ApiError>('nodewatcher', `/api/nodes/${worker}/restore`, { path: PROXY_ENV });
    expect(restore.status).toBe(403);
    expect(restore.body.message).toContain(`nodewatcher may not create pods/exec in namespace ${MCO_NS}`);
    const force = await act<ApiError>('nodewatcher', `/api/nodes/${worker}/force-reconcile`, { confirm: worker });
    expect(force.status).toBe(403);
    for (const user of ['nodewatcher', 'debugger'] as const) {
      const pause = await act<ApiError>(user, '/api/pools/worker/pause', { paused: true });
      expect(pause.status, user).toBe(403);
      expect(pause.body.message, user).toContain(`${user} may not patch machineconfigpools`);
    }
    expect(readFileSync(target, 'utf8')).toBe(drifted);
    expect(await poolPaused('worker')).toBe(false);
    expect((await plumbEvents()).length).toBe(before);

    // What the cluster does let the debugger do: the restore, audited under the debugger's name.
    const ok = await act('debugger', `/api/nodes/${worker}/restore`, { path: PROXY_ENV });
    expect(ok.status).toBe(200);
    expect(readFileSync(target, 'utf8')).toBe(original);
    const events = (await plumbEvents()).filter((e) => e.reason === 'PlumbRestoreFile');
    expect(events.length).toBe(1);
    expect(events[0].message).toMatch(/^debugger restored \/etc\/mco\/proxy\.env on node /);
  });
});

describe('the event stream', () => {
  it('sends each user only the kinds the user may list and watch', async () => {
    const watcher = openStream('nodewatcher');
    const debug = openStream('debugger');
    // The browser's form: deltas for the views it shows (the worker pool, the node's page).
    const query = `?v=2&pool=worker&node=${worker}`;
    const watcherDeltas = openStream('nodewatcher', query);
    const debugDeltas = openStream('debugger', query);
    for (const s of [watcher, debug, watcherDeltas, debugDeltas]) expect(await s.open).toBe(true);
    // A change to a MachineConfig (an annotation: nothing renders) and to a node.
    const mc = '99-worker-chrony';
    await custom().patchClusterCustomObject(
      {
        group: MCO_GROUP,
        version: 'v1',
        plural: 'machineconfigs',
        name: mc,
        body: { metadata: { annotations: { 'plumb.test/touched': '1' } } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await admin()
      .makeApiClient(k8s.CoreV1Api)
      .patchNode(
        { name: worker, body: { metadata: { labels: { 'plumb.test/touched': '1' } } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
    await waitFor(
      'the debugger to hear of both',
      async () => debug.has('MachineConfig', mc) && debug.has('Node', worker),
      20_000,
      100,
    );
    await waitFor(
      'the debugger to hear of both in deltas',
      async () => debugDeltas.has('MachineConfig', mc) && debugDeltas.has('Node', worker),
      20_000,
      100,
    );
    await waitFor(
      'the node watcher to hear of the node',
      async () => watcher.has('Node', worker) && watcherDeltas.has('Node', worker),
      20_000,
      100,
    );
    // Later than the debugger's notice of the same change: the console would have sent it by now.
    await new Promise((r) => setTimeout(r, 500));
    for (const s of [watcher, watcherDeltas])
      expect(s.changes.filter((c) => c.kind === 'MachineConfig' || c.kind === 'MachineConfigNode')).toEqual([]);
    await Promise.all([watcher, debug, watcherDeltas, debugDeltas].map((s) => s.close()));
  });

  it('ends the stream of a user whose binding is deleted while it is open', async () => {
    const s = openStream('leaver');
    expect(await s.open).toBe(true);
    await admin().makeApiClient(k8s.RbacAuthorizationV1Api).deleteClusterRoleBinding({ name: 'leaver' });
    // Permissions are cached 10 s per token, and the stream re-checks them every second here.
    await waitFor('the stream to end', async () => s.ended(), 25_000, 200);
    for (const path of ['/api/pools', '/api/nodes', `/api/nodes/${worker}`])
      expect((await get<ApiError>('leaver', path)).status, path).toBe(403);
    await s.close();
  }, 40_000);
});
