// The container image's layout, run for real: Next's standalone output plus the launcher scripts, exactly what
// deploy/Containerfile copies, started against a simulator. /healthz and /readyz (503 with the reason before the
// cluster answers, 200 once the informers are synced), /metrics (who may scrape, and series whose values follow the
// cluster: degraded nodes after a drift, drifted files from a drift read, actions by result, request latency,
// informer health), and a graceful SIGTERM. It listens on every address as the image's default command does, where
// the kubelet probes by pod IP: the Host allow-list answers an IP literal there, and still refuses a foreign name.
import { request } from 'node:http';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriftReply, PoolReply, WhoAmIReply } from '@/lib/api/types';
import { ensureBuild, freePort, startConsole, type ConsoleProcess } from './console-process';
import { waitFor } from './sim-helpers';
import { startSim, type SimProcess } from './sim-process';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

let sim: SimProcess;
let con: ConsoleProcess;
let app = '';
let metricsUrl = '';
let forwarder: Server | null = null;
let adminToken = '';
const scratch: string[] = [];

/** What deploy/Containerfile's last stage holds: <dist>/standalone, <dist>/static, the two launcher scripts. */
function standaloneLayout(dist: string): string {
  const built = join(ROOT, dist, 'standalone');
  if (!existsSync(built))
    throw new Error(`${dist} has no standalone output: rebuild it (next.config.js sets output: 'standalone')`);
  const dir = mkdtempSync(join(tmpdir(), 'plumb-standalone-'));
  scratch.push(dir);
  cpSync(built, dir, { recursive: true, verbatimSymlinks: true });
  cpSync(join(ROOT, dist, 'static'), join(dir, dist, 'static'), { recursive: true });
  mkdirSync(join(dir, 'scripts'));
  for (const f of ['console.mjs', 'serve.mjs']) cpSync(join(ROOT, 'scripts', f), join(dir, 'scripts', f));
  return dir;
}

/** A TCP relay from `port` to the simulator, started when the test wants the cluster to become reachable. */
function relay(port: number, to: URL): Promise<Server> {
  const srv = createServer((c) => {
    const up = createConnection(Number(to.port), to.hostname);
    c.pipe(up).pipe(c);
    c.on('error', () => up.destroy());
    up.on('error', () => c.destroy());
  });
  return new Promise((resolve) => srv.listen(port, '127.0.0.1', () => resolve(srv)));
}

function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name + '{') && !line.startsWith(name + ' ')) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
      return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return null;
}

async function scrape(token: string | null = adminToken): Promise<{ status: number; text: string }> {
  const r = await fetch(`${metricsUrl}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: r.status, text: await r.text() };
}

/** GET with any Host header (fetch would not let the test choose it): the status. */
function statusWithHost(base: string, path: string, host: string): Promise<number> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, headers: { host } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

const rootfs = (node: string, p: string) => join(sim.dataDir, 'nodes', node, 'rootfs', p);

beforeAll(async () => {
  const dist = await ensureBuild();
  const dir = standaloneLayout(dist);
  sim = await startSim();
  const kc = sim.kubeConfig('admin');
  adminToken = kc.getCurrentUser()!.token!;
  // The console's kubeconfig points at a port where nothing answers yet: the relay to the simulator comes later.
  const relayPort = await freePort();
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    readFileSync(sim.kubeconfigPath, 'utf8').split(new URL(sim.url).host).join(`127.0.0.1:${relayPort}`),
  );
  const metricsPort = await freePort();
  // `--host 0.0.0.0`: deploy/Containerfile's CMD (the last --host wins over startConsole's 127.0.0.1).
  con = await startConsole({
    root: dir,
    kubeconfig,
    args: ['--host', '0.0.0.0', '--trusted-user-header', 'X-Forwarded-User'],
    env: { PLUMB_METRICS_PORT: String(metricsPort), PLUMB_METRICS_HOST: '127.0.0.1' },
  });
  app = con.url;
  metricsUrl = `http://127.0.0.1:${metricsPort}`;
  (globalThis as any).__relay = () => relay(relayPort, new URL(sim.url));
}, 600_000);

