// The console's in-memory picture of the cluster, kept by the informers of server/watch.ts: the objects by kind and
// the indexes the views need (pool membership, nodes needing attention, events per object, daemon pod per node).
// Every page view reads from here; nothing LISTs per request.
import 'server-only';
import type * as k8s from '@kubernetes/client-node';
import { randomUUID } from 'node:crypto';
import type { CacheRev, ClusterStatusNotice } from '../lib/api/types';
import type { MachineConfig, MachineConfigNode, MachineConfigPool, Node } from '../lib/mco/types';
import { NodeAnnotations } from '../lib/mco/types';
import { poolMembership } from '../lib/mco';
import { MCO_NAMESPACE } from '../lib/mco/constants';
import { ViewDeltas, type CacheChange } from './deltas';
import { processSingleton } from './singleton';
import { slimInPlace, type RawObject, type SlimEvent, type SlimPod, type WatchedKind } from './slim';
import { ClusterWatch, type InformerHealth, type WatchSink } from './watch';

export type { InformerHealth } from './watch';
export type { CacheChange } from './deltas';

export { slimNode } from './slim';

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

type Listener = (n: CacheChange) => void;

export class ClusterCache implements WatchSink {
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
  /** Names this cache in replies and on the stream, so a delta is compared only with replies of the same cache. */
  readonly epoch = randomUUID().slice(0, 8);
  private readonly deltas = new ViewDeltas(this);
  private listeners = new Set<Listener>();
  readonly watch = new ClusterWatch(this);

  // -- lifecycle (server/watch.ts) ------------------------------------------------------------------------------

  /** The console's own identity, once a cluster is configured. */
  get kc(): k8s.KubeConfig | null {
    return this.watch.kc;
  }

  start(): void {
    this.watch.start();
  }

  stop(): Promise<void> {
    return this.watch.stop();
  }

  getStatus(): ClusterStatusNotice {
    return this.watch.getStatus();
  }

  informerHealth(): InformerHealth[] {
    return this.watch.informerHealth();
  }

  onStatus(l: (s: ClusterStatusNotice) => void): () => void {
    return this.watch.onStatus(l);
  }

  /** For data endpoints: wait for the first sync (a few seconds at most), then 503 while disconnected. */
  requireConnected(waitMs = 5000): Promise<void> {
    return this.watch.requireConnected(waitMs);
  }

  connected(_kc: k8s.KubeConfig, machineConfigNodesServed: boolean): void {
    this.machineConfigNodes = machineConfigNodesServed ? new Map() : null;
  }

  // -- change handling ----------------------------------------------------------------------------------------

  onObject(kind: WatchedKind, raw: unknown, deleted: boolean) {
    slimInPlace(kind, raw);
    const name = (raw as RawObject | null)?.metadata?.name;
    if (!name) return;
    this.generation++;
    switch (kind) {
      case 'Node':
        return this.onNode(raw as Node, deleted);
      case 'MachineConfig':
        if (deleted) this.machineConfigs.delete(name);
        else this.machineConfigs.set(name, raw as MachineConfig);
        return this.emit({ kind, name });
      case 'MachineConfigPool':
        if (deleted) this.pools.delete(name);
        else this.pools.set(name, raw as MachineConfigPool);
        this.recomputeMembership();
        return this.emit(this.poolChange(name));
      case 'MachineConfigNode':
        if (!this.machineConfigNodes) return;
        if (deleted) this.machineConfigNodes.delete(name);
        else this.machineConfigNodes.set(name, raw as MachineConfigNode);
        return this.emit({ kind, name });
      case 'Event':
        return this.onEvent(raw as SlimEvent, deleted);
      case 'Pod':
        return this.onPod(raw as SlimPod, deleted);
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
      const labelsChanged =
        !prev || JSON.stringify(prev.metadata.labels ?? {}) !== JSON.stringify(node.metadata.labels ?? {});
      if (labelsChanged) this.assignPool(node);
      const state = node.metadata.annotations?.[NodeAnnotations.state];
      if (state === 'Degraded' || state === 'Unreconcilable') this.attention.add(name);
      else this.attention.delete(name);
    }
    this.emit(this.deltas.node(name));
  }

  /** A pool's change; a pool's selector may move nodes between pools, whose pages then cannot be patched. */
  private poolChange(name: string): CacheChange {
    const change = this.deltas.pool(name);
    const moved = this.deltas.remember();
    if (moved.length) change.members = moved;
    return change;
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

  private onEvent(e: SlimEvent, deleted: boolean) {
    const key = `${e.metadata.namespace ?? ''}/${e.metadata.name}`;
    const objKey = `${e.involvedObject?.kind}/${e.involvedObject?.name}`;
    const prev = this.events.get(key);
    if (prev) this.eventsByObject.get(`${prev.involvedKind}/${prev.involvedName}`)?.delete(key);
    if (deleted) {
      this.events.delete(key);
      if (!prev) return;
      return this.emit(this.deltas.event(prev, true));
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
        const oldest = [...set].sort((a, b) =>
          (this.events.get(a)?.lastTimestamp ?? '').localeCompare(this.events.get(b)?.lastTimestamp ?? ''),
        )[0];
        set.delete(oldest);
        this.events.delete(oldest);
      }
    }
    const lite = this.events.get(key);
    this.emit(
      lite ? this.deltas.event(lite, false) : { kind: 'Event', name: e.involvedObject?.name ?? e.metadata.name },
    );
  }

  private onPod(p: SlimPod, deleted: boolean) {
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
      containers: (p.spec?.containers ?? []).map((c) => c.name),
    };
    this.daemonPods.set(name, pod);
    if (pod.nodeName && pod.phase !== 'Succeeded' && pod.phase !== 'Failed') this.podByNode.set(pod.nodeName, name);
  }

  /** The state replies are built from, for the stream's deltas to be compared with. */
  rev(): CacheRev {
    return { epoch: this.epoch, gen: this.generation };
  }

  private emit(n: CacheChange) {
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

/** The process-wide cache, started on first use. */
export function getCache(): ClusterCache {
  return processSingleton('cache', () => {
    const c = new ClusterCache();
    c.start();
    return c;
  });
}
