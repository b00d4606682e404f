// /metrics: the console's Prometheus series (prom-client), one registry per process. Cluster-derived series (nodes
// by state, degraded nodes, informer health) are computed from the cache when scraped, so they cost nothing between
// scrapes; drift, actions and request latency are recorded as they happen (drift reads by server/nodefiles.ts,
// requests and actions by the production server, scripts/serve.mjs, through registerMetrics(); pool drift scans by
// server/pooldrift.ts).
//
// Who may scrape: a request with a bearer token whose user may `get` the non-resource URL /metrics, asked of the
// cluster with that very token (a SelfSubjectAccessReview, so an unknown token is a 401 from the cluster and the
// console's own service account needs no TokenReview/SubjectAccessReview rights). This is what kube-rbac-proxy
// enforces in front of OpenShift's own components, and what the monitoring stack's Prometheus service accounts are
// granted (ClusterRole rules with nonResourceURLs: ["/metrics"]), so a ServiceMonitor with its bearer token works.
import 'server-only';
import { createHash } from 'node:crypto';
import * as k8s from '@kubernetes/client-node';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DriftFile } from '../lib/api/types';
import { NodeAnnotations } from '../lib/mco/types';
import { getCache } from './cache';
import { kubeConfigForToken } from './cluster';

// ---------------------------------------------------------------------------------------------------------------
// Routes and actions: label values must stay few, so paths are reduced to their route template.

const COLLECTIONS = new Set(['pools', 'nodes', 'machineconfigs']);
const SUBPATHS = new Set(['drift', 'files', 'policy', 'restore', 'force-reconcile', 'pause']);
const SINGLE = new Set([
  '/api/pools',
  '/api/nodes',
  '/api/machineconfigs',
  '/api/compare',
  '/api/whoami',
  '/api/stream',
  '/api/stream/view',
  '/api/plan',
  '/api/plan/apply',
  '/api/plan/adopt',
]);

/** Routes below an object's subpath: a pool's drift scan, its cancel, bulk restore and reports. */
const NESTED: Record<string, Set<string>> = {
  pools: new Set(['drift/scan', 'drift/scan/cancel', 'drift/restore', 'drift/report']),
};

/** `/api/nodes/worker-1/drift?x` → `/api/nodes/:name/drift`; anything unknown → `/api/other`; null outside /api. */
export function routeOf(url: string): string | null {
  const path = url.split('?')[0];
  if (path !== '/api' && !path.startsWith('/api/')) return null;
  if (SINGLE.has(path)) return path;
  const seg = path.split('/').slice(2); // after '', 'api'
  if (seg.length >= 2 && seg.length <= 3 && COLLECTIONS.has(seg[0]) && seg[1]) {
    if (seg.length === 2) return `/api/${seg[0]}/:name`;
    if (SUBPATHS.has(seg[2])) return `/api/${seg[0]}/:name/${seg[2]}`;
  }
  const sub = seg.slice(2).join('/');
  if (seg.length >= 4 && seg[1] && NESTED[seg[0]]?.has(sub)) return `/api/${seg[0]}/:name/${sub}`;
  return '/api/other';
}

/** The action a POST to `route` performs, if it is one. */
const ACTIONS: Record<string, string> = {
  '/api/nodes/:name/restore': 'restore_file',
  '/api/nodes/:name/force-reconcile': 'force_reconcile',
  '/api/pools/:name/pause': 'pause_pool',
  '/api/pools/:name/drift/restore': 'restore_drift_group',
  '/api/plan/apply': 'apply_plan',
};

/** An action's outcome from its HTTP status: done, refused before acting (4xx), or failed (5xx). */
export function actionResult(status: number): 'succeeded' | 'refused' | 'failed' {
  return status < 400 ? 'succeeded' : status < 500 ? 'refused' : 'failed';
}

// ---------------------------------------------------------------------------------------------------------------
// The registry

interface Metrics {
  registry: Registry;
  /** Drifted file count per node from its last drift read. */
  drift: Map<string, number>;
  actions: Counter<'action' | 'result' | 'code'>;
  latency: Histogram<'route' | 'method' | 'code'>;
  scanSeconds: Histogram<'pool' | 'state'>;
  scanNodes: Counter<'pool' | 'result'>;
}

const KEY = Symbol.for('plumb.metrics');
type G = typeof globalThis & { [KEY]?: Metrics };

