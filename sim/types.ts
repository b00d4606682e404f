// The seams inside the simulator: the object store (served by the API server, driven by the controllers and
// daemons) and the exec hook (how the API server runs a command in a machine-config-daemon pod).

import type { ObjectMeta } from '@/lib/mco/types';

/** A Kubernetes object as JSON. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta & { [field: string]: unknown };
  [field: string]: unknown;
}

/** The plural resource names the simulator serves. */
export type Resource =
  | 'namespaces'
  | 'nodes'
  | 'pods'
  | 'events'
  | 'machineconfigs'
  | 'machineconfigpools'
  | 'machineconfignodes'
  | 'machineconfigurations'
  | 'machineosconfigs'
  | 'machineosbuilds'
  | 'pinnedimagesets'
  | 'roles'
  | 'clusterroles'
  | 'rolebindings'
  | 'clusterrolebindings';

export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resource: Resource;
  /** The object after the change (for DELETED: the last content, with the deletion resourceVersion). */
  object: KubeObject;
  /** The object before the change (MODIFIED, DELETED). */
  previous?: KubeObject;
  resourceVersion: number;
}

/**
 * The versioned object store: one resourceVersion counter across all resources, as etcd's revision.
 * Every write bumps the counter and emits one StoreEvent. Writes are synchronous; persistence is the store's job.
 */
export interface Store {
  get(resource: Resource, name: string, namespace?: string): KubeObject | undefined;
  /** Namespace undefined = all namespaces. */
  list(resource: Resource, namespace?: string): KubeObject[];
  /** Sets uid, creationTimestamp, resourceVersion, generation=1. Throws StoreError('AlreadyExists'). */
  create(resource: Resource, obj: KubeObject): KubeObject;
  /**
   * Read-modify-write of the latest object: `mutate` gets a deep copy and returns the new object (or mutates it
   * in place and returns nothing). A no-op change (deep-equal) writes nothing and emits nothing.
   * Bumps generation when anything outside metadata and status changed. Throws StoreError('NotFound').
   */
  update(
    resource: Resource,
    name: string,
    namespace: string | undefined,
    mutate: (o: KubeObject) => KubeObject | void,
  ): KubeObject;
  /** Replace with optimistic concurrency: throws StoreError('Conflict') when obj's resourceVersion is stale. */
  replace(resource: Resource, obj: KubeObject): KubeObject;
  delete(resource: Resource, name: string, namespace?: string): KubeObject;
  /** Current value of the global counter. */
  resourceVersion(): number;
  /** Listen to every change; returns the unsubscribe function. */
  subscribe(listener: (event: StoreEvent) => void): () => void;
}

export class StoreError extends Error {
  constructor(
    public reason: 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Invalid' | 'BadRequest',
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export interface ExecRequest {
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  /** The bytes sent on stdin (complete: the API server collects stdin until the client half-closes it). */
  stdin: Uint8Array | null;
}

export interface ExecResult {
  stdout: Uint8Array;
  stderr: Uint8Array;
  exitCode: number;
}

/**
 * Runs a command in a pod's container. The daemon module provides it for machine-config-daemon pods (the node's
 * root filesystem at /rootfs). The API server has already checked the pod and container exist.
 */
export type ExecHandler = (req: ExecRequest) => Promise<ExecResult>;
