// `npm run bench [-- --nodes 5000 --rollout-seconds 60 --changes 20 --server]`: how the console holds up on large
// clusters. For each size (`--nodes`, or `--sizes 2000,5000`): start the simulator with `--nodes N` and a console
// against it, then measure the pool page in Chromium (bench/browser.ts): time to first row, drift-to-row latency,
// bytes per minute during a rollout against a raw watch of all Nodes in the same window, JS heap. The simulated
// reboot is set so the worker pool (maxUnavailable 10%: about 10 waves) rolls out in about `--rollout-seconds`.
// `--server` adds the server-side figures on loopback: /api/pools and /api/pools/worker latency under 20
// concurrent clients, reply sizes against a raw node list, a drift report for a node with 40+ managed files, the plan
// of a change to the worker pool (POST /api/plan), file change → stream notice latency, and console RSS.
// `--pool-drift N` (default 500, 0 to skip): a pool drift scan of a worker pool of N nodes of which a tenth are drifted,
// timed to 100%.
// And `--rollout N` (default 4500, 0 skips): on an OpenShift 4.20 simulator of N nodes, how long a MachineConfig that
// changes only /etc/containers/policy.json takes to roll out to every worker and infra node (NodeDisruptionPolicy:
// reload crio.service, no drain, no reboot), and how many nodes rebooted (must be 0).
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { PassThrough } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { getJson } from '../server/kubehttp';
import { startConsole, type ConsoleProcess } from '../tests/console-process';
import { clients, execIn, fileMachineConfig, MCO } from '../tests/sim-helpers';
import { startSim, type SimProcess } from '../tests/sim-process';
import { browserBench, pct, type BrowserFigures } from './browser';

const CLIENTS = 20;

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    sizes: { type: 'string' },
    nodes: { type: 'string', default: '5000' },
    'rollout-seconds': { type: 'string', default: '60' },
    changes: { type: 'string', default: '20' },
    server: { type: 'boolean', default: false },
    requests: { type: 'string', default: '40' },
    rollout: { type: 'string', default: '4500' },
    'pool-drift': { type: 'string', default: '500' },
  },
});
const sizes = (values.sizes ?? values.nodes!)
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const rolloutSeconds = Math.max(5, Number(values['rollout-seconds']) || 60);
const changes = Math.max(1, Number(values.changes) || 20);
const DRAIN_SECONDS = 0.2;
/** A wave is drain + reboot + a little bookkeeping; about ten waves at maxUnavailable 10%. */
const rebootSeconds = Math.max(0.2, rolloutSeconds / 10 - DRAIN_SECONDS - 0.5);
const perClient = Math.max(1, Math.min(500, Number(values.requests) || 40));

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

// Latency loads use node:http with keep-alive, as a browser or proxy reuses connections. (undici's fetch, 20 loops
// in this one process, costs more CPU than the server under test: it measured p99 42 ms against a bare Node server
// that answers a constant.)
const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });

function timed(url: string): Promise<{ ms: number; appMs: number; bytes: number; status: number }> {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('error', reject);
        res.on('end', () => {
          // The handler's own time (Server-Timing `app`), apart from routing and CPU contention.
          const appMs = Number(/app;dur=([\d.]+)/.exec(String(res.headers['server-timing'] ?? ''))?.[1] ?? NaN);
          resolve({ ms: performance.now() - t, appMs, bytes, status: res.statusCode ?? 0 });
        });
      })
      .on('error', reject);
  });
}

/**
 * CLIENTS concurrent loops of `perClient` sequential GETs each, after one unmeasured round of the same size: the
 * figures are the steady state (connections open, code paths compiled), not the first requests after start.
 */
async function load(
  url: string,
): Promise<{ p50: number; p99: number; appP50: number; appP99: number; n: number; bytes: number }> {
  await measure(url);
  return measure(url);
}

