// The shapes of the Kubernetes and Machine Config Operator objects Plumb reads, and of the values lib/mco
// computes from them. Plain JSON objects, exactly as the API server serves them (no classes), so the same
// values flow through the simulator, the console server and the browser.

import type { LineChange } from '../diff';

// Defined elsewhere, re-exported so that modules take them with the types.
export type { LineChange };
export { ANNOTATION_PREFIX, NodeAnnotations } from './constants';

/** The subset of metav1.ObjectMeta Plumb uses. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid?: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

// ---------------------------------------------------------------------------------------------------------------
// Ignition, normalised to one v3 shape (coreos/ignition config/v3_5/types/schema.go). Field names are Ignition's own.

export interface IgnitionFileContents {
  /** An RFC 2397 data URL (`data:,...` or `data:...;base64,...`); null/absent means empty content. */
  source?: string | null;
  /** `""`/null (raw) or `"gzip"`. */
  compression?: string | null;
  verification?: { hash?: string | null };
  httpHeaders?: unknown[];
}

export interface IgnitionNodeUser {
  id?: number | null;
  name?: string | null;
}

export interface IgnitionFile {
  path: string;
  overwrite?: boolean | null;
  /** DECIMAL permission bits, e.g. 420 = 0644. Absent means the MCO default 0644. */
  mode?: number | null;
  user?: IgnitionNodeUser;
  group?: IgnitionNodeUser;
  contents?: IgnitionFileContents;
  append?: IgnitionFileContents[];
}

export interface IgnitionDropin {
  name: string;
  contents?: string | null;
}

export interface IgnitionUnit {
  name: string;
  enabled?: boolean | null;
  mask?: boolean | null;
  contents?: string | null;
  dropins?: IgnitionDropin[];
}

export interface IgnitionUser {
  name: string;
  sshAuthorizedKeys?: string[];
  passwordHash?: string | null;
  [field: string]: unknown;
}

export interface IgnitionConfig {
  ignition: { version: string; [field: string]: unknown };
  storage?: {
    files?: IgnitionFile[];
    directories?: unknown[];
    links?: unknown[];
    disks?: unknown[];
    filesystems?: unknown[];
    raid?: unknown[];
    [field: string]: unknown;
  };
  systemd?: { units?: IgnitionUnit[] };
  passwd?: { users?: IgnitionUser[]; groups?: unknown[] };
  [field: string]: unknown;
}

// ---------------------------------------------------------------------------------------------------------------
// MachineConfig

export interface MachineConfigSpec {
  /** Raw Ignition JSON as stored on the object (any accepted version); file contents stay data URLs. */
  config?: Record<string, unknown> | null;
  osImageURL?: string;
  baseOSExtensionsContainerImage?: string;
  kernelArguments?: string[] | null;
  extensions?: string[] | null;
  fips?: boolean;
  kernelType?: string;
}

export interface MachineConfig {
  apiVersion: 'machineconfiguration.openshift.io/v1';
  kind: 'MachineConfig';
  metadata: ObjectMeta;
  /** Absent on metadata-only entries (real dumps carry them). */
  spec?: MachineConfigSpec;
}

export const ROLE_LABEL = 'machineconfiguration.openshift.io/role';
export const GENERATED_BY_ANNOTATION = 'machineconfiguration.openshift.io/generated-by-controller-version';
export const RELEASE_IMAGE_VERSION_ANNOTATION = 'machineconfiguration.openshift.io/release-image-version';

// ---------------------------------------------------------------------------------------------------------------
// MachineConfigPool

export interface ConfigurationSource {
  apiVersion?: string;
  kind?: string;
  name: string;
}

