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

export function recordEvent(store: Store, input: EventInput, now: Date = new Date()): KubeObject {
  const namespace = input.namespace ?? 'default';
  const timestamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const existing = store
    .list('events', namespace)
    .find(
      (e) =>
        (e as any).involvedObject?.name === input.name &&
        (e as any).involvedObject?.kind === input.kind &&
        (e as any).reason === input.reason &&
        (e as any).message === input.message,
    );
  if (existing) {
    return store.update('events', existing.metadata.name, namespace, (e: any) => {
      e.count = (e.count ?? 1) + 1;
      e.lastTimestamp = timestamp;
    });
  }
  sequence = (sequence + 1) % 1e6;
  const name = `${input.name}.${(now.getTime() * 1000 + sequence).toString(16)}`;
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
