// The simulator's model of raw JSON: objects whose fields are not known until read (request bodies, patch documents,
// scenario and state files, OpenAPI schemas) are `JsonObject`s, read through the narrowing helpers below, and the
// stored objects the printers, controllers and daemons read are typed per kind. A stored object passed its kind's
// schema on the way in (apiserver/validation.ts), which is what lets `asKind` trust the shape.
import type { MachineConfiguration } from '@/lib/mco/disruption';
import type { MachineConfigNode, MachineConfigPool, Node } from '@/lib/mco/types';
import type { RoleRef, Subject } from './rbac/rules';
import type { KubeObject } from './types';

/** A JSON object of unknown fields. */
export type JsonObject = { [field: string]: unknown };

/** A JSON object (not null, not an array). */
export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The field `key` of any value, as JavaScript reads it (undefined on null, undefined and values without it). */
export const field = (v: unknown, key: string): unknown =>
  v === null || v === undefined ? undefined : (v as Record<string, unknown>)[key];

/** The value at a path of fields (`at(o, 'spec', 'nodeName')`), as optional chaining reads it. */
export const at = (v: unknown, ...path: string[]): unknown => path.reduce<unknown>((x, key) => field(x, key), v);

/** The object at `v`, or undefined for anything else. */
export const objectOr = (v: unknown): JsonObject | undefined => (isObject(v) ? v : undefined);

/** The string at `v`, or undefined for anything else. */
export const stringOr = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The list at `v`, or an empty list for anything else. */
export const listOr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A JSON object with a `metadata` object and, when asked, a non-empty `metadata.name`. */
export function hasMetadata(v: unknown): v is JsonObject & { metadata: JsonObject & { name?: unknown } } {
  return isObject(v) && isObject(v.metadata);
}

/** The non-empty `metadata.name` of a raw object, or undefined. */
export function nameOf(v: unknown): string | undefined {
  const name = hasMetadata(v) ? v.metadata.name : undefined;
  return typeof name === 'string' && name ? name : undefined;
}

/**
 * A create or update body once its type meta is checked (apiserver/crud.ts checkTypeMeta): apiVersion and kind set,
 * metadata an object. The metadata fields the API server reads before the schema has checked them are typed as a
 * client should send them; the schema check (apiserver/validation.ts) rejects a body that does not.
 */
export interface RawWrite extends JsonObject {
  apiVersion: string;
  kind: string;
  metadata: JsonObject & { name?: string; generateName?: string; namespace?: string; resourceVersion?: string };
}

// ---- stored objects, per kind (the fields the simulator reads)

export type RawNode = KubeObject & Pick<Node, 'spec' | 'status'>;

export type RawPool = KubeObject & Pick<MachineConfigPool, 'spec' | 'status'>;

export type RawMachineConfigNode = KubeObject & Pick<MachineConfigNode, 'spec' | 'status'>;

export type RawMachineConfiguration = KubeObject & Pick<MachineConfiguration, 'spec' | 'status'>;

export interface ContainerStatus {
  name?: string;
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string }; terminated?: { reason?: string }; running?: unknown };
}

export interface RawPod extends KubeObject {
  spec?: { nodeName?: string; containers?: unknown[]; readinessGates?: unknown[]; [field: string]: unknown };
  status?: {
    phase?: string;
    reason?: string;
    podIP?: string;
    nominatedNodeName?: string;
    containerStatuses?: ContainerStatus[];
    [field: string]: unknown;
  };
}

export interface RawEvent extends KubeObject {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  eventTime?: string;
  firstTimestamp?: string;
  lastTimestamp?: string;
  reportingComponent?: string;
  involvedObject?: { kind?: string; name?: string; namespace?: string; fieldPath?: string };
  source?: { component?: string; host?: string };
}

export interface RawBinding extends KubeObject {
  roleRef?: RoleRef;
  subjects?: Subject[];
}

export interface RawNamespace extends KubeObject {
  status?: { phase?: string };
}

/** A stored object read as its kind (see the header: the schema checked it on the way in). */
export const asKind = <T extends KubeObject>(o: KubeObject): T => o as T;
