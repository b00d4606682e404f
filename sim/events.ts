// Kubernetes Events as the simulated controllers and daemons record them (core/v1 Event, aggregated by count
// like client-go's event recorder: the same object, reason and message within a namespace bump `count`).
import type { KubeObject, Store } from './types';

export interface EventInput {
  /** The involved object. Cluster-scoped objects (Node, MachineConfigPool) record into namespace `default`. */
  kind: string;
  name: string;
  namespace?: string;
  uid?: string;
  apiVersion?: string;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** The reporting component, e.g. `machineconfigdaemon`, `machineconfigcontroller-nodecontroller`. */
  component: string;
  /** The node the component runs on (source.host). */
  host?: string;
}

let sequence = 0;

// Aggregation index per store: `namespace/kind/name/reason/message` -> event name. Built by one scan on first use
// (events persisted before a restart aggregate too), then kept up to date here, so recording stays O(1) at
// thousands of nodes instead of scanning every event in the namespace.
const indexes = new WeakMap<Store, Map<string, string>>();

function aggregationKey(namespace: string, kind: string, name: string, reason: string, message: string): string {
  return JSON.stringify([namespace, kind, name, reason, message]);
}

function indexFor(store: Store): Map<string, string> {
  let index = indexes.get(store);
  if (!index) {
    index = new Map();
    for (const e of store.list('events') as any[]) {
      const o = e.involvedObject ?? {};
      index.set(aggregationKey(e.metadata.namespace ?? 'default', o.kind, o.name, e.reason, e.message), e.metadata.name);
    }
    indexes.set(store, index);
  }
  return index;
}

export function recordEvent(store: Store, input: EventInput, now: Date = new Date()): KubeObject {
  const namespace = input.namespace ?? 'default';
  const timestamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const index = indexFor(store);
  const key = aggregationKey(namespace, input.kind, input.name, input.reason, input.message);
  const existingName = index.get(key);
  // The event may have been deleted since (or the name reused): only aggregate into a matching one.
  const existing = existingName ? (store.get('events', existingName, namespace) as any) : undefined;
  if (
    existing &&
    existing.involvedObject?.name === input.name &&
    existing.involvedObject?.kind === input.kind &&
    existing.reason === input.reason &&
    existing.message === input.message
  ) {
    return store.update('events', existing.metadata.name, namespace, (e: any) => {
      e.count = (e.count ?? 1) + 1;
      e.lastTimestamp = timestamp;
    });
  }
  sequence = (sequence + 1) % 1e6;
  const name = `${input.name}.${(now.getTime() * 1000 + sequence).toString(16)}`;
  index.set(key, name);
  return store.create('events', {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace },
    involvedObject: {
      kind: input.kind,
      name: input.name,
      ...(input.namespace ? { namespace: input.namespace } : {}),
      ...(input.uid ? { uid: input.uid } : {}),
      ...(input.apiVersion ? { apiVersion: input.apiVersion } : {}),
    },
    reason: input.reason,
    message: input.message,
    type: input.type,
    source: { component: input.component, ...(input.host ? { host: input.host } : {}) },
    firstTimestamp: timestamp,
    lastTimestamp: timestamp,
    count: 1,
    reportingComponent: input.component,
    reportingInstance: input.host ?? '',
  });
}
