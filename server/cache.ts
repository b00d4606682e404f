// The console's in-memory picture of the cluster: one informer per kind, started once per process, restarted with
// backoff when a watch fails. Every page view reads from here; nothing LISTs per request. Objects are slimmed to the
// fields the console shows so that memory stays bounded on large clusters.
import * as k8s from '@kubernetes/client-node';
import type { ChangeNotice, ClusterStatusNotice } from '../lib/api/types';
import type { MachineConfig, MachineConfigNode, MachineConfigPool, Node } from '../lib/mco/types';
import { ANNOTATION_PREFIX, NodeAnnotations } from '../lib/mco/types';
import { DAEMON_LABEL_SELECTOR, MCO_NAMESPACE, poolMembership } from '../lib/mco';
import { loadCluster } from './cluster';
import { unreachable } from './errors';
import { getJson } from './kubehttp';

const MCO_GROUP_PATH = '/apis/machineconfiguration.openshift.io/v1';
/** Events kept per involved object (newest last). */
const EVENTS_PER_OBJECT = 50;

export interface EventLite {
  namespace: string;
  name: string;
  type: string;
  reason: string;
  message: string;
  involvedKind: string;
  involvedName: string;
  count: number;
  firstTimestamp: string | null;
  lastTimestamp: string | null;
  source: string | null;
}

export interface DaemonPod {
  name: string;
  namespace: string;
  nodeName: string | null;
  phase: string | null;
  containers: string[];
}

type Kind = ChangeNotice['kind'] | 'Pod';
type Listener = (n: ChangeNotice) => void;
type StatusListener = (s: ClusterStatusNotice) => void;

interface InformerState {
  kind: Kind;
  informer: k8s.Informer<any> & { start(): Promise<void>; stop(): Promise<void> };
  synced: boolean;
  backoffMs: number;
  timer: NodeJS.Timeout | null;
  lastError: string | null;
  /** Completed LISTs (the first sync, then every relist after a 410 or a restart). */
  lists: number;
  /** When the last LIST completed (ms since the epoch), 0 before the first. */
  lastListAt: number;
  /** Times the informer was started again after a failure. */
  restarts: number;
}

/** One informer's health, for /readyz and /metrics (server/health.ts, server/metrics.ts). */
export interface InformerHealth {
  kind: string;
  synced: boolean;
  lists: number;
  lastListAt: number;
  restarts: number;
  lastError: string | null;
}

// ---------------------------------------------------------------------------------------------------------------
// Slimming: keep what views/ read, drop the rest (managedFields, images, capacity, heartbeats...).

const NODE_INFO_KEYS = ['kubeletVersion', 'osImage', 'kernelVersion', 'containerRuntimeVersion', 'architecture', 'operatingSystem'];

function slimMeta(m: any, keepAnnotations: 'all' | 'mco' | 'none') {
  const out: any = { name: m?.name, resourceVersion: m?.resourceVersion };
  if (m?.namespace) out.namespace = m.namespace;
  if (m?.uid) out.uid = m.uid;
  if (m?.generation !== undefined) out.generation = m.generation;
  if (m?.creationTimestamp) out.creationTimestamp = m.creationTimestamp;
  if (m?.labels) out.labels = m.labels;
  if (m?.ownerReferences) out.ownerReferences = m.ownerReferences;
  if (m?.annotations && keepAnnotations !== 'none') {
    if (keepAnnotations === 'all') out.annotations = m.annotations;
    else {
      const a: Record<string, string> = {};
      for (const [k, v] of Object.entries(m.annotations as Record<string, string>)) if (k.startsWith(ANNOTATION_PREFIX)) a[k] = v;
      out.annotations = a;
    }
  }
  return out;
}

/** Objects already slimmed (listed items), so watch-side slimming does not run twice. */
const SLIM = new WeakSet<object>();

/** Replace the object's fields in place (the informer's own map holds the same reference). */
function replaceInPlace(obj: any, slim: any) {
  for (const k of Object.keys(obj)) delete obj[k];
  Object.assign(obj, slim);
}

export function slimNode(o: any): Node {
  const st = o.status ?? {};
  const info: Record<string, string> = {};
  for (const k of NODE_INFO_KEYS) if (st.nodeInfo?.[k]) info[k] = st.nodeInfo[k];
  return {
    metadata: slimMeta(o.metadata, 'mco'),
    spec: { unschedulable: o.spec?.unschedulable, taints: o.spec?.taints },
    status: {
      conditions: (st.conditions ?? []).map((c: any) => ({
        type: c.type,
        status: c.status,
        reason: c.reason,
        message: c.message,
        lastTransitionTime: c.lastTransitionTime,
      })),
      addresses: st.addresses ?? [],
      nodeInfo: info,
    },
  } as Node;
}

