// Who may talk to the console, and whether its audit tells the truth: one test per finding of the trust review,
// each asserting the refusal and that nothing changed in the cluster. One simulator and two consoles taking each
// user's token from a header, sharing one CSRF secret; the first also answers for a public https name.
import { request } from 'node:http';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError, DriftReply, MachineConfigsReply, NodeReply, PoolReply, WhoAmIReply } from '@/lib/api/types';
import { startConsole, type ConsoleProcess } from './console-process';
import { clients, waitFor as waitForProbe } from './sim-helpers';
import { MINI, startSim, type SimProcess } from './sim-process';

const HEADER = 'X-Plumb-Test-Token';
const PUBLIC = 'https://plumb.apps.example.test';
const MCO_GROUP = 'machineconfiguration.openshift.io';

let sim: SimProcess;
let con: ConsoleProcess;
let twin: ConsoleProcess;
let secretDir = '';
let adminToken = '';
let worker = '';
let rendered = '';

const waitFor = <T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000) =>
  waitForProbe(what, probe, timeoutMs, 150);

interface Reply<T = any> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

/** A raw HTTP request to a console, with any Host header (fetch would not let a test choose it). */
function raw<T = any>(
  base: string,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Reply<T>> {
  const u = new URL(base);
  const data = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path,
        method: opts.method ?? 'GET',
        headers: { ...(data ? { 'content-type': 'application/json' } : {}), ...opts.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON (a page)
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: body as T });
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

const auth = (token = adminToken) => ({ [HEADER]: token });

/** A CSRF token minted by `base` for the admin, and the headers an action from the console's own page sends. */
async function actionHeaders(base: string, origin = base) {
  const r = await raw<WhoAmIReply>(base, '/api/whoami', { headers: auth() });
  expect(r.status).toBe(200);
  const t = r.body.csrfToken;
  return { ...auth(), origin, 'x-csrf-token': t, cookie: `__Host-plumb-csrf=${t}; plumb-csrf=${t}` };
}

const custom = () => sim.kubeConfig('admin').makeApiClient(k8s.CustomObjectsApi);
const poolPaused = (name: string) => clients(sim.kubeConfig('admin')).poolPaused(name);
const plumbEvents = () => clients(sim.kubeConfig('admin')).plumbEvents();

beforeAll(async () => {
  sim = await startSim(MINI);
  adminToken = sim.kubeConfig('admin').getCurrentUser()!.token!;
  secretDir = mkdtempSync(join(tmpdir(), 'plumb-csrf-'));
  const secret = join(secretDir, 'secret');
  writeFileSync(secret, 'a shared secret of replicas, at least thirty-two bytes long\n', { mode: 0o600 });
  const common = { kubeconfig: sim.kubeconfigPath, userHeader: HEADER };
  [con, twin] = await Promise.all([
    startConsole({
      ...common,
      args: ['--public-url', PUBLIC, '--allowed-host', 'http://plumb.internal.test:8080', '--csrf-secret-file', secret],
    }),
    startConsole({ ...common, args: ['--trusted-user-header', 'X-Forwarded-User', '--csrf-secret-file', secret] }),
  ]);
  await waitFor('the consoles to see the pools', async () => {
    const [a, b] = await Promise.all([
      raw(con.url, '/api/pools', { headers: auth() }),
      raw(twin.url, '/api/pools', { headers: auth() }),
    ]);
    return a.status === 200 && b.status === 200;
  });
  worker = (await raw<PoolReply>(con.url, '/api/pools/worker', { headers: auth() })).body.nodes[0].name;
  rendered = (
    await raw<MachineConfigsReply>(con.url, '/api/machineconfigs', { headers: auth() })
  ).body.machineConfigs.find((m) => m.rendered && m.pool === 'worker')!.name;
}, 240_000);

afterAll(async () => {
  await Promise.all([con?.stop(), twin?.stop()]);
  await sim?.stop({ removeData: true });
  if (secretDir) rmSync(secretDir, { recursive: true, force: true });
});

describe('1. DNS rebinding: only the host names the console is served under', () => {
  it('refuses another Host before any handler runs, for reads and actions, and nothing changes', async () => {
    const evil = { host: `attacker.test:${con.port}` };
    for (const path of [
      '/api/whoami',
      '/api/pools',
      `/api/nodes/${worker}/files?path=%2Fetc%2Fmco%2Fproxy.env&reveal=1`,
      '/',
      '/pools/worker',
    ]) {
      const r = await raw<ApiError>(con.url, path, { headers: { ...auth(), ...evil } });
      expect(r.status, path).toBe(421);
      expect(JSON.stringify(r.body)).not.toMatch(/csrfToken|proxy|rendered-/);
    }
    const headers = { ...(await actionHeaders(con.url)), ...evil, origin: `http://attacker.test:${con.port}` };
    const r = await raw<ApiError>(con.url, '/api/pools/worker/pause', {
      method: 'POST',
      headers,
      body: { paused: true },
    });
    expect(r.status).toBe(421);
    expect(await poolPaused('worker')).toBe(false);
  });

  it('answers for the listen address, the public URL and an allowed host', async () => {
    for (const host of [
      `127.0.0.1:${con.port}`,
      `localhost:${con.port}`,
      'plumb.apps.example.test',
      'plumb.internal.test:8080',
    ]) {
      expect((await raw(con.url, '/api/whoami', { headers: { ...auth(), host } })).status, host).toBe(200);
    }
    // The twin has no public URL: the name is foreign there.
    expect(
      (await raw(twin.url, '/api/whoami', { headers: { ...auth(), host: 'plumb.apps.example.test' } })).status,
    ).toBe(421);
  });
});

describe('2. framing and the headers on every reply', () => {
  it('forbids framing and sniffing on pages, API replies, static files and refusals', async () => {
    const page = await raw<string>(con.url, '/');
    const js = /\/_next\/static\/[^"]+\.js/.exec(String(page.body))?.[0];
    expect(js).toBeTruthy();
    for (const [what, r] of [
      ['page', page],
      ['api', await raw(con.url, '/api/pools', { headers: auth() })],
      ['static', await raw(con.url, js!)],
      ['401', await raw(con.url, '/api/pools')],
      ['421', await raw(con.url, '/', { headers: { host: 'attacker.test' } })],
    ] as const) {
      expect(r.headers['x-frame-options'], what).toBe('DENY');
      expect(r.headers['content-security-policy'], what).toContain("frame-ancestors 'none'");
      expect(r.headers['content-security-policy'], what).toContain("default-src 'self'");
      expect(r.headers['x-content-type-options'], what).toBe('nosniff');
      expect(r.headers['referrer-policy'], what).toBe('no-referrer');
    }
  });

  it('sets the CSRF cookie Secure and __Host- prefixed when served over https', async () => {
    const r = await raw(con.url, '/api/whoami', { headers: auth() });
    expect(String(r.headers['set-cookie'])).toMatch(
      /^__Host-plumb-csrf=[0-9a-f]{64}; Path=\/; SameSite=Strict; HttpOnly; Secure$/,
    );
    const plain = await raw(twin.url, '/api/whoami', { headers: auth() });
    expect(String(plain.headers['set-cookie'])).toMatch(
      /^plumb-csrf=[0-9a-f]{64}; Path=\/; SameSite=Strict; HttpOnly$/,
    );
  });
});

describe('3. every read is authorised for the user', () => {
  it('answers 401 and nothing else without a token or with a forged one', async () => {
    const paths = [
      '/api/whoami',
      '/api/pools',
      '/api/pools/worker',
      `/api/nodes/${worker}`,
      `/api/machineconfigs/${rendered}`,
      `/api/compare?from=${rendered}&to=${rendered}`,
      '/api/machineconfigs',
      '/api/stream',
      `/api/nodes/${worker}/policy?path=%2Fetc%2Fmco%2Fproxy.env`,
      '/api/nodes',
    ];
    for (const headers of [{}, auth('forged-token'), { [HEADER]: 'Bearer ' }]) {
      for (const path of paths) {
        const r = await raw<ApiError>(con.url, path, { headers });
        expect(r.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(Object.keys(r.body as object).sort()).toEqual(['error', 'message']);
        expect(r.body.error).toBe('unauthorized');
      }
    }
  });

  it('the viewer reads what the cluster lets the viewer read', async () => {
    const viewer = sim.kubeConfig('viewer').getCurrentUser()!.token!;
    expect((await raw(con.url, `/api/machineconfigs/${rendered}`, { headers: auth(viewer) })).status).toBe(200);
    expect((await raw(con.url, `/api/nodes/${worker}/drift`, { headers: auth(viewer) })).status).toBe(403);
  });
});

describe('4. identity from the cluster, not from a header', () => {
  it('ignores a proxy user header nobody configured, in whoami and in the audit', async () => {
    const me = await raw<WhoAmIReply>(con.url, '/api/whoami', {
      headers: { ...auth(), 'x-forwarded-user': 'alice@evil' },
    });
    expect(me.body.user).not.toContain('alice@evil');
    const headers = { ...(await actionHeaders(con.url)), 'x-forwarded-user': 'alice@evil' };
    expect(
      (await raw(con.url, '/api/pools/worker/pause', { method: 'POST', headers, body: { paused: true } })).status,
    ).toBe(200);
    expect(
      (await raw(con.url, '/api/pools/worker/pause', { method: 'POST', headers, body: { paused: false } })).status,
    ).toBe(200);
    const events = await plumbEvents();
    expect(events.filter((e) => e.reason === 'PlumbPausePool').length).toBe(2);
    expect(events.some((e) => e.message?.includes('alice@evil'))).toBe(false);
  });

  it('shows the configured proxy header, per request, never cached across requests', async () => {
    const a = await raw<WhoAmIReply>(twin.url, '/api/whoami', { headers: { ...auth(), 'x-forwarded-user': 'carol' } });
    const b = await raw<WhoAmIReply>(twin.url, '/api/whoami', { headers: { ...auth(), 'x-forwarded-user': 'dave' } });
    // The simulator may not name the token (no SelfSubjectReview): then the configured proxy's name is shown.
    const clusterName = (await raw<WhoAmIReply>(twin.url, '/api/whoami', { headers: auth() })).body.user;
    if (clusterName === 'unknown user') {
      expect([a.body.user, b.body.user]).toEqual(['carol', 'dave']);
    } else {
      expect([a.body.user, b.body.user]).toEqual([clusterName, clusterName]);
    }
  });
});

describe('5. the audit records what happened, after it happened', () => {
  it('a failed restore leaves a Warning that says it failed, with the error, and no success event', async () => {
    const dir = join(sim.dataDir, 'nodes', worker, 'rootfs', 'etc', 'mco');
    const before = new Set((await plumbEvents()).map((e) => e.metadata!.name));
    // /etc/mco becomes a file: the restore cannot create its temporary file there.
    renameSync(dir, `${dir}.away`);
    writeFileSync(dir, 'not a directory\n');
    try {
      const r = await raw<ApiError>(con.url, `/api/nodes/${worker}/restore`, {
        method: 'POST',
        headers: await actionHeaders(con.url),
        body: { path: '/etc/mco/proxy.env' },
      });
      expect(r.status).toBe(502);
      const events = (await plumbEvents()).filter((e) => !before.has(e.metadata!.name));
      expect(events.map((e) => [e.type, e.reason])).toEqual([['Warning', 'PlumbRestoreFileFailed']]);
      expect(events[0].message).toContain('/etc/mco/proxy.env');
      expect(events[0].message).toContain('failed: ');
      expect(events[0].message).toContain(r.body.message);
    } finally {
      rmSync(dir, { force: true });
      renameSync(`${dir}.away`, dir);
    }
  });

  it('a refused action records nothing', async () => {
    const before = (await plumbEvents()).length;
    const viewer = sim.kubeConfig('viewer').getCurrentUser()!.token!;
    const headers = { ...(await actionHeaders(con.url)), [HEADER]: viewer };
    expect(
      (await raw(con.url, '/api/pools/worker/pause', { method: 'POST', headers, body: { paused: true } })).status,
    ).toBe(403);
    expect((await plumbEvents()).length).toBe(before);
    expect(await poolPaused('worker')).toBe(false);
  });
});

describe('6. CSRF and origin', () => {
  it('refuses a matching cookie/header pair the server did not sign, and an https Origin on the http listener', async () => {
    const forged = 'f'.repeat(64);
    const base = { ...auth(), origin: con.url, 'x-csrf-token': forged, cookie: `__Host-plumb-csrf=${forged}` };
    expect(
      await raw(con.url, '/api/pools/worker/pause', { method: 'POST', headers: base, body: { paused: true } }),
    ).toMatchObject({
      status: 403,
      body: { error: 'csrf' },
    });
    const good = await actionHeaders(con.url);
    for (const origin of [
      con.url.replace('http:', 'https:'),
      `http://127.0.0.1:${con.port + 1}`,
      'http://plumb.apps.example.test',
      'null',
    ]) {
      const r = await raw(con.url, '/api/pools/worker/pause', {
        method: 'POST',
        headers: { ...good, origin },
        body: { paused: true },
      });
      expect(r, origin).toMatchObject({ status: 403, body: { error: 'csrf' } });
    }
    expect(await poolPaused('worker')).toBe(false);
  });

  it('accepts the public origin, and a token one replica signed on the other (shared secret)', async () => {
    const headers = await actionHeaders(con.url, PUBLIC);
    expect(
      (await raw(con.url, '/api/pools/worker/pause', { method: 'POST', headers, body: { paused: true } })).status,
    ).toBe(200);
    const onTwin = { ...headers, origin: twin.url };
    expect(
      (await raw(twin.url, '/api/pools/worker/pause', { method: 'POST', headers: onTwin, body: { paused: false } }))
        .status,
    ).toBe(200);
    expect(await poolPaused('worker')).toBe(false);
  });
});

describe('7. clear errors', () => {
  it('answers a malformed URL with 400', async () => {
    for (const path of ['/nodes/%ZZ', '/api/nodes/%ZZ', '/api/nodes/%ZZ/drift']) {
      const r = await raw<ApiError>(con.url, path, { headers: auth() });
      expect(r.status, path).toBe(400);
      expect(r.body.error).toBe('bad_request');
    }
  });

  it('reads a config with 2,100 files through exec in short URLs', async () => {
    const files = Array.from({ length: 2100 }, (_, i) => ({
      path: `/etc/plumb-many/a-rather-long-directory-name/file-${String(i).padStart(4, '0')}.conf`,
      mode: 0o644,
      contents: { source: `data:,${i}` },
    }));
    const before = (await raw<PoolReply>(con.url, '/api/pools/worker', { headers: auth() })).body.pool.targetConfig;
    await custom().createClusterCustomObject({
      group: MCO_GROUP,
      version: 'v1',
      plural: 'machineconfigs',
      body: {
        apiVersion: `${MCO_GROUP}/v1`,
        kind: 'MachineConfig',
        metadata: { name: '99-worker-plumb-many', labels: { [`${MCO_GROUP}/role`]: 'worker' } },
        spec: { config: { ignition: { version: '3.4.0' }, storage: { files } } },
      },
    });
    await waitFor(
      'the worker to run the new config',
      async () => {
        const n = await raw<NodeReply>(con.url, `/api/nodes/${worker}`, { headers: auth() });
        return n.status === 200 && n.body.currentConfig !== before && n.body.state === 'Done';
      },
      90_000,
    );
    const drift = await raw<DriftReply>(con.url, `/api/nodes/${worker}/drift`, { headers: auth() });
    expect(drift.status).toBe(200);
    expect(drift.body.files.filter((f) => f.path.startsWith('/etc/plumb-many/')).length).toBe(2100);
    expect(drift.body.files.every((f) => f.status === 'ok')).toBe(true);
  }, 150_000);

  it('answers 422 naming the decode error for a rendered config that cannot be decoded', async () => {
    const n = (await raw<NodeReply>(con.url, `/api/nodes/${worker}`, { headers: auth() })).body;
    const name = n.currentConfig!;
    await custom().patchClusterCustomObject(
      {
        group: MCO_GROUP,
        version: 'v1',
        plural: 'machineconfigs',
        name,
        body: { spec: { config: { ignition: { version: 'not-a-version' } } } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await waitFor(
      'the console to see the corrupted config',
      async () => (await raw(con.url, `/api/machineconfigs/${name}`, { headers: auth() })).status === 422,
    );
    for (const path of [
      `/api/nodes/${worker}/drift`,
      `/api/nodes/${worker}/files?path=%2Fetc%2Fmco%2Fproxy.env`,
      `/api/compare?from=${rendered}&to=${name}`,
      `/api/machineconfigs/${name}`,
    ]) {
      const r = await raw<ApiError>(con.url, path, { headers: auth() });
      expect(r.status, path).toBe(422);
      expect(r.body.error).toBe('config_undecodable');
      expect(r.body.message).toContain(name);
      expect(r.body.message.toLowerCase()).toContain('version');
    }
  });
});
