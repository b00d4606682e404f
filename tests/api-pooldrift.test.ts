// Drift across a pool, through the console's /api against a real simulator: four workers, three sharing one hand
// edit and one with a hand-edited pull secret. The scan finds two groups with the right nodes; the reports parse and
// mask the pull secret for a user who may exec but not read secrets; a viewer without exec is refused; adopting the
// shared group plans one MachineConfig for the whole pool; a bulk restore of the shared group returns its three nodes
// to Done, with an audit Event per node.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PoolDriftReply, PoolDriftReport, PoolDriftScan, PoolRestoreJob } from '@/lib/api/pooldrift';
import { poolDriftReportSchema } from '@/lib/api/pooldrift-schema';
import type { NodeReply, PlanAdoptReply, PlanReply, PoolReply, WhoAmIReply } from '@/lib/api/types';
import { adoptLink, CSV_COLUMNS } from '@/lib/mco/pooldrift';
import { miniScenario } from '@/sim/scenarios/mini';
import { startConsole, type ConsoleProcess } from './console-process';
import { waitFor as waitForProbe } from './sim-helpers';
import { FAST_NODES, startSim, type SimProcess } from './sim-process';

const HEADER = 'X-Plumb-Test-Token';
const MCO_NS = 'openshift-machine-config-operator';
const SHARED = '/etc/chrony.conf';
const PULL_SECRET = '/var/lib/kubelet/config.json';
const SECRET_MARK = 'cGx1bWItcG9vbGRyaWZ0LXNlY3JldA==';
const WORKERS = ['mini-worker-0', 'mini-worker-1', 'mini-worker-2', 'mini-worker-3'];
const AUDITOR_TOKEN = 'auditor-token-0123456789abcdef';

let dir: string;
let sim: SimProcess;
let con: ConsoleProcess;
let admin = '';
let viewer = '';

const waitFor = <T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000) =>
  waitForProbe(what, probe, timeoutMs, 200);

