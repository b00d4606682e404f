// The browser side of `npm run bench`: the pool page in Debian's Chromium (Playwright) against a console and a
// simulated cluster. Time to the first row, drift-to-row latency, the bytes the page receives per minute while the
// pool rolls out a new config, its JS heap, and beside it the bytes a raw watch of every Node (what the OpenShift
// console's node list does) receives in the same window.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import * as k8s from '@kubernetes/client-node';
import type { ConsoleProcess } from '../tests/console-process';
import { clients, execIn, fileMachineConfig, MCO } from '../tests/sim-helpers';
import type { SimProcess } from '../tests/sim-process';

/** A first row on screen: from the navigation's start as the page counts it, and as the bench's clock counts it. */
export interface FirstRow {
  /** From the navigation's start to the frame that first shows a row (the document's own clock). */
  inPage: number;
  /** From the bench asking for the page to Playwright seeing the row (adds the browser's own start-up). */
  wall: number;
}

export interface BrowserFigures {
  /**
   * First visits, each in a new browser context (nothing cached), one after the other. The first is also the
   * console's first render of the route since it started.
   */
  firstVisits: FirstRow[];
  /** The same page loaded again (its scripts cached, as for anyone who opened the console before). */
  firstRowWarm: FirstRow;
  /** On that warm load: when the pool's reply began and finished arriving, from the navigation's start. */
  warmPoolFetch: { start: number; end: number } | null;
  changeP50: number;
  changeP99: number;
  changes: number;
  pageBytesPerMin: number;
  watchBytesPerMin: number;
  heapMb: number;
  rolloutNodesUpdated: number;
  /** The rollout window's stream bytes by what they carried (JSON text of each part), and the bytes of fetches. */
  breakdown: { rows: number; pools: number; events: number; notices: number; fetches: number };
}

const DRIFT_FILE = 'etc/mco/proxy.env';

/** The p-th percentile of ascending `sorted`. */
export function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const ROW = '[data-testid^="node-row-"]';
/** First visits timed, each in a fresh browser context: the figure is their median. */
const FIRST_VISITS = 5;

/**
 * In every document: note the time of the first animation frame after a node row is in the DOM, whether the server
 * rendered it into the document or a script added it later. (A string: a function would carry tsx's helpers along.)
 */
const markFirstRow = `(() => {
  const seen = () => {
    if (!document.querySelector(${JSON.stringify(ROW)})) return false;
    requestAnimationFrame(() => { window.__firstRow ??= performance.now(); });
    return true;
  };
  const obs = new MutationObserver(() => { if (seen()) obs.disconnect(); });
  obs.observe(document, { childList: true, subtree: true });
})();`;

/** Load (or reload) the pool page and time its first row; not to the load event, which waits for every script. */
async function firstRow(page: Page, load: () => Promise<unknown>): Promise<FirstRow> {
  const t0 = performance.now();
  await load();
  await page.locator(ROW).first().waitFor({ timeout: 60_000 });
  const wall = performance.now() - t0;
  const inPage = await page
    .waitForFunction(() => (window as unknown as { __firstRow?: number }).__firstRow, undefined, { timeout: 10_000 })
    .then((h) => h.jsonValue() as Promise<number>);
  return { inPage, wall };
}

/** Bytes of `GET /api/v1/nodes?watch=1` on the simulator while it is open. */
async function rawNodeWatch(kc: k8s.KubeConfig): Promise<{ bytes: () => number; stop: () => void }> {
  const cluster = kc.getCurrentCluster()!;
  const url = new URL(cluster.server.replace(/\/$/, '') + '/api/v1/nodes?watch=1&allowWatchBookmarks=true');
  const opts = (await kc.applyToFetchOptions({})) as { headers?: unknown; agent?: https.Agent };
  const headers: Record<string, string> = {};
  const h = opts.headers as
    { forEach?: (cb: (v: string, k: string) => void) => void } | Record<string, string> | undefined;
  if (h && typeof h.forEach === 'function')
    (h.forEach as (cb: (v: string, k: string) => void) => void)((v, k) => (headers[k] = v));
  else if (h) Object.assign(headers, h);
  let bytes = 0;
  const lib = url.protocol === 'https:' ? https : http;
  const req = lib.request(url, { headers, agent: url.protocol === 'https:' ? opts.agent : undefined }, (res) => {
    res.on('data', (c: Buffer) => (bytes += c.length));
    res.on('error', () => {});
  });
  req.on('error', () => {});
  req.end();
  return { bytes: () => bytes, stop: () => req.destroy() };
}

