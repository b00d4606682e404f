// What the console needs to decide as the MCO decides what a change does to a node (lib/mco/disruption): the
// cluster's OpenShift version, which picks the release's rules, and the MachineConfiguration `cluster`
// (operator.openshift.io/v1), whose status carries the merged NodeDisruptionPolicy. Both are optional: a cluster that
// does not serve the kind, or an identity that may not read it, still browses; the views then say what is unknown.
// Kept apart from the cache's informers (server/cache.ts) and started on first use, from the same identity.
import 'server-only';
import * as k8s from '@kubernetes/client-node';
import type { ClusterVersionInfo } from '../lib/api/types';
import type { MachineConfiguration } from '../lib/mco/disruption';
import type { ClusterCache } from './cache';
import { getJson, HttpStatusError } from './kubehttp';

const MACHINE_CONFIGURATIONS = '/apis/operator.openshift.io/v1/machineconfigurations';
const CLUSTER_VERSION = '/apis/config.openshift.io/v1/clusterversions/version';
/** How long a view waits for the first answer before it says "unknown". */
const FIRST_SYNC_MS = 4000;
const VERSION_REFRESH_MS = 10 * 60_000;
const RETRY_MAX_MS = 60_000;

/** The MachineConfiguration `cluster` as the console last saw it. */
export type MachineConfigurationState =
  | { state: 'loading' }
  | { state: 'present'; object: MachineConfiguration }
  /** Served and readable, but no object named `cluster`. */
  | { state: 'absent' }
  /** Not served (404) or not readable (401/403) or unreachable: `reason` says which. */
  | { state: 'unavailable'; reason: string };

export interface PolicyInputs {
  cluster: ClusterVersionInfo;
  machineConfiguration: MachineConfigurationState;
}

/** The OpenShift minor a Kubernetes minor ships in (4.16 ↔ 1.29 … 4.20 ↔ 1.33): OpenShift 4.N runs Kubernetes 1.(N+13). */
export function openShiftFromKubernetes(minor: string | undefined): string | null {
  const m = /^(\d+)/.exec(minor ?? '');
  if (!m) return null;
  const n = Number(m[1]) - 13;
  return n >= 1 ? `4.${n}` : null;
}

/** The version a ClusterVersion says the cluster runs: the newest completed update, else the desired one. */
export function clusterVersionOf(cv: unknown): string | null {
  const status = (
    cv as { status?: { history?: { state?: unknown; version?: unknown }[]; desired?: { version?: unknown } } } | null
  )?.status;
  const done = (status?.history ?? []).find((h) => h?.state === 'Completed' && typeof h.version === 'string');
  if (done) return done.version as string;
  return typeof status?.desired?.version === 'string' ? status.desired.version : null;
}

function reasonOf(err: unknown, what: string): string {
  const code = (err as { code?: number; statusCode?: number })?.code ?? (err as { statusCode?: number })?.statusCode;
  if (code === 404) return `the cluster does not serve ${what}`;
  if (code === 401 || code === 403) return `the console's identity may not read ${what}`;
  return `cannot read ${what}: ${(err as Error)?.message ?? err}`;
}

class PolicyWatch {
  private version: ClusterVersionInfo = { version: null, source: null };
  private mc: MachineConfigurationState = { state: 'loading' };
  private versionKnown = false;
  private started = false;
  private informer: (k8s.Informer<k8s.KubernetesObject> & { start(): Promise<void>; stop(): Promise<void> }) | null =
    null;
  private retryMs = 2000;
  private retryTimer: NodeJS.Timeout | null = null;
  private firstSync: Promise<void> | null = null;

  constructor(private readonly cache: ClusterCache) {}

  /** Start once the cache has an identity; resolves when both inputs have a first answer (or after a short wait). */
  async inputs(): Promise<PolicyInputs> {
    if (!this.started && this.cache.kc) {
      this.started = true;
      const kc = this.cache.kc;
      this.firstSync = Promise.all([this.refreshVersion(kc), this.startInformer(kc)]).then(() => {});
    }
    if (this.firstSync && (!this.versionKnown || this.mc.state === 'loading')) {
      await Promise.race([this.firstSync, new Promise((r) => setTimeout(r, FIRST_SYNC_MS))]);
    }
    return { cluster: this.version, machineConfiguration: this.mc };
  }

  private async refreshVersion(kc: k8s.KubeConfig): Promise<void> {
    let next: ClusterVersionInfo | null = null;
    try {
      const v = clusterVersionOf(await getJson(kc, CLUSTER_VERSION, 10_000));
      if (v) next = { version: v, source: 'ClusterVersion' };
    } catch {
      // Not served (a plain Kubernetes API, the simulator) or not readable: infer from /version below.
    }
    if (!next) {
      try {
        const v = openShiftFromKubernetes((await getJson<{ minor?: string }>(kc, '/version', 10_000)).minor);
        if (v) next = { version: v, source: 'kubernetes' };
      } catch {
        // unreachable for now; retried below
      }
    }
    if (next) this.version = next;
    this.versionKnown = true;
    const t = setTimeout(() => void this.refreshVersion(kc), next ? VERSION_REFRESH_MS : 30_000);
    t.unref?.();
  }

  private async startInformer(kc: k8s.KubeConfig): Promise<void> {
    const listFn = async () => {
      const list = await getJson<k8s.KubernetesListObject<k8s.KubernetesObject>>(kc, MACHINE_CONFIGURATIONS);
      this.retryMs = 2000;
      const cluster = (list.items ?? []).find((o) => o?.metadata?.name === 'cluster');
      this.mc = cluster ? { state: 'present', object: cluster as MachineConfiguration } : { state: 'absent' };
      return list;
    };
    const informer = k8s.makeInformer(kc, MACHINE_CONFIGURATIONS, listFn) as NonNullable<PolicyWatch['informer']>;
    const onObject = (o: k8s.KubernetesObject, deleted: boolean) => {
      if (o?.metadata?.name !== 'cluster') return;
      this.mc = deleted ? { state: 'absent' } : { state: 'present', object: o as MachineConfiguration };
    };
    informer.on('add', (o) => onObject(o, false));
    informer.on('update', (o) => onObject(o, false));
    informer.on('delete', (o) => onObject(o, true));
    informer.on('error', (err: unknown) => this.onError(kc, err));
    this.informer = informer;
    await informer.start().catch((err) => this.onError(kc, err));
  }

  private onError(kc: k8s.KubeConfig, err: unknown) {
    const e = err instanceof HttpStatusError ? err : (err as { code?: number });
    const code = (e as { code?: number }).code;
    // A missing kind or a missing right is an answer, kept until a slow retry says otherwise; a lost connection keeps
    // the last object seen (the daemon, too, decides by the last status it read).
    if (code === 404 || code === 401 || code === 403 || this.mc.state === 'loading') {
      this.mc = {
        state: 'unavailable',
        reason: reasonOf(err, 'MachineConfiguration objects (operator.openshift.io/v1)'),
      };
    }
    if (this.retryTimer) return; // the list and the watch may both report one failure
    const wait = code === 404 || code === 403 ? RETRY_MAX_MS : this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.informer?.start().catch((e2) => this.onError(kc, e2));
    }, wait);
    this.retryTimer.unref?.();
  }
}

const KEY = Symbol.for('plumb.policyWatch');

/** The process-wide policy inputs of the cache's cluster. */
export function policyInputs(cache: ClusterCache): Promise<PolicyInputs> {
  const g = globalThis as typeof globalThis & { [KEY]?: PolicyWatch };
  g[KEY] ??= new PolicyWatch(cache);
  return g[KEY].inputs();
}