function slimWhole(o: any): any {
  return { ...o, metadata: slimMeta(o.metadata, 'all') };
}

function slimEvent(o: any): any {
  return {
    metadata: { name: o.metadata?.name, namespace: o.metadata?.namespace, resourceVersion: o.metadata?.resourceVersion },
    involvedObject: { kind: o.involvedObject?.kind, name: o.involvedObject?.name },
    type: o.type,
    reason: o.reason,
    message: typeof o.message === 'string' ? o.message.slice(0, 4000) : '',
    count: o.count ?? o.series?.count ?? 1,
    firstTimestamp: o.firstTimestamp ?? o.eventTime ?? null,
    lastTimestamp: o.lastTimestamp ?? o.series?.lastObservedTime ?? o.eventTime ?? null,
    source: o.source?.component ?? o.reportingComponent ?? null,
  };
}

function slimPod(o: any): any {
  return {
    metadata: { name: o.metadata?.name, namespace: o.metadata?.namespace, resourceVersion: o.metadata?.resourceVersion },
    spec: { nodeName: o.spec?.nodeName, containers: (o.spec?.containers ?? []).map((c: any) => ({ name: c.name })) },
    status: { phase: o.status?.phase },
  };
}

// ---------------------------------------------------------------------------------------------------------------

export class ClusterCache {
  readonly nodes = new Map<string, Node>();
  readonly machineConfigs = new Map<string, MachineConfig>();
  readonly pools = new Map<string, MachineConfigPool>();
  /** null when the cluster does not serve MachineConfigNodes. */
  machineConfigNodes: Map<string, MachineConfigNode> | null = null;
  readonly events = new Map<string, EventLite>();
  private readonly eventsByObject = new Map<string, Set<string>>();
  readonly daemonPods = new Map<string, DaemonPod>();
  private readonly podByNode = new Map<string, string>();

  /** Primary pool per node, kept incrementally; recomputed in full when pools change. */
  private readonly nodePool = new Map<string, string | null>();
  private readonly poolMembers = new Map<string, Set<string>>();
  readonly membershipErrors = new Map<string, string>();
  /** Degraded or Unreconcilable nodes. */
  readonly attention = new Set<string>();

  /** Bumped on every change; views memoise per generation. */
  generation = 0;
  kc: k8s.KubeConfig | null = null;
  private status: ClusterStatusNotice = { connected: false, message: 'connecting to the cluster' };
  private everSynced = false;
  /** Set once the first connection attempt has failed: later requests answer 503 at once instead of waiting. */
  private failedOnce = false;
  private informers: InformerState[] = [];
  private listeners = new Set<Listener>();
  private statusListeners = new Set<StatusListener>();
  private started = false;
  private stopped = false;
  private connectTimer: NodeJS.Timeout | null = null;
  private connectBackoff = 500;
  private readyWaiters: (() => void)[] = [];

  // -- lifecycle ----------------------------------------------------------------------------------------------

