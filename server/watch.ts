// The connection lifecycle of the cache: load the cluster, discover whether MachineConfigNodes are served, run one
// informer per kind, restart each with backoff when its watch fails, and keep the connection status that the
// stream and the 503 replies report. What the objects mean is the cache's business (server/cache.ts).
import 'server-only';
import * as k8s from '@kubernetes/client-node';
import type { ClusterStatusNotice } from '../lib/api/types';
import { loadCluster } from './cluster';
import { DAEMON_LABEL_SELECTOR as MCD_LABEL, MCO_NAMESPACE } from '../lib/mco/constants';
import { unreachable } from './errors';
import { getJson } from './kubehttp';
import { SLIM, slim, type RawObject, type WatchedKind } from './slim';

const MCO_GROUP_PATH = '/apis/machineconfiguration.openshift.io/v1';

/** Where the informers deliver objects. */
export interface WatchSink {
  /** Called once per connection, before any object: whether the cluster serves MachineConfigNodes. */
  connected(kc: k8s.KubeConfig, machineConfigNodesServed: boolean): void;
  onObject(kind: WatchedKind, raw: unknown, deleted: boolean): void;
}

type StatusListener = (s: ClusterStatusNotice) => void;

export interface InformerState {
  kind: WatchedKind;
  informer: k8s.Informer<k8s.KubernetesObject> & { start(): Promise<void>; stop(): Promise<void> };
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

export class ClusterWatch {
  kc: k8s.KubeConfig | null = null;
  /** Exposed for tests that force a relist. */
  readonly informers: InformerState[] = [];
  private status: ClusterStatusNotice = { connected: false, message: 'connecting to the cluster' };
  private everSynced = false;
  /** Set once the first connection attempt has failed: later requests answer 503 at once instead of waiting. */
  private failedOnce = false;
  private statusListeners = new Set<StatusListener>();
  private started = false;
  private stopped = false;
  private connectTimer: NodeJS.Timeout | null = null;
  private connectBackoff = 500;
  private readyWaiters: (() => void)[] = [];

  constructor(private readonly sink: WatchSink) {}

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
        this.setStatus({
          connected: false,
          message: `cannot reach the cluster at ${conn.kc.getCurrentCluster()?.server}: ${e.message}`,
        });
        this.scheduleConnect();
        return;
      }
      // 404: not an OpenShift cluster (no MCO API). Keep going: nodes still show, pools stay empty.
    }
    this.sink.connected(conn.kc, mcnServed);
    const kc = conn.kc;
    this.addInformer('Node', kc, '/api/v1/nodes');
    this.addInformer('MachineConfig', kc, `${MCO_GROUP_PATH}/machineconfigs`);
    this.addInformer('MachineConfigPool', kc, `${MCO_GROUP_PATH}/machineconfigpools`);
    if (mcnServed) this.addInformer('MachineConfigNode', kc, `${MCO_GROUP_PATH}/machineconfignodes`);
    this.addInformer('Event', kc, '/api/v1/events');
    this.addInformer('Pod', kc, `/api/v1/namespaces/${MCO_NAMESPACE}/pods`, MCD_LABEL);
    for (const s of this.informers) void this.runInformer(s);
  }

  /** connect() with any unexpected throw turned into a status notice and a retry: nothing may crash the server. */
  private async connectSafely(): Promise<void> {
    try {
      await this.connect();
    } catch (err) {
      this.setStatus({
        connected: false,
        message: `cannot start watching the cluster: ${(err as Error)?.message ?? err}`,
      });
      this.scheduleConnect();
    }
  }

  private scheduleConnect() {
    if (this.stopped) return;
    this.connectTimer = setTimeout(() => void this.connectSafely(), this.connectBackoff);
    this.connectBackoff = Math.min(this.connectBackoff * 2, 8000);
  }

  private addInformer(kind: WatchedKind, kc: k8s.KubeConfig, path: string, labelSelector?: string) {
    const query = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
    const state: InformerState = {
      kind,
      informer: null as unknown as InformerState['informer'],
      synced: false,
      backoffMs: 500,
      timer: null,
      lastError: null,
      lists: 0,
      lastListAt: 0,
      restarts: 0,
    };
    const listFn = async () => {
      const list = await getJson<k8s.KubernetesListObject<k8s.KubernetesObject>>(kc, path + query);
      state.lists++;
      state.lastListAt = Date.now();
      list.items = (list.items ?? []).map((o) => {
        const s = slim(kind, o as RawObject);
        SLIM.add(s);
        return s as k8s.KubernetesObject;
      });
      return list;
    };
    const informer = k8s.makeInformer(kc, path, listFn, labelSelector) as InformerState['informer'];
    informer.on('add', (o) => this.sink.onObject(kind, o, false));
    informer.on('update', (o) => this.sink.onObject(kind, o, false));
    informer.on('delete', (o) => this.sink.onObject(kind, o, true));
    informer.on('error', (err: unknown) => this.onInformerError(state, err));
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

  private onInformerError(s: InformerState, err: unknown) {
    if (this.stopped) return;
    const e = err as { message?: unknown; code?: unknown; statusCode?: unknown } | null | undefined;
    const message = String(e?.message ?? err);
    s.lastError = message;
    const code = e?.code ?? e?.statusCode;
    if ((code === 403 || code === 401) && (s.kind === 'Event' || s.kind === 'Pod')) {
      // Events and daemon pods are extras: without the right to list them the console still browses (no events,
      // no drift reports). Keep retrying slowly in case the permission is granted later.
      if (!s.synced)
        console.warn(
          `[plumb] cannot list ${s.kind} objects (${code}): ${s.kind === 'Pod' ? 'drift reports are unavailable' : 'no events shown'}`,
        );
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
    return this.informers.map(({ kind, synced, lists, lastListAt, restarts, lastError }) => ({
      kind,
      synced,
      lists,
      lastListAt,
      restarts,
      lastError,
    }));
  }

  onStatus(l: StatusListener): () => void {
    this.statusListeners.add(l);
    return () => this.statusListeners.delete(l);
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
}
