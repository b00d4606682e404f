// Kubernetes Events as the simulated controllers and daemons record them (core/v1 Event), bounded like a real
// cluster's so state.json does not grow without end:
// - repeats aggregate like client-go's event recorder (tools/record/events_cache.go): the same object, reason and
//   message bump `count` and `lastTimestamp`; past 10 different messages for the same object, type and reason
//   within 10 minutes, further ones go into one event whose message starts `(combined from similar events): `;
// - events expire a TTL after their last update, like kube-apiserver's `--event-ttl` (default 1h).
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

/** kube-apiserver's default `--event-ttl`. */
export const DEFAULT_EVENT_TTL_MS = 60 * 60 * 1000;
// client-go's EventAggregator defaults (tools/record/events_cache.go defaultAggregateMaxEvents, ...IntervalInSeconds).
const SIMILAR_MAX = 10;
const SIMILAR_WINDOW_MS = 10 * 60 * 1000;
const COMBINED_PREFIX = '(combined from similar events): ';

// Distinct messages seen per object/type/reason/source within the current window, per store.
const similar = new WeakMap<Store, Map<string, { messages: Set<string>; since: number }>>();

/** The message to record: `input.message`, or the combined form once an object has had too many similar events. */
function similarMessage(
  store: Store,
  input: EventInput,
  namespace: string,
  now: number,
): { message: string; combined: boolean } {
  let byKey = similar.get(store);
  if (!byKey) similar.set(store, (byKey = new Map()));
  const key = JSON.stringify([
    namespace,
    input.kind,
    input.name,
    input.type,
    input.reason,
    input.component,
    input.host ?? '',
  ]);
  let rec = byKey.get(key);
  if (!rec || now - rec.since > SIMILAR_WINDOW_MS) byKey.set(key, (rec = { messages: new Set(), since: now }));
  rec.messages.add(input.message);
  if (rec.messages.size < SIMILAR_MAX) return { message: input.message, combined: false };
  return { message: COMBINED_PREFIX + input.message, combined: true };
}

// Aggregation index per store: `namespace/kind/name/reason/message` -> event name. Built by one scan on first use
// (events persisted before a restart aggregate too), then kept up to date here, so recording stays O(1) at
// thousands of nodes instead of scanning every event in the namespace.
const indexes = new WeakMap<Store, Map<string, string>>();

function aggregationKey(
  namespace: string,
  kind: string | undefined,
  name: string | undefined,
  reason: string,
  message: string,
): string {
  return JSON.stringify([namespace, kind, name, reason, message]);
}

/** The fields of a core/v1 Event this module reads and writes. */
type EventObject = KubeObject & {
  involvedObject?: { kind?: string; name?: string };
  reason: string;
  message: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  series?: { lastObservedTime?: string };
};

function indexFor(store: Store): Map<string, string> {
  let index = indexes.get(store);
  if (!index) {
    index = new Map();
    for (const e of store.list('events') as EventObject[]) {
      const o = e.involvedObject ?? {};
      index.set(
        aggregationKey(e.metadata.namespace ?? 'default', o.kind, o.name, e.reason, e.message),
        e.metadata.name,
      );
    }
    indexes.set(store, index);
  }
  return index;
}

export function recordEvent(store: Store, input: EventInput, now: Date = new Date()): KubeObject {
  const namespace = input.namespace ?? 'default';
  const timestamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const index = indexFor(store);
  const { message, combined } = similarMessage(store, input, namespace, now.getTime());
  // All combined events of an object and reason share one key, whatever their message.
  const key = aggregationKey(namespace, input.kind, input.name, input.reason, combined ? COMBINED_PREFIX : message);
  const existingName = index.get(key);
  // The event may have been deleted (expired) since, or the name reused: only aggregate into a matching one.
  const existing = existingName ? (store.get('events', existingName, namespace) as EventObject | undefined) : undefined;
  if (
    existing &&
    existing.involvedObject?.name === input.name &&
    existing.involvedObject?.kind === input.kind &&
    existing.reason === input.reason &&
    (combined ? String(existing.message).startsWith(COMBINED_PREFIX) : existing.message === message)
  ) {
    return store.update('events', existing.metadata.name, namespace, (raw) => {
      const e = raw as EventObject;
      e.count = (e.count ?? 1) + 1;
      e.lastTimestamp = timestamp;
      e.message = message;
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
    message,
    type: input.type,
    source: { component: input.component, ...(input.host ? { host: input.host } : {}) },
    firstTimestamp: timestamp,
    lastTimestamp: timestamp,
    count: 1,
    reportingComponent: input.component,
    reportingInstance: input.host ?? '',
  });
}

/** When an event was last updated, in ms (an event without timestamps counts from its creation). */
function lastSeen(e: EventObject): number {
  const t = Date.parse(
    e.lastTimestamp ??
      e.series?.lastObservedTime ??
      e.eventTime ??
      e.firstTimestamp ??
      e.metadata?.creationTimestamp ??
      '',
  );
  return Number.isNaN(t) ? 0 : t;
}

/** Deletes the events last updated more than `ttlMs` ago; returns how many. */
export function expireEvents(store: Store, ttlMs: number, now: number = Date.now()): number {
  const byKey = similar.get(store);
  if (byKey) for (const [k, rec] of byKey) if (now - rec.since > SIMILAR_WINDOW_MS) byKey.delete(k);
  let n = 0;
  for (const e of store.list('events')) {
    if (now - lastSeen(e as EventObject) <= ttlMs) continue;
    try {
      store.delete('events', e.metadata.name, e.metadata.namespace);
      n++;
    } catch {
      // deleted meanwhile
    }
  }
  return n;
}

/** Expires events every so often (a tenth of the TTL, between 1 s and 1 min) until the returned stop is called. */
export function startEventExpiry(store: Store, ttlMs: number): () => void {
  expireEvents(store, ttlMs);
  const timer = setInterval(() => expireEvents(store, ttlMs), Math.min(60_000, Math.max(1000, ttlMs / 10)));
  timer.unref();
  return () => clearInterval(timer);
}