  start(): void {
    if (this.started) return;
    this.started = true;
    void this.connectSafely();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.connectTimer) clearTimeout(this.connectTimer);
    for (const s of this.informers) {
      if (s.timer) clearTimeout(s.timer);
      await s.informer.stop().catch(() => {});
    }
  }

  /** Discovery (is MachineConfigNode served?), then one informer per kind. Retried with backoff until it works. */
  private async connect(): Promise<void> {
    if (this.stopped) return;
    const conn = loadCluster();
    if (!conn.ok) {
      this.setStatus({ connected: false, message: conn.message });
      this.scheduleConnect();
      return;
    }
    this.kc = conn.kc;
    let mcnServed = false;
    try {
      const list = await getJson<{ resources?: { name: string }[] }>(conn.kc, MCO_GROUP_PATH, 10_000);
      mcnServed = !!list.resources?.some((r) => r.name === 'machineconfignodes');
    } catch (err) {
      const e = err as { code?: number; message?: string };
      if (e.code !== 404) {
        this.setStatus({ connected: false, message: `cannot reach the cluster at ${conn.kc.getCurrentCluster()?.server}: ${e.message}` });
        this.scheduleConnect();
        return;
      }
      // 404: not an OpenShift cluster (no MCO API). Keep going: nodes still show, pools stay empty.
    }
    this.machineConfigNodes = mcnServed ? new Map() : null;
    const kc = conn.kc;
    this.addInformer('Node', kc, '/api/v1/nodes');
    this.addInformer('MachineConfig', kc, `${MCO_GROUP_PATH}/machineconfigs`);
    this.addInformer('MachineConfigPool', kc, `${MCO_GROUP_PATH}/machineconfigpools`);
    if (mcnServed) this.addInformer('MachineConfigNode', kc, `${MCO_GROUP_PATH}/machineconfignodes`);
    this.addInformer('Event', kc, '/api/v1/events');
    this.addInformer('Pod', kc, `/api/v1/namespaces/${MCO_NAMESPACE}/pods`, DAEMON_LABEL_SELECTOR);
    for (const s of this.informers) void this.runInformer(s);
  }

  /** connect() with any unexpected throw turned into a status notice and a retry: nothing may crash the server. */
  private async connectSafely(): Promise<void> {
    try {
      await this.connect();
    } catch (err) {
      this.setStatus({ connected: false, message: `cannot start watching the cluster: ${(err as Error)?.message ?? err}` });
      this.scheduleConnect();
    }
  }

  private scheduleConnect() {
    if (this.stopped) return;
    this.connectTimer = setTimeout(() => void this.connectSafely(), this.connectBackoff);
    this.connectBackoff = Math.min(this.connectBackoff * 2, 8000);
  }

  private addInformer(kind: Kind, kc: k8s.KubeConfig, path: string, labelSelector?: string) {
    const query = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
    const state: InformerState = { kind, informer: null as any, synced: false, backoffMs: 500, timer: null, lastError: null, lists: 0, lastListAt: 0, restarts: 0 };
    const listFn = async () => {
      const list = await getJson<any>(kc, path + query);
      state.lists++;
      state.lastListAt = Date.now();
      list.items = (list.items ?? []).map((o: any) => {
        const slim = this.slim(kind, o);
        SLIM.add(slim);
        return slim;
      });
      return list;
    };
    const informer = k8s.makeInformer(kc, path, listFn as any, labelSelector) as InformerState['informer'];
    informer.on('add', (o: any) => this.onObject(kind, o, false));
    informer.on('update', (o: any) => this.onObject(kind, o, false));
    informer.on('delete', (o: any) => this.onObject(kind, o, true));
    informer.on('error', (err: any) => this.onInformerError(state, err));
    state.informer = informer;
    this.informers.push(state);
  }

  private async runInformer(s: InformerState) {
    if (this.stopped) return;
    if (s.timer || s.lastError !== null) s.restarts++;
    s.timer = null;
    // start() lists (firing add/update/delete), then opens the watch; a failed list fires 'error'.
    s.lastError = null;
    await s.informer.start().catch((err) => this.onInformerError(s, err));
    if (s.lastError === null && !this.stopped) {
      s.synced = true;
      s.backoffMs = 500;
      this.updateStatus();
    }
  }

  private onInformerError(s: InformerState, err: any) {
    if (this.stopped) return;
    const message = String(err?.message ?? err);
    s.lastError = message;
    const code = err?.code ?? err?.statusCode;
    if ((code === 403 || code === 401) && (s.kind === 'Event' || s.kind === 'Pod')) {
      // Events and daemon pods are extras: without the right to list them the console still browses (no events,
      // no drift reports). Keep retrying slowly in case the permission is granted later.
      if (!s.synced) console.warn(`[plumb] cannot list ${s.kind} objects (${code}): ${s.kind === 'Pod' ? 'drift reports are unavailable' : 'no events shown'}`);
      s.synced = true;
      this.updateStatus();
      if (!s.timer) s.timer = setTimeout(() => void this.runInformer(s), 60_000);
      return;
    }
    s.synced = false;
    const server = this.kc?.getCurrentCluster()?.server ?? 'the cluster';
    this.setStatus({ connected: false, message: `lost the watch on ${s.kind} objects at ${server}: ${message}` });
    if (s.timer) return;
    s.timer = setTimeout(() => void this.runInformer(s), s.backoffMs);
    s.backoffMs = Math.min(s.backoffMs * 2, 8000);
  }

  private updateStatus() {
    if (this.informers.length && this.informers.every((s) => s.synced)) {
      this.everSynced = true;
      this.setStatus({ connected: true, message: null });
      for (const w of this.readyWaiters.splice(0)) w();
    }
  }

  private setStatus(s: ClusterStatusNotice) {
    if (!s.connected && s.message !== 'connecting to the cluster') {
      this.failedOnce = true;
      for (const w of this.readyWaiters.splice(0)) w();
    }
    if (s.connected === this.status.connected && s.message === this.status.message) return;
    this.status = s;
    for (const l of this.statusListeners) l(s);
  }

  getStatus(): ClusterStatusNotice {
    return this.status;
  }

  informerHealth(): InformerHealth[] {
    return this.informers.map(({ kind, synced, lists, lastListAt, restarts, lastError }) => ({ kind, synced, lists, lastListAt, restarts, lastError }));
  }

  /** For data endpoints: wait for the first sync (a few seconds at most), then 503 while disconnected. */
  async requireConnected(waitMs = 5000): Promise<void> {
    this.start();
    if (this.status.connected) return;
    if (!this.everSynced && !this.failedOnce) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, waitMs);
        this.readyWaiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
      if (this.status.connected) return;
    }
    throw unreachable(this.status.message ?? 'the cluster is not reachable');
  }

  // -- change handling ----------------------------------------------------------------------------------------

  private slim(kind: Kind, o: any): any {
    switch (kind) {
      case 'Node':
        return slimNode(o);
      case 'Event':
        return slimEvent(o);
      case 'Pod':
        return slimPod(o);
      default:
        return slimWhole(o);
    }
  }

  private onObject(kind: Kind, raw: any, deleted: boolean) {
    // Watch events arrive unslimmed; slim them where the informer keeps them (listed items are slim already).
    if (raw && typeof raw === 'object' && !SLIM.has(raw)) {
      replaceInPlace(raw, this.slim(kind, raw));
      SLIM.add(raw);
    }
    const name: string = raw?.metadata?.name;
    if (!name) return;
    this.generation++;
    switch (kind) {
      case 'Node':
        return this.onNode(raw as Node, deleted);
      case 'MachineConfig':
        if (deleted) this.machineConfigs.delete(name);
        else this.machineConfigs.set(name, raw);
        return this.emit({ kind, name });
      case 'MachineConfigPool':
        if (deleted) this.pools.delete(name);
        else this.pools.set(name, raw);
        this.recomputeMembership();
        return this.emit({ kind, name });
      case 'MachineConfigNode':
        if (!this.machineConfigNodes) return;
        if (deleted) this.machineConfigNodes.delete(name);
        else this.machineConfigNodes.set(name, raw);
        return this.emit({ kind, name });
      case 'Event':
        return this.onEvent(raw, deleted);
      case 'Pod':
        return this.onPod(raw, deleted);
    }
  }

  private onNode(node: Node, deleted: boolean) {
    const name = node.metadata.name;
    const prev = this.nodes.get(name);
    if (deleted) {
      this.nodes.delete(name);
      this.setNodePool(name, undefined);
      this.attention.delete(name);
      this.membershipErrors.delete(name);
    } else {
      this.nodes.set(name, node);
      const labelsChanged = !prev || JSON.stringify(prev.metadata.labels ?? {}) !== JSON.stringify(node.metadata.labels ?? {});
      if (labelsChanged) this.assignPool(node);
      const state = node.metadata.annotations?.[NodeAnnotations.state];
      if (state === 'Degraded' || state === 'Unreconcilable') this.attention.add(name);
      else this.attention.delete(name);
    }
    this.emit({ kind: 'Node', name });
  }

  private assignPool(node: Node) {
    const name = node.metadata.name;
    const { byPool, errors } = poolMembership([...this.pools.values()], [node]);
    let pool: string | null = null;
    for (const [p, ns] of Object.entries(byPool)) if (ns.some((n) => n.metadata.name === name)) pool = p;
    const err = errors.find((e) => e.node === name);
    if (err) this.membershipErrors.set(name, err.message);
    else this.membershipErrors.delete(name);
    this.setNodePool(name, pool);
  }

  private setNodePool(node: string, pool: string | null | undefined) {
    const old = this.nodePool.get(node);
    if (old) this.poolMembers.get(old)?.delete(node);
    if (pool === undefined) {
      this.nodePool.delete(node);
      return;
    }
    this.nodePool.set(node, pool);
    if (pool) {
      let s = this.poolMembers.get(pool);
      if (!s) this.poolMembers.set(pool, (s = new Set()));
      s.add(node);
    }
  }

  private recomputeMembership() {
    this.nodePool.clear();
    this.poolMembers.clear();
    this.membershipErrors.clear();
    const { byPool, errors } = poolMembership([...this.pools.values()], [...this.nodes.values()]);
    for (const n of this.nodes.keys()) this.nodePool.set(n, null);
    for (const [p, ns] of Object.entries(byPool)) {
      const s = new Set<string>();
      for (const n of ns) {
        s.add(n.metadata.name);
        this.nodePool.set(n.metadata.name, p);
      }
      this.poolMembers.set(p, s);
    }
    for (const e of errors) this.membershipErrors.set(e.node, e.message);
  }

  private onEvent(e: any, deleted: boolean) {
    const key = `${e.metadata.namespace ?? ''}/${e.metadata.name}`;
    const objKey = `${e.involvedObject?.kind}/${e.involvedObject?.name}`;
    const prev = this.events.get(key);
    if (prev) this.eventsByObject.get(`${prev.involvedKind}/${prev.involvedName}`)?.delete(key);
    if (deleted) {
      this.events.delete(key);
    } else {
      const kind = e.involvedObject?.kind;
      if (kind !== 'Node' && kind !== 'MachineConfigPool' && kind !== 'MachineConfig') return;
      this.events.set(key, {
        namespace: e.metadata.namespace ?? '',
        name: e.metadata.name,
        type: e.type ?? 'Normal',
        reason: e.reason ?? '',
        message: e.message ?? '',
        involvedKind: kind,
        involvedName: e.involvedObject.name,
        count: e.count ?? 1,
        firstTimestamp: e.firstTimestamp,
        lastTimestamp: e.lastTimestamp,
        source: e.source,
      });
      let set = this.eventsByObject.get(objKey);
      if (!set) this.eventsByObject.set(objKey, (set = new Set()));
      set.add(key);
      if (set.size > EVENTS_PER_OBJECT) {
        // Drop the oldest so a chatty object cannot grow memory without bound.
        const oldest = [...set].sort((a, b) => (this.events.get(a)?.lastTimestamp ?? '').localeCompare(this.events.get(b)?.lastTimestamp ?? ''))[0];
        set.delete(oldest);
        this.events.delete(oldest);
      }
    }
    this.emit({ kind: 'Event', name: e.involvedObject?.name ?? e.metadata.name });
  }

  private onPod(p: any, deleted: boolean) {
    const name = p.metadata.name;
    const prev = this.daemonPods.get(name);
    if (prev?.nodeName && this.podByNode.get(prev.nodeName) === name) this.podByNode.delete(prev.nodeName);
    if (deleted) {
      this.daemonPods.delete(name);
      return;
    }
    const pod: DaemonPod = {
      name,
      namespace: p.metadata.namespace ?? MCO_NAMESPACE,
      nodeName: p.spec?.nodeName ?? null,
      phase: p.status?.phase ?? null,
      containers: (p.spec?.containers ?? []).map((c: any) => c.name),
    };
    this.daemonPods.set(name, pod);
    if (pod.nodeName && pod.phase !== 'Succeeded' && pod.phase !== 'Failed') this.podByNode.set(pod.nodeName, name);
  }

  private emit(n: ChangeNotice) {
    for (const l of this.listeners) {
      try {
        l(n);
      } catch {
        // A broken listener (a closed stream) must not stop the others.
      }
    }
  }

  // -- reads --------------------------------------------------------------------------------------------------

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  onStatus(l: StatusListener): () => void {
    this.statusListeners.add(l);
    return () => this.statusListeners.delete(l);
  }

  poolOf(node: string): string | null {
    return this.nodePool.get(node) ?? null;
  }

  poolNodeNames(pool: string): string[] {
    return [...(this.poolMembers.get(pool) ?? [])];
  }

  daemonPodFor(node: string): DaemonPod | null {
    const name = this.podByNode.get(node);
    return name ? (this.daemonPods.get(name) ?? null) : null;
  }

  eventsFor(kind: string, name: string): EventLite[] {
    const keys = this.eventsByObject.get(`${kind}/${name}`);
    if (!keys) return [];
    const out: EventLite[] = [];
    for (const k of keys) {
      const e = this.events.get(k);
      if (e) out.push(e);
    }
    return out.sort((a, b) => (b.lastTimestamp ?? '').localeCompare(a.lastTimestamp ?? ''));
  }
}

const KEY = Symbol.for('plumb.cache');
type G = typeof globalThis & { [KEY]?: ClusterCache };

/** The process-wide cache (one per process even when route bundles duplicate this module). */
export function getCache(): ClusterCache {
  const g = globalThis as G;
  if (!g[KEY]) {
    g[KEY] = new ClusterCache();
    g[KEY].start();
  }
  return g[KEY];
}