export interface PoolConfiguration {
  name?: string;
  source?: ConfigurationSource[];
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface MachineConfigPoolStatus {
  observedGeneration?: number;
  configuration?: PoolConfiguration;
  machineCount?: number;
  updatedMachineCount?: number;
  readyMachineCount?: number;
  unavailableMachineCount?: number;
  degradedMachineCount?: number;
  conditions?: Condition[];
  [field: string]: unknown;
}

export interface MachineConfigPool {
  apiVersion: 'machineconfiguration.openshift.io/v1';
  kind: 'MachineConfigPool';
  metadata: ObjectMeta;
  spec: {
    machineConfigSelector?: LabelSelector;
    nodeSelector?: LabelSelector;
    paused?: boolean;
    /** IntOrString: a count or a percentage such as "10%". Default 1. */
    maxUnavailable?: number | string | null;
    /** The target rendered config, written by the render controller. */
    configuration?: PoolConfiguration;
    [field: string]: unknown;
  };
  status?: MachineConfigPoolStatus;
}

// ---------------------------------------------------------------------------------------------------------------
// Node (the subset the MCO uses)

// The annotation keys live in constants.ts (re-exported at the top of this file).

/** Values of the `state` annotation (MCO pkg/daemon/constants/constants.go MachineConfigDaemonState*). */
export type DaemonState = 'Done' | 'Working' | 'Degraded' | 'Unreconcilable';

export interface NodeCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

export interface Node {
  apiVersion?: 'v1';
  kind?: 'Node';
  metadata: ObjectMeta;
  spec?: { unschedulable?: boolean; taints?: Taint[]; [field: string]: unknown };
  status?: {
    conditions?: NodeCondition[];
    addresses?: { type: string; address: string }[];
    nodeInfo?: Record<string, string>;
    [field: string]: unknown;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// MachineConfigNode (4.20+; openshift/api machineconfiguration/v1/types_machineconfignode.go)

export interface MachineConfigNode {
  apiVersion: string;
  kind: 'MachineConfigNode';
  metadata: ObjectMeta;
  spec: {
    node: { name: string };
    pool: { name: string };
    configVersion?: { desired?: string };
    [field: string]: unknown;
  };
  status?: {
    conditions?: Condition[];
    observedGeneration?: number;
    configVersion?: { current?: string; desired?: string };
    [field: string]: unknown;
  };
}

/** An image-mode (on-cluster layering) pool's build configuration: the fields the pool status reads. */
export interface MachineOSConfig {
  apiVersion: string;
  kind: 'MachineOSConfig';
  metadata: ObjectMeta;
  spec: { machineConfigPool: { name: string }; [field: string]: unknown };
  status?: {
    /** The image the pool's nodes should run (with its sha256 digest); empty until a build succeeded. */
    currentImagePullSpec?: string;
    conditions?: Condition[];
    [field: string]: unknown;
  };
}

/** One build of a MachineOSConfig for one rendered config; its conditions Prepared, Building, Succeeded, Failed, Interrupted. */
export interface MachineOSBuild {
  apiVersion: string;
  kind: 'MachineOSBuild';
  metadata: ObjectMeta;
  spec: { machineConfig: { name: string }; machineOSConfig?: { name: string }; [field: string]: unknown };
  status?: { conditions?: Condition[]; digestedImagePushSpec?: string; [field: string]: unknown };
}

// ---------------------------------------------------------------------------------------------------------------
// Errors

/** Every validation or decoding failure in lib/mco. The message names the object and the field. */
export class McoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'McoError';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Values lib/mco computes

/** Where a managed path comes from in the Ignition config. */
export type ManagedKind = 'file' | 'unit' | 'dropin';

/**
 * One path on a node that a rendered config manages, with what the daemon expects there, in the daemon's
 * validation order (files in array order, then each unit's dropins, then the unit; MCO
 * pkg/daemon/on_disk_validation.go validateOnDiskState).
 * Units live at `/etc/systemd/system/<unit>`, dropins at `/etc/systemd/system/<unit>.d/<dropin>`.
 */
export interface ManagedPath {
  path: string;
  kind: ManagedKind;
  /** Expected permission bits (decimal, e.g. 420 = 0644). Units and dropins are always 0644. */
  mode: number;
  /** Expected bytes, decoded (data URL + gzip). null when the source could not be decoded (see decodeError). */
  contents: Uint8Array | null;
  /**
   * `couldn't decode file "/p": ...` when contents could not be decoded; for a file with `append`, the daemon's
   * `found an append section when checking files. Append is not supported` (it validates no such file).
   */
  decodeError?: string;
  /** For units and dropins: the unit name (and dropin name). */
  unit?: string;
  dropin?: string;
  /** A masked unit: the path must be a symlink to /dev/null; contents are not compared. */
  masked?: boolean;
  /** An empty dropin: absent on disk is fine (the MCO removes empty dropins). */
  mayBeAbsent?: boolean;
  /** Ignition fields kept for display. */
  user?: IgnitionNodeUser;
  group?: IgnitionNodeUser;
  enabled?: boolean | null;
  overwrite?: boolean | null;
}

/** What a node actually has at a path, as read from it (lstat + read). */
export interface ActualFile {
  /** File type from lstat. */
  type: 'file' | 'symlink' | 'directory' | 'other';
  /** Permission bits including setuid/setgid/sticky (st_mode & 0o7777). */
  mode: number;
  /** The bytes, or null when the file exists but could not be read. */
  contents: Uint8Array | null;
  /** For symlinks: the link target (used for masked units). */
  linkTarget?: string;
  /**
   * filepath.EvalSymlinks of the path, when the reader could follow the whole chain (the simulated daemon does):
   * the final path, or the Go error text (`lstat /etc/x: no such file or directory`). Without it a masked unit
   * is judged by its own link target only.
   */
  evaluated?: { path: string } | { error: string };
  /** Why the contents could not be read, when contents is null. */
  readError?: string;
}

export type FileCheckStatus = 'ok' | 'content' | 'mode' | 'missing' | 'unreadable';

/** The result of comparing one managed path with what the node has, in the daemon's order (mode before content). */
export interface FileCheck {
  path: string;
  kind: ManagedKind;
  status: FileCheckStatus;
  expectedMode: number;
  actualMode: number | null;
  expectedSize: number | null;
  actualSize: number | null;
  /** The daemon's exact reason string for this path, or null when status is 'ok'. */
  reason: string | null;
}

/** Which source MachineConfig gives a managed path its final value. Keyed by the ManagedPath path. */
export interface AttributionEntry {
  path: string;
  kind: ManagedKind;
  /** The MachineConfig whose value of `contents` won (the last in merge order that set it). */
  contentsFrom: string | null;
  /** The MachineConfig whose value of `mode` won (files only). */
  modeFrom: string | null;
  /** Every source that declared this path, in merge order. */
  declaredBy: string[];
  /** Earlier sources whose value was overridden by a later one. */
  overridden: string[];
}

export type Attribution = Record<string, AttributionEntry>;

export interface MergeResult {
  /** The merged spec; `spec.config` is Ignition v3 JSON (the MCO's internal version), contents still data URLs. */
  spec: MachineConfigSpec;
  /** Source MachineConfig names in merge order (worker-role first, then the others, each by name). */
  order: string[];
}

export interface PoolStatusResult {
  machineCount: number;
  updatedMachineCount: number;
  readyMachineCount: number;
  unavailableMachineCount: number;
  degradedMachineCount: number;
  /** Updated, Updating, NodeDegraded, Degraded (plus RenderDegraded carried over), in the MCO's list order. */
  conditions: Condition[];
  /** `status.configuration`: copied from spec.configuration only when every node is updated; else the old one. */
  configuration?: PoolConfiguration;
  observedGeneration?: number;
}

export interface FileDiff {
  path: string;
  kind: ManagedKind;
  change: 'added' | 'removed' | 'changed';
  modeBefore: number | null;
  modeAfter: number | null;
  contentChanged: boolean;
  /** Content is redacted (isSensitive) or binary: no line diff is given. */
  sensitive: boolean;
  binary: boolean;
  /** Line diff, omitted when sensitive or binary. */
  lines?: LineChange[];
}

export interface ListDiff {
  added: string[];
  removed: string[];
}

export interface ConfigDiff {
  from: string;
  to: string;
  files: FileDiff[];
  kernelArguments: ListDiff;
  extensions: ListDiff;
  osImageURL: { from: string; to: string } | null;
  kernelType: { from: string; to: string } | null;
  fips: { from: boolean; to: boolean } | null;
}

/** A daemon reason string parsed into what it means. */
export interface ReasonExplained {
  kind: 'content' | 'mode' | 'missing' | 'unreadable' | 'decode' | 'drain' | 'unreconcilable' | 'other' | 'none';
  /** The file the reason names, when it names one. */
  path: string | null;
  /** The rendered config named by `unexpected on-disk state validating against <name>:`. */
  validatingAgainst: string | null;
  expectedMode: string | null;
  actualMode: string | null;
  /** One sentence for a person. */
  summary: string;
}