async function call<T>(
  path: string,
  opts: { token?: string; method?: string; body?: unknown } = {},
): Promise<{ status: number; body: T; text: string; headers: Headers }> {
  const headers: Record<string, string> = { [HEADER]: opts.token ?? admin };
  if (opts.method && opts.method !== 'GET') {
    const who = (await (await fetch(`${con.url}/api/whoami`, { headers })).json()) as WhoAmIReply;
    Object.assign(headers, {
      'x-csrf-token': who.csrfToken,
      cookie: `plumb-csrf=${who.csrfToken}`,
      origin: con.url,
      'content-type': 'application/json',
    });
  }
  const r = await fetch(`${con.url}${path}`, {
    method: opts.method ?? 'GET',
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await r.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // a CSV or Markdown report
  }
  return { status: r.status, body: body as T, text, headers: r.headers };
}

/** A CSV reader for RFC 4180 (quoted fields with doubled quotes, CRLF rows): reads back what the report wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'plumb-pooldrift-'));
  const base = miniScenario();
  const worker = (name: string, zone: string) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'node-role.kubernetes.io/worker': '', 'topology.kubernetes.io/zone': zone } },
  });
  const scenario = {
    ...base,
    nodes: [...base.nodes, worker('mini-worker-2', 'zone-c'), worker('mini-worker-3', 'zone-a')],
    machineConfigs: [
      ...base.machineConfigs,
      {
        apiVersion: 'machineconfiguration.openshift.io/v1',
        kind: 'MachineConfig',
        metadata: { name: '99-worker-pull-secret', labels: { 'machineconfiguration.openshift.io/role': 'worker' } },
        spec: {
          config: {
            ignition: { version: '3.4.0' },
            storage: {
              files: [
                {
                  path: PULL_SECRET,
                  mode: 384,
                  overwrite: true,
                  contents: { source: 'data:,%7B%22auths%22%3A%7B%7D%7D%0A' },
                },
              ],
            },
          },
        },
      },
    ],
    drift: [
      ...WORKERS.slice(0, 3).map((node) => ({ node, path: SHARED, append: 'server ntp.corp.example.com iburst\n' })),
      { node: 'mini-worker-3', path: PULL_SECRET, append: `{"auths":{"quay.io":{"auth":"${SECRET_MARK}"}}}\n` },
    ],
    // The auditor may read the cluster and exec into the daemon pods, but not read secrets.
    users: [{ name: 'auditor', groups: ['system:cluster-readers'], token: AUDITOR_TOKEN }],
    rbac: [
      {
        kind: 'Role',
        metadata: { name: 'exec-daemons', namespace: MCO_NS },
        rules: [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create', 'get'] }],
      },
      {
        kind: 'RoleBinding',
        metadata: { name: 'auditor-exec', namespace: MCO_NS },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'exec-daemons' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'auditor' }],
      },
    ],
  };
  const file = join(dir, 'scenario.json');
  writeFileSync(file, JSON.stringify(scenario));
  sim = await startSim(['--scenario', file, ...FAST_NODES]);
  admin = sim.kubeConfig('admin').getCurrentUser()!.token!;
  viewer = sim.kubeConfig('viewer').getCurrentUser()!.token!;
  con = await startConsole({ kubeconfig: sim.kubeconfigPath, userHeader: HEADER });
  await waitFor(
    'the four workers degraded',
    async () => {
      const r = await call<PoolReply>('/api/pools/worker');
      return r.status === 200 && r.body.nodes.filter((n) => n.state === 'Degraded').length === 4;
    },
    60_000,
  );
}, 240_000);

afterAll(async () => {
  await con?.stop();
  await sim?.stop({ removeData: true });
  rmSync(dir, { recursive: true, force: true });
});

async function scanned(): Promise<PoolDriftReply> {
  return waitFor('the scan to finish', async () => {
    const r = await call<PoolDriftReply>('/api/pools/worker/drift');
    return r.status === 200 && r.body.scan?.state !== 'running' && r.body.result ? r.body : null;
  });
}

describe('pool drift', () => {
  it('a viewer without exec is refused the scan and the result, in words', async () => {
    const r = await call<{ error: string; message: string }>('/api/pools/worker/drift/scan', {
      method: 'POST',
      token: viewer,
      body: {},
    });
    expect(r.status).toBe(403);
    expect(r.body.message).toMatch(/may not create pods\/exec in namespace openshift-machine-config-operator/);
    expect((await call('/api/pools/worker/drift', { token: viewer })).status).toBe(403);
    // Without the CSRF token, nothing starts.
    const bare = await fetch(`${con.url}/api/pools/worker/drift/scan`, {
      method: 'POST',
      headers: { [HEADER]: admin },
    });
    expect(bare.status).toBe(403);
  });

  it('a body past its limit gets a 400 that says so, before anything starts', async () => {
    const big = { all: true, pad: 'x'.repeat(64 * 1024) };
    const scan = await call<{ message: string }>('/api/pools/worker/drift/scan', { method: 'POST', body: big });
    expect(scan.status).toBe(400);
    expect(scan.body.message).toMatch(/request body too large/);
    const restore = await call<{ message: string }>('/api/pools/worker/drift/restore', {
      method: 'POST',
      body: { group: 'g', nodes: Array.from({ length: 40_000 }, (_, i) => `worker-${i}`) },
    });
    expect(restore.status).toBe(400);
    expect(restore.body.message).toMatch(/request body too large/);
    expect((await call<{ scan: unknown }>('/api/pools/worker/drift')).body.scan ?? null).toBeNull();
  });

  it('scans the degraded nodes and groups identical drift: the shared edit once for three nodes, the pull secret apart', async () => {
    const start = await call<PoolDriftScan>('/api/pools/worker/drift/scan', { method: 'POST', body: {} });
    expect(start.status).toBe(202);
    expect(start.body).toMatchObject({ pool: 'worker', scope: 'degraded', total: 4, state: 'running' });
    const reply = await scanned();
    expect(reply.scan).toMatchObject({ state: 'done', total: 4, done: 4, errors: [] });
    expect(reply.result).toMatchObject({ complete: true, nodesScanned: 4, cleanNodes: 0 });
    const groups = reply.result!.groups.map((g) => ({ path: g.path, nodes: g.nodes, status: g.status }));
    expect(groups).toEqual([
      { path: SHARED, nodes: WORKERS.slice(0, 3), status: 'content' },
      { path: PULL_SECRET, nodes: ['mini-worker-3'], status: 'content' },
    ]);
    const shared = reply.result!.groups[0];
    expect(shared.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(shared.actual!.text).toBe('server time.example.com iburst\nserver ntp.corp.example.com iburst\n');
    expect(shared.expected.text).toBe('server time.example.com iburst\n');
    // Masked by default even for the admin; revealed on request by a user who may read secrets.
    expect(JSON.stringify(reply)).not.toContain(SECRET_MARK);
    expect((await call<PoolDriftReply>('/api/pools/worker/drift?reveal=1')).text).toContain(SECRET_MARK);
    // A second visitor (another user who may read drift) sees the same result without a rescan.
    const other = await call<PoolDriftReply>('/api/pools/worker/drift', { token: AUDITOR_TOKEN });
    expect(other.body.result!.scanId).toBe(reply.result!.scanId);
  });

  it('reports: JSON valid against its schema, CSV read back, Markdown; the pull secret masked for the auditor', async () => {
    const json = await call<PoolDriftReport>('/api/pools/worker/drift/report?format=json', { token: AUDITOR_TOKEN });
    expect(json.status).toBe(200);
    expect(json.headers.get('content-disposition')).toMatch(/^attachment; filename="plumb-drift-worker-.*\.json"$/);
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const valid = ajv.validate(poolDriftReportSchema, json.body);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(json.text).not.toContain(SECRET_MARK);
    expect(json.body.result!.groups.find((g) => g.path === PULL_SECRET)!.actual).toMatchObject({
      text: null,
      redacted: true,
    });

    const csv = await call('/api/pools/worker/drift/report?format=csv', { token: AUDITOR_TOKEN });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = parseCsv(csv.text);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const records = rows.slice(1).map((r) => Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, r[i]])));
    expect(records.map((r) => [r.path, r.node]).sort()).toEqual(
      [...WORKERS.slice(0, 3).map((n) => [SHARED, n]), [PULL_SECRET, 'mini-worker-3']].sort(),
    );
    expect(records.find((r) => r.path === PULL_SECRET)).toMatchObject({
      sensitive: 'true',
      expected_mode: '0600',
      reason: `content mismatch for file "${PULL_SECRET}"`,
    });
    expect(csv.text).not.toContain(SECRET_MARK);

    const md = await call('/api/pools/worker/drift/report?format=md', { token: AUDITOR_TOKEN });
    expect(md.text).toContain(`## ${SHARED}: the same content drift on 3 node(s)`);
    expect(md.text).toContain('server ntp.corp.example.com iburst');
    expect(md.text).not.toContain(SECRET_MARK);
    // The auditor may not reveal.
    expect((await call('/api/pools/worker/drift/report?format=json&reveal=1', { token: AUDITOR_TOKEN })).status).toBe(
      403,
    );
  });

  it('adopting the shared group plans one MachineConfig for the pool, covering every worker', async () => {
    const reply = (await call<PoolDriftReply>('/api/pools/worker/drift')).body;
    const g = reply.result!.groups.find((x) => x.path === SHARED)!;
    // The group's adopt link is what the page offers: the plan page reads the file from one of its nodes.
    const link = new URL(adoptLink(g)!, con.url);
    expect(link.pathname).toBe('/plan');
    expect(g.nodes).toContain(link.searchParams.get('adoptNode'));
    expect(link.searchParams.get('path')).toBe(SHARED);
    const adopt = await call<PlanAdoptReply>(
      `/api/plan/adopt?node=${encodeURIComponent(link.searchParams.get('adoptNode')!)}&path=${encodeURIComponent(SHARED)}`,
    );
    expect(adopt.status).toBe(200);
    expect(adopt.body).toMatchObject({ pool: 'worker', path: SHARED });
    const mc = adopt.body.machineConfig;
    expect(mc.metadata.labels?.['machineconfiguration.openshift.io/role']).toBe('worker');
    const files = (mc.spec?.config as { storage?: { files?: { path: string }[] } }).storage?.files ?? [];
    expect(files.map((f) => f.path)).toContain(SHARED);
    // What the page then plans: that one MachineConfig, one pool, every worker (the three with the edit and the one
    // without it alike get the new rendered config).
    const plan = await call<PlanReply>('/api/plan', { method: 'POST', body: { apply: [mc] } });
    expect(plan.status).toBe(200);
    expect(plan.body.apply).toHaveLength(1);
    expect(plan.body.pools.map((p) => p.pool)).toEqual(['worker']);
    const pool = plan.body.pools[0];
    expect(pool).toMatchObject({ refused: null, unchanged: false, nodeCount: WORKERS.length });
    expect(pool.sources).toContain(mc.metadata.name);
    expect(pool.items.map((i) => i.name)).toContain(SHARED);
    const r = pool.rollout;
    expect([...new Set([...r.batches.flat(), ...r.waiting, ...r.blockedBy, ...r.alreadyThere])].sort()).toEqual(
      WORKERS,
    );
  });

  it('restores a group on all its nodes, in batches, each audited; they return to Done', async () => {
    const reply = (await call<PoolDriftReply>('/api/pools/worker/drift')).body;
    const g = reply.result!.groups.find((x) => x.path === SHARED)!;
    // The confirmation must list the group's nodes as they are.
    const wrong = await call('/api/pools/worker/drift/restore', {
      method: 'POST',
      body: { group: g.id, nodes: g.nodes.slice(0, 2) },
    });
    expect(wrong.status).toBe(409);
    const started = await call<PoolRestoreJob>('/api/pools/worker/drift/restore', {
      method: 'POST',
      body: { group: g.id, nodes: g.nodes, batchSize: 2 },
    });
    expect(started.status).toBe(202);
    const job = await waitFor('the restore to finish', async () => {
      const r = (await call<PoolDriftReply>('/api/pools/worker/drift')).body;
      const j = r.restores.find((x) => x.id === started.body.id);
      return j?.state !== 'running' ? { job: j!, reply: r } : null;
    });
    expect(job.job.state).toBe('done');
    expect(job.job.nodes.map((n) => [n.node, n.state])).toEqual(WORKERS.slice(0, 3).map((n) => [n, 'restored']));
    const after = job.reply.result!.groups.find((x) => x.id === g.id)!;
    expect({ nodes: after.nodes, restored: after.restoredNodes }).toEqual({ nodes: [], restored: WORKERS.slice(0, 3) });
    for (const n of WORKERS.slice(0, 3)) {
      await waitFor(`${n} Done`, async () => (await call<NodeReply>(`/api/nodes/${n}`)).body.state === 'Done');
    }
    // One audit Event per node, recording what happened.
    const core = sim.kubeConfig('admin').makeApiClient(k8s.CoreV1Api);
    const events = (await core.listNamespacedEvent({ namespace: 'default' })).items.filter(
      (e) => e.reason === 'PlumbRestoreFile' && e.message?.includes(SHARED),
    );
    expect(events.map((e) => e.involvedObject.name).sort()).toEqual(WORKERS.slice(0, 3));
    expect(events[0].message).toMatch(/bulk restore of pool worker's drift group/);
    // The other group is untouched.
    expect((await call<NodeReply>('/api/nodes/mini-worker-3')).body.state).toBe('Degraded');
  });

  it('cancel: a running scan stops; with none running, 409', async () => {
    const start = await call<PoolDriftScan>('/api/pools/worker/drift/scan', { method: 'POST', body: { all: true } });
    expect(start.status).toBe(202);
    expect(start.body.scope).toBe('all');
    const cancel = await call<PoolDriftScan>('/api/pools/worker/drift/scan', { method: 'DELETE' });
    expect([200, 409]).toContain(cancel.status);
    const reply = await scanned();
    expect(['cancelled', 'done']).toContain(reply.scan!.state);
    expect((await call('/api/pools/worker/drift/scan/cancel', { method: 'POST' })).status).toBe(409);
  });
});