afterAll(async () => {
  await con?.stop();
  forwarder?.close();
  await sim?.stop({ removeData: true });
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

describe('the standalone server (the container image layout)', () => {
  it('is alive at once, and not ready, with the reason, until it has synced with the cluster', async () => {
    for (const base of [app, metricsUrl]) {
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const r = await fetch(`${base}/readyz`);
      expect(r.status).toBe(503);
      const body = (await r.json()) as { ready: boolean; reason: string };
      expect(body.ready).toBe(false);
      expect(body.reason).toMatch(/connect|reach/);
    }
    forwarder = await (globalThis as any).__relay();
    const ready = await waitFor(
      'ready once the cluster answers',
      async () => {
        const r = await fetch(`${app}/readyz`);
        return r.status === 200 && ((await r.json()) as { ready: boolean });
      },
      30_000,
      250,
    );
    expect(ready).toMatchObject({ ready: true, reason: null });
    expect((await fetch(`${metricsUrl}/readyz`)).status).toBe(200);
    // The metrics listener serves nothing else.
    expect((await fetch(`${metricsUrl}/api/pools`)).status).toBe(404);
  });

  it('answers the kubelet probing by pod IP on both listeners, and still refuses a foreign host name', async () => {
    const podIp = '10.128.2.15';
    for (const [base, port] of [
      [app, con.port],
      [metricsUrl, new URL(metricsUrl).port],
    ] as const) {
      for (const path of ['/healthz', '/readyz']) {
        expect(await statusWithHost(base, path, `${podIp}:${port}`), `${base}${path}`).toBe(200);
        expect(await statusWithHost(base, path, `[fd01:0:0:2::f]:${port}`), `${base}${path} IPv6`).toBe(200);
      }
    }
    // A rebound name is still refused on the console's port, before any handler runs.
    expect(await statusWithHost(app, '/readyz', `attacker.test:${con.port}`)).toBe(421);
    expect(await statusWithHost(app, '/api/whoami', `attacker.test:${con.port}`)).toBe(421);
  });

  it('answers /metrics only to a bearer token the cluster allows to get /metrics', async () => {
    expect((await scrape(null)).status).toBe(401);
    const bad = await scrape('not-a-token');
    expect(bad.status).toBe(401);
    expect(bad.text).not.toContain('plumb_');
    const ok = await scrape();
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('# TYPE plumb_nodes gauge');
    expect(sample(ok.text, 'plumb_cluster_connected')).toBe(1);
    expect(sample(ok.text, 'plumb_informer_synced', { kind: 'Node' })).toBe(1);
    expect(sample(ok.text, 'plumb_informer_lists_total', { kind: 'MachineConfigPool' })).toBeGreaterThanOrEqual(1);
    expect(sample(ok.text, 'plumb_informer_last_list_timestamp_seconds', { kind: 'Node' })).toBeGreaterThan(
      Date.now() / 1000 - 300,
    );
  });

  it('counts nodes by pool and state, degraded nodes after a drift, and drifted files from a drift read', async () => {
    const workers = ((await (await fetch(`${app}/api/pools/worker`)).json()) as PoolReply).nodes;
    const degradedBefore = workers.filter((n) => n.state === 'Degraded').length;
    const first = await scrape();
    expect(sample(first.text, 'plumb_degraded_nodes', { pool: 'worker' })).toBe(degradedBefore);
    const done = (state: string) => workers.filter((n) => n.state === state).length;
    expect(sample(first.text, 'plumb_nodes', { pool: 'worker', state: 'Done' })).toBe(done('Done'));

    const victim = workers.find((n) => n.state === 'Done')!.name;
    appendFileSync(rootfs(victim, '/etc/mco/proxy.env'), 'HTTPS_PROXY=http://intercept.example:3128\n');
    await waitFor(
      'the drifted worker counted as degraded',
      async () => sample((await scrape()).text, 'plumb_degraded_nodes', { pool: 'worker' }) === degradedBefore + 1,
      30_000,
      250,
    );

    const drift = (await (await fetch(`${app}/api/nodes/${victim}/drift`)).json()) as DriftReply;
    const drifted = drift.files.filter((f) => f.status !== 'ok').length;
    expect(drifted).toBeGreaterThan(0);
    const after = await scrape();
    expect(sample(after.text, 'plumb_node_drifted_files', { node: victim, pool: 'worker' })).toBe(drifted);
    expect(
      sample(after.text, 'plumb_http_request_duration_seconds_count', {
        route: '/api/nodes/:name/drift',
        method: 'GET',
        code: '200',
      }),
    ).toBe(1);
    expect(
      sample(after.text, 'plumb_http_request_duration_seconds_count', {
        route: '/api/pools/:name',
        method: 'GET',
        code: '200',
      }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('counts actions by kind and result', async () => {
    const who = await fetch(`${app}/api/whoami`);
    const csrf = ((await who.json()) as WhoAmIReply).csrfToken;
    const cookie = (who.headers.get('set-cookie') ?? '').split(';')[0];
    const pause = (paused: boolean, withCsrf: boolean) =>
      fetch(`${app}/api/pools/infra/pause`, {
        method: 'POST',
        // As behind the oauth-proxy with the console acting as itself: the proxy names the signed-in user.
        headers: {
          'content-type': 'application/json',
          origin: app,
          'x-forwarded-user': 'alice',
          ...(withCsrf ? { 'x-csrf-token': csrf, cookie } : {}),
        },
        body: JSON.stringify({ paused }),
      });
    expect((await pause(true, false)).status).toBe(403);
    expect((await pause(true, true)).status).toBe(200);
    expect((await pause(false, true)).status).toBe(200);
    // Recorded when the server has finished the reply, which may be just after the client has read it.
    const text = await waitFor(
      'both pauses counted',
      async () => {
        const t = (await scrape()).text;
        return sample(t, 'plumb_actions_total', { action: 'pause_pool', result: 'succeeded' }) === 2 && t;
      },
      5000,
      100,
    );
    expect(sample(text, 'plumb_actions_total', { action: 'pause_pool', result: 'refused' })).toBe(1);
    // The audit names the console's identity, and beside it the user the configured proxy header names.
    const events = await sim.kubeConfig('admin').makeApiClient(CoreV1Api).listNamespacedEvent({ namespace: 'default' });
    const pauses = events.items.filter((e) => e.reason === 'PlumbPausePool').map((e) => e.message);
    expect(pauses.sort()).toEqual([
      'admin (the proxy says alice) paused MachineConfigPool infra through Plumb',
      'admin (the proxy says alice) resumed MachineConfigPool infra through Plumb',
    ]);
  });

  it('on SIGTERM closes the event streams, lets the request in flight finish, and exits 0', async () => {
    const ctl = new AbortController();
    const stream = await fetch(`${app}/api/stream`, { signal: ctl.signal });
    const reader = stream.body!.getReader();
    await reader.read(); // the first bytes: the stream is open
    const streamEnded = (async () => {
      try {
        for (;;) if ((await reader.read()).done) return 'ended';
      } catch {
        return 'closed';
      }
    })();
    const workers = ((await (await fetch(`${app}/api/pools/worker`)).json()) as PoolReply).nodes;
    const inflight = fetch(`${app}/api/nodes/${workers[0].name}/drift`);
    await new Promise((r) => setTimeout(r, 100));
    const exited = new Promise<number | null>((r) => con.child.once('exit', (code) => r(code)));
    const t0 = Date.now();
    process.kill(con.child.pid!, 'SIGTERM');
    expect(await streamEnded).toMatch(/ended|closed/);
    expect((await inflight).status).toBe(200);
    expect(await exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(con.output()).toContain('SIGTERM: closing 1 event stream(s)');
  });
});
