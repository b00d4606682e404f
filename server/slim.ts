// Slimming: the informers keep only what views/ read and drop the rest (managedFields, images, capacity,
// heartbeats...), so that memory stays bounded on large clusters.
import 'server-only';
import type { Node, NodeCondition, ObjectMeta, Taint } from '../lib/mco/types';
import { ANNOTATION_PREFIX } from '../lib/mco/types';

/** The kinds the informers watch. */
export type WatchedKind = 'Node' | 'MachineConfig' | 'MachineConfigPool' | 'MachineConfigNode' | 'Event' | 'Pod';

const NODE_INFO_KEYS = [
  'kubeletVersion',
  'osImage',
  'kernelVersion',
  'containerRuntimeVersion',
  'architecture',
  'operatingSystem',
];

/** An object as the API server serves it: the fields slimming reads are named, the rest is left as it comes. */
export interface RawObject {
  metadata?: Partial<ObjectMeta>;
  [field: string]: unknown;
}

interface RawNode extends RawObject {
  spec?: { unschedulable?: boolean; taints?: Taint[] };
  status?: {
    conditions?: NodeCondition[];
    addresses?: { type: string; address: string }[];
    nodeInfo?: Record<string, string>;
  };
}

interface RawEvent extends RawObject {
  involvedObject?: { kind?: string; name?: string };
  type?: string;
  reason?: string;
  message?: unknown;
  count?: number;
  series?: { count?: number; lastObservedTime?: string };
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  source?: { component?: string };
  reportingComponent?: string;
}

interface RawPod extends RawObject {
  spec?: { nodeName?: string; containers?: { name: string }[] };
  status?: { phase?: string };
}

/** The slim form of an Event (what server/cache.ts reads; only delivered once its name is known). */
export interface SlimEvent {
  metadata: { name: string; namespace?: string; resourceVersion?: string };
  involvedObject: { kind?: string; name: string };
  type?: string;
  reason?: string;
  message: string;
  count: number;
  firstTimestamp: string | null;
  lastTimestamp: string | null;
  source: string | null;
}

/** The slim form of a daemon Pod. */
export interface SlimPod {
  metadata: { name: string; namespace?: string; resourceVersion?: string };
  spec: { nodeName?: string; containers: { name: string }[] };
  status: { phase?: string };
}

function slimMeta(m: Partial<ObjectMeta> | undefined, keepAnnotations: 'all' | 'mco' | 'none'): Partial<ObjectMeta> {
  const out: Partial<ObjectMeta> = { name: m?.name, resourceVersion: m?.resourceVersion };
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
      for (const [k, v] of Object.entries(m.annotations)) if (k.startsWith(ANNOTATION_PREFIX)) a[k] = v;
      out.annotations = a;
    }
  }
  return out;
}

/** Objects already slimmed (listed items), so watch-side slimming does not run twice. */
export const SLIM = new WeakSet<object>();

/** Replace the object's fields in place (the informer's own map holds the same reference). */
export function replaceInPlace(obj: Record<string, unknown>, slim: object) {
  for (const k of Object.keys(obj)) delete obj[k];
  Object.assign(obj, slim);
}

export function slimNode(o: RawNode): Node {
  const st = o.status ?? {};
  const info: Record<string, string> = {};
  for (const k of NODE_INFO_KEYS) if (st.nodeInfo?.[k]) info[k] = st.nodeInfo[k];
  return {
    metadata: slimMeta(o.metadata, 'mco'),
    spec: { unschedulable: o.spec?.unschedulable, taints: o.spec?.taints },
    status: {
      conditions: (st.conditions ?? []).map((c) => ({
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

function slimWhole(o: RawObject): RawObject {
  return { ...o, metadata: slimMeta(o.metadata, 'all') };
}

/** Name, namespace and resourceVersion: all that an event or a pod keeps of its metadata. */
function keyMeta(o: RawObject) {
  return {
    name: o.metadata?.name as string,
    namespace: o.metadata?.namespace,
    resourceVersion: o.metadata?.resourceVersion,
  };
}

function slimEvent(o: RawEvent): SlimEvent {
  return {
    metadata: keyMeta(o),
    involvedObject: { kind: o.involvedObject?.kind, name: o.involvedObject?.name as string },
    type: o.type,
    reason: o.reason,
    message: typeof o.message === 'string' ? o.message.slice(0, 4000) : '',
    count: o.count ?? o.series?.count ?? 1,
    firstTimestamp: o.firstTimestamp ?? o.eventTime ?? null,
    lastTimestamp: o.lastTimestamp ?? o.series?.lastObservedTime ?? o.eventTime ?? null,
    source: o.source?.component ?? o.reportingComponent ?? null,
  };
}

function slimPod(o: RawPod): SlimPod {
  return {
    metadata: keyMeta(o),
    spec: { nodeName: o.spec?.nodeName, containers: (o.spec?.containers ?? []).map((c) => ({ name: c.name })) },
    status: { phase: o.status?.phase },
  };
}

/** The slim form of an object of `kind`. */
export function slim(kind: WatchedKind, o: RawObject): Node | SlimEvent | SlimPod | RawObject {
  switch (kind) {
    case 'Node':
      return slimNode(o as RawNode);
    case 'Event':
      return slimEvent(o as RawEvent);
    case 'Pod':
      return slimPod(o as RawPod);
    default:
      return slimWhole(o);
  }
}

/** Slim a watch event's object where the informer keeps it (listed items are slim already). */
export function slimInPlace(kind: WatchedKind, raw: unknown): void {
  if (raw && typeof raw === 'object' && !SLIM.has(raw)) {
    replaceInPlace(raw as RawObject, slim(kind, raw as RawObject));
    SLIM.add(raw);
  }
}