/** A node's drift file, read and written on its folder, or through exec in its daemon pod (in-memory nodes). */
async function driftFile(sim: SimProcess, node: string) {
  const path = join(sim.dataDir, 'nodes', node, 'rootfs', DRIFT_FILE);
  if (existsSync(path))
    return {
      read: async () => readFileSync(path, 'utf8'),
      append: async (text: string) => appendFileSync(path, text),
      write: async (text: string) => writeFileSync(path, text),
    };
  // Past the simulator's in-memory threshold the node has no folder: go through its daemon pod, as the console does.
  const kc = sim.kubeConfig('admin');
  const pod = await clients(kc).daemonPod(node);
  const run = async (cmd: string[], stdin?: string) => {
    const r = await execIn(kc, pod, cmd, stdin);
    if (r.exitCode !== 0) throw new Error(`${cmd.join(' ')} on ${node}: ${r.stderr}`);
    return r.stdout;
  };
  return {
    read: () => run(['cat', `/rootfs/${DRIFT_FILE}`]),
    append: async (text: string) => void (await run(['tee', '-a', `/rootfs/${DRIFT_FILE}`], text)),
    write: async (text: string) => void (await run(['tee', `/rootfs/${DRIFT_FILE}`], text)),
  };
}

/**
 * Time from a file change on a node to its row saying Degraded; then the file is put back. Through exec (in-memory
 * nodes) the time includes the exec's round trip.
 */
async function changeToRow(page: Page, sim: SimProcess, node: string): Promise<number> {
  const file = await driftFile(sim, node);
  const original = await file.read();
  const row = page.getByTestId(`node-row-${node}`);
  await row.waitFor();
  const t0 = performance.now();
  await file.append('# bench drift\n');
  await page
    .waitForFunction(
      (n) => document.querySelector(`[data-testid="node-row-${n}"]`)?.textContent?.includes('Degraded'),
      node,
      { polling: 'raf', timeout: 30_000 },
    )
    .catch(async (err) => {
      const api = await page.evaluate(async (n) => (await fetch(`/api/nodes/${n}`)).json(), node);
      await file.write(original);
      throw new Error(
        `${node}'s row did not turn Degraded in 30 s (the console says ${api.state}: ${api.reason}): ${(err as Error).message}`,
      );
    });
  const ms = performance.now() - t0;
  // Put it back; the daemon returns to Done on its next retry (backoff up to a minute): do not wait for it.
  await file.write(original);
  return ms;
}