async function measure(
  url: string,
): Promise<{ p50: number; p99: number; appP50: number; appP99: number; n: number; bytes: number }> {
  const times: number[] = [];
  const app: number[] = [];
  let bytes = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let i = 0; i < perClient; i++) {
        const r = await timed(url);
        if (r.status !== 200) throw new Error(`${url} answered ${r.status}`);
        times.push(r.ms);
        app.push(r.appMs);
        bytes = r.bytes;
      }
    }),
  );
  times.sort((a, b) => a - b);
  app.sort((a, b) => a - b);
  return {
    p50: pct(times, 50),
    p99: pct(times, 99),
    appP50: pct(app, 50),
    appP99: pct(app, 99),
    n: times.length,
    bytes,
  };
}

/** Resident memory of the console's processes (the launcher and next-server), in MB. */
function consoleRssMb(rootPid: number): number {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended meanwhile
    }
  }
  let total = 0;
  for (const pid of parent.keys()) {
    let p: number | undefined = pid;
    while (p && p !== rootPid && p !== 1) p = parent.get(p);
    if (p !== rootPid) continue;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) total += Number(m[1]);
    } catch {
      // ended
    }
  }
  return Math.round(total / 1024);
}

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** Time from an exec `tee` that changes a managed file to the console's `change` notice for that node. */
async function changeNoticeLatency(con: ConsoleProcess, sim: SimProcess, node: string): Promise<number> {
  const kc = sim.kubeConfig('admin');
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const pods = await core.listNamespacedPod({
    namespace: 'openshift-machine-config-operator',
    fieldSelector: `spec.nodeName=${node}`,
  });
  const pod = pods.items[0]?.metadata?.name;
  if (!pod) throw new Error(`no daemon pod on ${node}`);
  const ctl = new AbortController();
  const res = await fetch(`${con.url}/api/stream`, { signal: ctl.signal });
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let start = 0;
  const seen = (async () => {
    let buf = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) throw new Error('stream ended');
      buf += dec.decode(value, { stream: true });
      if (start && buf.includes(`"kind":"Node","name":"${node}"`)) return performance.now() - start;
      if (!start) buf = '';
    }
  })();
  await sleep(300);
  start = performance.now();
  const stdin = new PassThrough();
  await new Promise<void>((resolve, reject) => {
    new k8s.Exec(kc)
      .exec(
        'openshift-machine-config-operator',
        pod,
        'machine-config-daemon',
        ['tee', '-a', '/rootfs/etc/mco/proxy.env'],
        new PassThrough(),
        new PassThrough(),
        stdin,
        false,
        () => resolve(),
      )
      .catch(reject);
    stdin.end('# benchmark drift\n');
  });
  const ms = await Promise.race([seen, sleep(30_000).then(() => NaN)]);
  ctl.abort();
  return ms;
}

/**
 * A node with 40+ managed files: put one worker in a custom pool `bench` whose extra MachineConfig adds 45 files,
 * and wait until the node runs the new rendered config.
 */