function stateOf(annotations: Record<string, string> | undefined): string {
  return annotations?.[NodeAnnotations.state] || 'Unknown';
}

function create(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  new Gauge({
    name: 'plumb_nodes',
    help: 'Nodes by primary MachineConfigPool ("none" when in no pool) and machine-config-daemon state annotation',
    labelNames: ['pool', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      const cache = getCache();
      const counts = new Map<string, { pool: string; state: string; n: number }>();
      for (const [name, node] of cache.nodes) {
        const pool = cache.poolOf(name) ?? 'none';
        const state = stateOf(node.metadata.annotations);
        const k = `${pool}\0${state}`;
        const c = counts.get(k) ?? { pool, state, n: 0 };
        c.n++;
        counts.set(k, c);
      }
      for (const c of counts.values()) this.set({ pool: c.pool, state: c.state }, c.n);
    },
  });

  new Gauge({
    name: 'plumb_degraded_nodes',
    help: 'Nodes whose machine-config-daemon state is Degraded or Unreconcilable, by primary pool',
    labelNames: ['pool'],
    registers: [registry],
    collect() {
      this.reset();
      const cache = getCache();
      for (const pool of cache.pools.keys()) this.set({ pool }, 0);
      for (const name of cache.attention) this.inc({ pool: cache.poolOf(name) ?? 'none' });
    },
  });

  const drift = new Map<string, number>();
  new Gauge({
    name: 'plumb_node_drifted_files',
    help: "Managed files that differ from the node's current config, as of the last drift read of that node through Plumb",
    labelNames: ['node', 'pool'],
    registers: [registry],
    collect() {
      this.reset();
      const cache = getCache();
      for (const [node, n] of drift) {
        // Forget nodes that left the cluster so the series does not outlive them.
        if (!cache.nodes.has(node)) drift.delete(node);
        else this.set({ node, pool: cache.poolOf(node) ?? 'none' }, n);
      }
    },
  });

  const actions = new Counter({
    name: 'plumb_actions_total',
    help: 'Actions requested through Plumb, by action and result (succeeded; refused: 4xx before acting; failed: 5xx)',
    labelNames: ['action', 'result', 'code'],
    registers: [registry],
  });

  const latency = new Histogram({
    name: 'plumb_http_request_duration_seconds',
    help: 'Time to answer /api requests (the event stream excluded), by route template, method and status code',
    labelNames: ['route', 'method', 'code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });

  const scanSeconds = new Histogram({
    name: 'plumb_pool_drift_scan_duration_seconds',
    help: 'Time from start to end of pool drift scans, by pool and how the scan ended (done, cancelled, failed)',
    labelNames: ['pool', 'state'],
    buckets: [1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600],
    registers: [registry],
  });

  const scanNodes = new Counter({
    name: 'plumb_pool_drift_scanned_nodes_total',
    help: 'Nodes read by pool drift scans, by pool and result (read, or error: the node could not be read)',
    labelNames: ['pool', 'result'],
    registers: [registry],
  });

  new Gauge({
    name: 'plumb_cluster_connected',
    help: '1 when every informer is synced with the cluster, 0 otherwise',
    registers: [registry],
    collect() {
      this.set(getCache().getStatus().connected ? 1 : 0);
    },
  });

  // One series per informer kind, read from the cache at each scrape. Monotonic per-process counts are counters
  // (reset, then brought to the cache's own count); the rest are gauges.
  type InformerHealth = ReturnType<ReturnType<typeof getCache>['informerHealth']>[number];
  const perInformer = (type: 'gauge' | 'counter', name: string, help: string, value: (h: InformerHealth) => number) => {
    const Metric = type === 'gauge' ? Gauge : Counter;
    return new Metric({
      name,
      help,
      labelNames: ['kind'],
      registers: [registry],
      collect(this: Gauge | Counter) {
        this.reset();
        for (const h of getCache().informerHealth()) {
          if (this instanceof Gauge) this.set({ kind: h.kind }, value(h));
          else this.inc({ kind: h.kind }, value(h));
        }
      },
    });
  };
  perInformer(
    'gauge',
    'plumb_informer_synced',
    '1 when the informer for this kind has listed and is watching, 0 otherwise',
    (h) => (h.synced ? 1 : 0),
  );
  perInformer(
    'gauge',
    'plumb_informer_last_list_timestamp_seconds',
    'When the informer last completed a LIST (first sync or relist), Unix time',
    (h) => h.lastListAt / 1000,
  );
  perInformer(
    'counter',
    'plumb_informer_lists_total',
    'LISTs completed by the informer (the first sync and every relist)',
    (h) => h.lists,
  );
  perInformer(
    'counter',
    'plumb_informer_restarts_total',
    'Times the informer was restarted after its watch or list failed',
    (h) => h.restarts,
  );

  return { registry, drift, actions, latency, scanSeconds, scanNodes };
}

function metrics(): Metrics {
  const g = globalThis as G;
  return (g[KEY] ??= create());
}

// ---------------------------------------------------------------------------------------------------------------
// Recording

/** A drift read of `node` finished: remember how many of its files differ. */
export function recordDrift(node: string, files: Pick<DriftFile, 'status'>[]): void {
  metrics().drift.set(node, files.filter((f) => f.status !== 'ok').length);
}

/** A pool drift scan ended: how long it took and how many nodes it read or could not read. */
export function recordScan(pool: string, state: string, seconds: number, read: number, errors: number): void {
  const m = metrics();
  m.scanSeconds.observe({ pool, state }, seconds);
  m.scanNodes.inc({ pool, result: 'read' }, read);
  m.scanNodes.inc({ pool, result: 'error' }, errors);
}

/** One finished HTTP request (called by scripts/serve.mjs for every reply). */
export function recordRequest(method: string, url: string, status: number, seconds: number): void {
  const route = routeOf(url);
  if (!route || route === '/api/stream') return;
  const m = metrics();
  const code = String(status);
  m.latency.observe({ route, method, code }, seconds);
  const action = method === 'POST' ? ACTIONS[route] : undefined;
  if (action) m.actions.inc({ action, result: actionResult(status), code });
}

export async function metricsText(): Promise<{ contentType: string; body: string }> {
  const { registry } = metrics();
  return { contentType: registry.contentType, body: await registry.metrics() };
}

// ---------------------------------------------------------------------------------------------------------------
// Who may scrape

const SCRAPE_TTL_MS = 60_000;
const scrapeCache = new Map<string, { at: number; allowed: Promise<boolean> }>();

/** 200 with the series, 401 without a bearer token, 403 when the cluster says the token may not get /metrics. */
export async function scrape(
  authorization: string | null | undefined,
): Promise<{ status: number; contentType: string; body: string }> {
  const text = (status: number, body: string) => ({
    status,
    contentType: 'text/plain; charset=utf-8',
    body: body + '\n',
  });
  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (!token) return text(401, 'a bearer token that may get the non-resource URL /metrics is required');
  const kc = getCache().kc;
  if (!kc) return text(503, 'not connected to a cluster: cannot check who may scrape');
  const key = createHash('sha256').update(token).digest('hex');
  const now = Date.now();
  let hit = scrapeCache.get(key);
  if (!hit || now - hit.at > SCRAPE_TTL_MS) {
    if (scrapeCache.size > 1000) scrapeCache.clear();
    const allowed = kubeConfigForToken(kc, token)
      .makeApiClient(k8s.AuthorizationV1Api)
      .createSelfSubjectAccessReview({ body: { spec: { nonResourceAttributes: { path: '/metrics', verb: 'get' } } } })
      .then((r) => r.status?.allowed === true);
    hit = { at: now, allowed };
    scrapeCache.set(key, hit);
    allowed.catch(() => scrapeCache.delete(key));
  }
  let ok: boolean;
  try {
    ok = await hit.allowed;
  } catch (err) {
    const code = (err as { code?: number }).code;
    if (code === 401) return text(401, 'the cluster rejected the bearer token');
    return text(503, `cannot ask the cluster who may scrape: ${(err as Error).message}`);
  }
  if (!ok) return text(403, 'this token may not get the non-resource URL /metrics');
  const { contentType, body } = await metricsText();
  return { status: 200, contentType, body };
}

const SERVER_KEY = Symbol.for('plumb.metricsHooks');
export interface MetricsHooks {
  recordRequest: typeof recordRequest;
  scrape: typeof scrape;
}

/** Make the recorders reachable from scripts/serve.mjs, which runs outside Next's module graph. */
export function registerMetrics(): void {
  metrics();
  (globalThis as typeof globalThis & { [SERVER_KEY]?: MetricsHooks })[SERVER_KEY] = { recordRequest, scrape };
}