export async function browserBench(
  con: ConsoleProcess,
  sim: SimProcess,
  opts: { changes: number; rolloutSeconds: number },
): Promise<BrowserFigures> {
  const browser = await chromium.launch({
    executablePath: process.env.PLUMB_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    // Rendered rows (the visible ones and the table's overscan) each drift once: a distinct node per change.
    let pageBytes = 0;
    cdp.on('Network.dataReceived', (e) => (pageBytes += e.encodedDataLength || 0));
    // What the stream's messages carried, and what fetches (everything but the stream) received.
    const parts = { rows: 0, pools: 0, events: 0, notices: 0, fetches: 0 };
    const streams = new Set<string>();
    cdp.on('Network.responseReceived', (e) => {
      if (e.response.mimeType === 'text/event-stream') streams.add(e.requestId);
    });
    cdp.on('Network.dataReceived', (e) => {
      if (!streams.has(e.requestId)) parts.fetches += e.encodedDataLength || 0;
    });
    cdp.on('Network.eventSourceMessageReceived', (e) => {
      if (e.eventName !== 'delta') return;
      const d = JSON.parse(e.data) as Record<string, unknown>;
      const len = (v: unknown) => (v === undefined ? 0 : JSON.stringify(v).length);
      parts.rows += len(d.rows);
      parts.pools += len(d.pools);
      parts.events += len(d.events);
      parts.notices += len(d.changed) + len(d.stale);
    });

    const poolPage = `${con.url}/pools/worker`;
    const firstVisits: FirstRow[] = [];
    for (let i = 0; i < FIRST_VISITS; i++) {
      const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
      try {
        const p = await ctx.newPage();
        await p.addInitScript(markFirstRow);
        firstVisits.push(await firstRow(p, () => p.goto(poolPage, { waitUntil: 'commit' })));
      } finally {
        await ctx.close();
      }
    }
    await page.addInitScript(markFirstRow);
    await firstRow(page, () => page.goto(poolPage, { waitUntil: 'commit' }));
    await sleep(2000); // let the first load's other requests finish, as they would have for a returning visitor
    const firstRowWarm = await firstRow(page, () => page.reload({ waitUntil: 'commit' }));
    // The whole reply, which the first screen stands in for until it arrives (and the live stream patches).
    const warmPoolFetch = await page
      .waitForFunction(
        () => {
          const e = performance
            .getEntriesByType('resource')
            .find((r) => new URL(r.name).pathname === '/api/pools/worker') as PerformanceResourceTiming | undefined;
          return e && e.responseEnd > 0 ? { start: e.requestStart, end: e.responseEnd } : null;
        },
        undefined,
        { timeout: 60_000 },
      )
      .then((h) => h.jsonValue())
      .catch(() => null);

    const nodes = await page
      .locator(ROW)
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('node-row-'.length)));
    const lat: number[] = [];
    for (let i = 0; i < opts.changes; i++) lat.push(await changeToRow(page, sim, nodes[i % nodes.length]));
    lat.sort((a, b) => a - b);

    // A rollout: a new MachineConfig for the worker role; the pool (maxUnavailable 10%) updates every node.
    const kc = sim.kubeConfig('admin');
    const watch = await rawNodeWatch(kc);
    await sleep(1000); // a watch without resourceVersion opens with an ADDED per node: count from after it
    const watchStart = watch.bytes();
    const pageStart = pageBytes;
    const partsStart = { ...parts };
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    await custom.createClusterCustomObject({
      ...MCO,
      plural: 'machineconfigs',
      body: fileMachineConfig(`99-bench-rollout-${Date.now()}`, 'worker', [
        { path: '/etc/bench-rollout.conf', mode: 420, overwrite: true, source: 'data:,rollout%0A' },
      ]),
    });
    const t1 = performance.now();
    await sleep(opts.rolloutSeconds * 1000);
    const seconds = (performance.now() - t1) / 1000;
    const pageWindow = pageBytes - pageStart;
    const watchWindow = watch.bytes() - watchStart;
    watch.stop();
    const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    const pool = (await (await fetch(`${con.url}/api/pools/worker`)).json()) as {
      pool: { updatedMachineCount: number };
    };
    return {
      firstVisits,
      firstRowWarm,
      warmPoolFetch,
      changeP50: pct(lat, 50),
      changeP99: pct(lat, 99),
      changes: lat.length,
      pageBytesPerMin: (pageWindow * 60) / seconds,
      watchBytesPerMin: (watchWindow * 60) / seconds,
      heapMb: usedSize / 1024 / 1024,
      rolloutNodesUpdated: pool.pool.updatedMachineCount,
      breakdown: {
        rows: parts.rows - partsStart.rows,
        pools: parts.pools - partsStart.pools,
        events: parts.events - partsStart.events,
        notices: parts.notices - partsStart.notices,
        fetches: parts.fetches - partsStart.fetches,
      },
    };
  } finally {
    await browser.close();
  }
}