async function benchNode(sim: SimProcess, node: string): Promise<void> {
  const kc = sim.kubeConfig('admin');
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const files = Array.from({ length: 45 }, (_, i) => ({
    path: `/etc/bench/file-${String(i).padStart(2, '0')}.conf`,
    mode: 420,
    overwrite: true,
    contents: { source: 'data:,' + encodeURIComponent(`# bench file ${i}\n`.repeat(20 + i)) },
  }));
  await custom.createClusterCustomObject({
    ...MCO,
    plural: 'machineconfigs',
    body: {
      apiVersion: 'machineconfiguration.openshift.io/v1',
      kind: 'MachineConfig',
      metadata: { name: '99-bench-files', labels: { 'machineconfiguration.openshift.io/role': 'bench' } },
      spec: { config: { ignition: { version: '3.4.0' }, storage: { files } } },
    },
  });
  await custom.createClusterCustomObject({
    ...MCO,
    plural: 'machineconfigpools',
    body: {
      apiVersion: 'machineconfiguration.openshift.io/v1',
      kind: 'MachineConfigPool',
      metadata: { name: 'bench' },
      spec: {
        machineConfigSelector: {
          matchExpressions: [
            { key: 'machineconfiguration.openshift.io/role', operator: 'In', values: ['worker', 'bench'] },
          ],
        },
        nodeSelector: { matchLabels: { 'node-role.kubernetes.io/bench': '' } },
        maxUnavailable: 1,
      },
    },
  });
  await core.patchNode(
    { name: node, body: { metadata: { labels: { 'node-role.kubernetes.io/bench': '' } } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
  await waitFor(
    `${node} to run the bench pool's rendered config`,
    async () => {
      const n = await core.readNode({ name: node });
      const a = n.metadata?.annotations ?? {};
      const cur = a['machineconfiguration.openshift.io/currentConfig'] ?? '';
      return cur.startsWith('rendered-bench-') && a['machineconfiguration.openshift.io/state'] === 'Done';
    },
    120_000,
  );
}

/**
 * POST /api/plan of a new worker-role MachineConfig (one file without policy): the render, diff, disruption and the
 * rollout order of every worker, plus the API server's dry run. Median of 3 after one unmeasured call.
 */
async function planLatency(con: ConsoleProcess): Promise<string> {
  const mc = {
    apiVersion: 'machineconfiguration.openshift.io/v1',
    kind: 'MachineConfig',
    metadata: { name: '99-worker-bench-plan', labels: { 'machineconfiguration.openshift.io/role': 'worker' } },
    spec: {
      config: {
        ignition: { version: '3.4.0' },
        storage: { files: [{ path: '/etc/bench-plan.conf', mode: 420, contents: { source: 'data:,x' } }] },
      },
    },
  };
  const once = async () => {
    const t0 = performance.now();
    const r = await fetch(`${con.url}/api/plan`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apply: [mc] }),
    });
    const body = (await r.json()) as {
      pools?: { pool: string; nodeCount: number; rollout: { batches: string[][] } }[];
      message?: string;
    };
    if (r.status !== 200) throw new Error(`plan answered ${r.status}: ${body.message}`);
    return { ms: performance.now() - t0, worker: body.pools!.find((p) => p.pool === 'worker')! };
  };
  await once();
  const runs = [await once(), await once(), await once()].sort((a, b) => a.ms - b.ms);
  const w = runs[1].worker;
  return `POST /api/plan (worker pool, ${w.nodeCount} nodes, ${w.rollout.batches.length} batches): median ${runs[1].ms.toFixed(0)} ms (target < 1000 ms)`;
}

/** The median of the first visits, from the navigation's start and by the bench's clock, and the very first. */
function firstVisit(visits: BrowserFigures['firstVisits']): string {
  const med = (xs: number[]) =>
    pct(
      [...xs].sort((a, b) => a - b),
      50,
    ).toFixed(0);
  const [first] = visits;
  return (
    `${med(visits.map((v) => v.inPage))} ms from the navigation's start (median of ${visits.length} new browser ` +
    `contexts; ${med(visits.map((v) => v.wall))} ms by the bench's clock, which adds the browser's own start-up; ` +
    `the very first, which is also the console's first render of the page: ${first.inPage.toFixed(0)} ms)`
  );
}

