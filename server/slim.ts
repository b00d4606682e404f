// Slimming: the informers keep only what views/ read and drop the rest (managedFields, images, capacity,
// heartbeats...), so that memory stays bounded on large clusters.
import type { Node } from '../lib/mco/types';
import { ANNOTATION_PREFIX } from '../lib/mco/types';

/** The kinds the informers watch. */
export type WatchedKind = 'Node' | 'MachineConfig' | 'MachineConfigPool' | 'MachineConfigNode' | 'Event' | 'Pod';

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
export const SLIM = new WeakSet<object>();

/** Replace the object's fields in place (the informer's own map holds the same reference). */
export function replaceInPlace(obj: any, slim: any) {
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

/** The slim form of an object of `kind`. */
export function slim(kind: WatchedKind, o: any): any {
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

/** Slim a watch event's object where the informer keeps it (listed items are slim already). */
export function slimInPlace(kind: WatchedKind, raw: any): void {
  if (raw && typeof raw === 'object' && !SLIM.has(raw)) {
    replaceInPlace(raw, slim(kind, raw));
    SLIM.add(raw);
  }
}