async function run(n: number) {
  console.log(`\n== ${n} nodes`);
  let t = performance.now();
  const sim = await startSim(
    ['--nodes', String(n), '--reboot-seconds', String(rebootSeconds), '--drain-seconds', String(DRAIN_SECONDS)],
    { timeoutMs: 300_000 },
  );
  console.log(`simulator ready in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  const con = await startConsole({ kubeconfig: sim.kubeconfigPath });
  try {
    const pools = await waitFor(
      'the console to load every node',
      async () => {
        const r = await fetch(`${con.url}/api/pools`);
        if (r.status !== 200) return null;
        const body = (await r.json()) as { pools: { name: string; machineCount: number }[] };
        const worker = body.pools.find((p) => p.name === 'worker');
        const inWorker = worker
          ? ((await (await fetch(`${con.url}/api/pools/worker`)).json()) as { nodes: unknown[] }).nodes.length
          : 0;
        return worker && inWorker === worker.machineCount && inWorker > 0 && body;
      },
      300_000,
    );
    console.log(
      `console synced in ${((performance.now() - t) / 1000).toFixed(1)} s; pools: ${pools.pools.map((p) => `${p.name}=${p.machineCount}`).join(' ')}`,
    );

    await sleep(3000); // let the simulator's start-up writes settle: they share the same two cores
    const b = await browserBench(con, sim, { changes, rolloutSeconds });
    const mib = (x: number) => (x / 1024 / 1024).toFixed(2);
    console.log(
      `pool page (Chromium): first row on a first visit ${firstVisit(b.firstVisits)}; again with its scripts cached ${b.firstRowWarm.inPage.toFixed(0)} ms (${b.firstRowWarm.wall.toFixed(0)} ms)${b.warmPoolFetch ? `, the whole pool's reply from ${b.warmPoolFetch.start.toFixed(0)} to ${b.warmPoolFetch.end.toFixed(0)} ms` : ''}; drift → row Degraded p50 ${b.changeP50.toFixed(0)} ms, p99 ${b.changeP99.toFixed(0)} ms (${b.changes} changes); JS heap ${b.heapMb.toFixed(1)} MB`,
    );
    console.log(
      `rollout (${rolloutSeconds} s window, ${b.rolloutNodesUpdated} workers updated by its end): pool page ${mib(b.pageBytesPerMin)} MiB/min; raw watch of all Nodes ${mib(b.watchBytesPerMin)} MiB/min; ratio ${(b.watchBytesPerMin / Math.max(1, b.pageBytesPerMin)).toFixed(1)}x fewer`,
    );
    const kib = (x: number) => (x / 1024).toFixed(0);
    const bd = b.breakdown;
    console.log(
      `  of the page's bytes in that window (KiB): stream rows ${kib(bd.rows)}, pool summaries ${kib(bd.pools)}, events ${kib(bd.events)}, notices ${kib(bd.notices)}; fetches ${kib(bd.fetches)}`,
    );
    console.log(
      `load average: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${cpus().length} cores`,
    );
    if (!values.server) return;
    const all = await load(`${con.url}/api/pools`);
    const one = await load(`${con.url}/api/pools/worker`);
    for (const [name, r] of [
      ['/api/pools', all],
      ['/api/pools/worker', one],
    ] as const) {
      console.log(
        `GET ${name.padEnd(18)} p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  (handler ${Number.isNaN(r.appP50) ? 'time n/a: rebuild the app' : `p50 ${r.appP50.toFixed(2)} ms, p99 ${r.appP99.toFixed(2)} ms`}; ${r.n} requests, ${CLIENTS} clients)`,
      );
    }
    console.log(
      `load average: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${cpus().length} cores`,
    );

    // The raw node list as a client gets it (compact JSON; the simulator may serve HTTPS with its own CA).
    const rawBytes = Buffer.byteLength(JSON.stringify(await getJson(sim.kubeConfig('admin'), '/api/v1/nodes')));
    console.log(
      `size: /api/pools ${(all.bytes / 1024).toFixed(1)} KiB, /api/pools/worker ${(one.bytes / 1024).toFixed(1)} KiB, raw node list ${(rawBytes / 1024).toFixed(1)} KiB`,
    );

    const node = ((await (await fetch(`${con.url}/api/pools/worker`)).json()) as { nodes: { name: string }[] }).nodes[0]
      .name;
    t = performance.now();
    await benchNode(sim, node);
    console.log(`moved ${node} into pool bench (45 extra files) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const drifts: number[] = [];
    let files = 0;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const r = await fetch(`${con.url}/api/nodes/${node}/drift`);
      const body = (await r.json()) as { files?: unknown[]; message?: string };
      if (r.status !== 200) throw new Error(`drift answered ${r.status}: ${body.message}`);
      drifts.push(performance.now() - t0);
      files = body.files!.length;
    }
    drifts.sort((a, b) => a - b);
    console.log(`drift report for ${node} (${files} managed paths): median ${drifts[1].toFixed(0)} ms`);

    console.log(await planLatency(con));

    const notice = await changeNoticeLatency(con, sim, node);
    console.log(
      `file change on ${node} (exec tee) → change notice on /api/stream: ${Number.isNaN(notice) ? 'not seen in 30 s' : `${notice.toFixed(0)} ms`}`,
    );
    console.log(`console RSS: ${consoleRssMb(con.child.pid!)} MB`);
  } finally {
    await con.stop();
    await sim.stop({ removeData: true });
  }
}

/**
 * A pool of `n` nodes, a tenth of its workers hand-edited (half one edit, half another): scan every node of the pool
 * through the console as a browser does (CSRF token, POST, then poll), and print the time to 100% and the console's
 * memory after it.
 */
async function poolDriftRun(n: number) {
  // The large scenario puts a tenth of the non-master nodes in infra: size the cluster so the worker pool has n.
  let total = n + 3;
  while (total - 3 - Math.floor((total - 3) / 10) < n) total++;
  console.log(`\n== pool drift scan, a worker pool of ${n} nodes (${total} in the cluster)`);
  const sim = await startSim(['--nodes', String(total), '--reboot-seconds', '1'], { timeoutMs: 300_000 });
  const con = await startConsole({ kubeconfig: sim.kubeconfigPath });
  try {
    const workers = await waitFor(
      'the console to load the worker pool',
      async () => {
        const r = await fetch(`${con.url}/api/pools/worker`);
        if (r.status !== 200) return null;
        const body = (await r.json()) as {
          pool: { machineCount: number };
          nodes: { name: string; state: string | null }[];
        };
        return (
          body.nodes.length > 0 &&
          body.nodes.length === body.pool.machineCount &&
          body.nodes.every((x) => x.state === 'Done') &&
          body.nodes
        );
      },
      300_000,
    );
    const drifted = workers.slice(0, Math.max(2, Math.round(workers.length / 10))).map((w) => w.name);
    // Past 300 nodes the simulator keeps node files in memory: edit them as a person would, through exec.
    const c = clients(sim.kubeConfig('admin'));
    for (const [i, name] of drifted.entries()) {
      const pod = await c.daemonPod(name);
      await execIn(
        sim.kubeConfig('admin'),
        pod,
        ['tee', '-a', '/rootfs/etc/chrony.conf'],
        i % 2 ? 'server ntp-b.example.com iburst\n' : 'server ntp-a.example.com iburst\n',
      );
    }
    await waitFor(
      `${drifted.length} nodes degraded`,
      async () => {
        const body = (await (await fetch(`${con.url}/api/pools/worker`)).json()) as {
          nodes: { state: string | null }[];
        };
        return body.nodes.filter((x) => x.state === 'Degraded').length === drifted.length;
      },
      120_000,
    );
    const who = (await (await fetch(`${con.url}/api/whoami`)).json()) as { csrfToken: string };
    const headers = {
      'content-type': 'application/json',
      'x-csrf-token': who.csrfToken,
      cookie: `plumb-csrf=${who.csrfToken}`,
      origin: con.url,
    };
    const t = performance.now();
    const start = await fetch(`${con.url}/api/pools/worker/drift/scan`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ all: true }),
    });
    if (start.status !== 202) throw new Error(`scan answered ${start.status}: ${await start.text()}`);
    const total = ((await start.json()) as { total: number }).total;
    let peak = 0;
    const reply = await waitFor(
      'the scan to reach 100%',
      async () => {
        const r = (await (await fetch(`${con.url}/api/pools/worker/drift`)).json()) as {
          scan: { state: string; done: number; total: number; errors: unknown[] };
          result: { groups: { nodes: string[] }[] } | null;
        };
        peak = Math.max(peak, consoleRssMb(con.child.pid!));
        return r.scan.state !== 'running' && r;
      },
      300_000,
    );
    const secs = (performance.now() - t) / 1000;
    console.log(
      `scanned ${reply.scan.done}/${total} nodes (${reply.scan.state}, ${reply.scan.errors.length} errors) in ${secs.toFixed(1)} s (target < 30 s for 500): ` +
        `${reply.result?.groups.length ?? 0} groups over ${new Set(reply.result?.groups.flatMap((g) => g.nodes)).size} drifted nodes`,
    );
    console.log(`console RSS after the scan: ${consoleRssMb(con.child.pid!)} MB (peak seen while scanning ${peak} MB)`);
  } finally {
    await con.stop();
    await sim.stop({ removeData: true });
  }
}

/** A crio-reload-only rollout on a 4.20 cluster of `n` nodes: its duration, and the reboots and reloads it caused. */
async function rollout(n: number) {
  console.log(`\n== rollout of a /etc/containers/policy.json change, ${n} nodes, OpenShift 4.20`);
  let t = performance.now();
  const sim = await startSim(['--nodes', String(n), '--ocp-version', '4.20.0', '--reboot-seconds', '1'], {
    timeoutMs: 600_000,
  });
  console.log(`simulator ready in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  try {
    const kc = sim.kubeConfig('admin');
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    const pool = async (name: string) =>
      (await custom.getClusterCustomObject({ ...MCO, plural: 'machineconfigpools', name })) as any;
    const settled = async (name: string, notOn?: string) => {
      const p = await pool(name);
      const target = p.spec?.configuration?.name;
      const updated = p.status?.conditions?.find((c: any) => c.type === 'Updated')?.status === 'True';
      return target &&
        target !== notOn &&
        updated &&
        p.status.configuration?.name === target &&
        p.status.updatedMachineCount === p.status.machineCount
        ? p
        : null;
    };
    const poolNames = ['worker', 'infra'];
    const before: Record<string, string> = {};
    for (const name of poolNames)
      before[name] = (await waitFor(`pool ${name} settled`, () => settled(name), 600_000)).spec.configuration.name;
    const events = async (reason: string) =>
      (
        (await getJson(
          kc,
          `/api/v1/namespaces/default/events?fieldSelector=${encodeURIComponent(`reason=${reason}`)}`,
        )) as { items: { count?: number; reason: string }[] }
      ).items
        .filter((e) => e.reason === reason)
        .reduce((sum, e) => sum + (e.count ?? 1), 0);
    const reboots0 = await events('Reboot');
    const reloads0 = await events('ServiceReload');
    const policy =
      '{"default":[{"type":"insecureAcceptAnything"}],"transports":{"docker-daemon":{"":[{"type":"insecureAcceptAnything"}]}}}\n';
    t = performance.now();
    await custom.createClusterCustomObject({
      ...MCO,
      plural: 'machineconfigs',
      body: fileMachineConfig('99-worker-container-policy', 'worker', [
        {
          path: '/etc/containers/policy.json',
          mode: 420,
          overwrite: true,
          source: 'data:,' + encodeURIComponent(policy),
        },
      ]),
    });
    const pools: any[] = [];
    for (const name of poolNames)
      pools.push(await waitFor(`pool ${name} rolled out`, () => settled(name, before[name]), 3_600_000));
    const seconds = (performance.now() - t) / 1000;
    const nodes = pools.reduce((sum, p) => sum + p.status.machineCount, 0);
    const reboots = (await events('Reboot')) - reboots0;
    const reloads = (await events('ServiceReload')) - reloads0;
    console.log(
      `crio-only rollout: ${nodes} nodes (${pools.map((p) => `${p.metadata.name}=${p.status.machineCount}, maxUnavailable ${p.spec.maxUnavailable ?? 1}`).join('; ')}) ` +
        `updated in ${seconds.toFixed(1)} s; reboots ${reboots}, crio reloads ${reloads}${reboots === 0 ? '' : '  << expected no reboot'}`,
    );
  } finally {
    await sim.stop({ removeData: true });
  }
}

for (const n of sizes) await run(n);
const rolloutNodes = Number(values.rollout);
if (Number.isInteger(rolloutNodes) && rolloutNodes > 0) await rollout(rolloutNodes);
const poolDriftNodes = Number(values['pool-drift']);
if (poolDriftNodes > 0) await poolDriftRun(poolDriftNodes);
