// The JSON contract of /api, shared by server/ (which produces it) and the browser (which reads it): every reply,
// every request body and query, and the capabilities an action needs. Types only, but for CAPABILITIES, the one
// list the types derive from. Shapes that lib/mco computes are re-exported here, so the browser takes every shape
// of the contract from this file.
import type {
  Condition,
  ConfigDiff,
  FileCheck,
  FileCheckStatus,
  FileDiff,
  LineChange,
  ListDiff,
  ManagedKind,
  ReasonExplained,
} from '../mco/types';

export type { Condition, ConfigDiff, FileCheck, FileCheckStatus, FileDiff, LineChange, ListDiff, ManagedKind, ReasonExplained };

// ---------------------------------------------------------------------------------------------------------------
// Requests

/** What the user may be allowed to do; /api/whoami says which, and each action requires its own. */
export const CAPABILITIES = ['forceReconcile', 'restoreFile', 'pausePool', 'revealSensitive'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** POST /api/nodes/:node/force-reconcile: the node's name again, as typed confirmation. */
export interface ForceReconcileRequest {
  confirm: string;
}

/** POST /api/nodes/:node/restore: the managed path to write back from the node's current config. */
export interface RestoreFileRequest {
  path: string;
}

/** POST /api/pools/:pool/pause: pause (true) or resume (false) the pool. */
export interface PausePoolRequest {
  paused: boolean;
}

/**
 * The query of the reads that can show sensitive contents: GET /api/nodes/:node/files?path=…[&reveal=1] and
 * GET /api/machineconfigs/:name[?reveal=1]. `reveal=1` needs the revealSensitive capability.
 */
export interface RevealQuery {
  reveal?: '1';
}
export interface NodeFileQuery extends RevealQuery {
  path: string;
}

/** GET /api/compare?from=…&to=…: the two MachineConfigs to compare. */
export interface CompareQuery {
  from: string;
  to: string;
}

/** A request body as it arrives, before the server validates it: the fields of T, each of any type or absent. */
export type Unvalidated<T> = { [K in keyof T]?: unknown };

// ---------------------------------------------------------------------------------------------------------------
// Replies

/** Every error reply: `{error, message}` with the HTTP status that fits. */
export interface ApiError {
  error:
    | 'cluster_unreachable'
    | 'bad_request'
    | 'not_found'
    | 'forbidden'
    | 'read_only'
    | 'csrf'
    | 'conflict'
    | 'node_unreachable'
    | 'internal';
  message: string;
}

export interface PoolCondition {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastTransitionTime: string | null;
}

export interface PoolSummary {
  name: string;
  /** status.configuration.name: what every node runs once updated. */
  renderedConfig: string | null;
  /** spec.configuration.name: what the pool is moving to. */
  targetConfig: string | null;
  paused: boolean;
  maxUnavailable: number | string;
  machineCount: number;
  readyMachineCount: number;
  updatedMachineCount: number;
  degradedMachineCount: number;
  unavailableMachineCount: number;
  conditions: PoolCondition[];
  creationTimestamp: string | null;
}

export interface PoolsReply {
  pools: PoolSummary[];
  /** Degraded or unreconcilable nodes across all pools: the overview's "needs attention". */
  attention: AttentionItem[];
}

export interface AttentionItem {
  node: string;
  pool: string | null;
  state: string;
  reason: string;
  explanation: ReasonExplained;
}

/** The MCO state of a node as the pool page lists it. */
export interface PoolNode {
  name: string;
  state: string | null;
  reason: string;
  currentConfig: string | null;
  desiredConfig: string | null;
  ready: boolean;
  unschedulable: boolean;
  /** desiredDrain / lastAppliedDrain, e.g. `uncordon-rendered-worker-...`. */
  drain: { desired: string | null; lastApplied: string | null };
  /** 'rebooting' while post-config-action=Rebooting or NotReady during an update. */
  phase: string | null;
  zone: string | null;
}

export interface EventItem {
  type: string;
  reason: string;
  message: string;
  /** `kind/name` of the involved object. */
  object: string;
  count: number;
  firstTimestamp: string | null;
  lastTimestamp: string | null;
  source: string | null;
}

export interface PoolReply {
  pool: PoolSummary;
  nodes: PoolNode[];
  /** Source MachineConfig names in merge order (spec.configuration.source). */
  sources: string[];
  selectors: { machineConfigSelector: unknown; nodeSelector: unknown };
  events: EventItem[];
}

export interface McnPhase {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastTransitionTime: string | null;
}

export interface NodeReply {
  name: string;
  pool: string | null;
  state: string | null;
  reason: string;
  explanation: ReasonExplained;
  currentConfig: string | null;
  desiredConfig: string | null;
  ready: boolean;
  unschedulable: boolean;
  drain: { desired: string | null; lastApplied: string | null };
  postConfigAction: string | null;
  /** Every machineconfiguration.openshift.io/ annotation, decoded, without the prefix. */
  annotations: Record<string, string>;
  /** MachineConfigNode conditions where the cluster serves them; null where it does not. */
  machineConfigNode: { phases: McnPhase[]; currentConfig: string | null; desiredConfig: string | null } | null;
  events: EventItem[];
  addresses: { type: string; address: string }[];
  nodeInfo: Record<string, string>;
}

/** One managed path of the drift view: lib/mco's check of it, and whether its contents are sensitive. */
export interface DriftFile extends FileCheck {
  sensitive: boolean;
}

export interface DriftReply {
  node: string;
  /** The rendered config the node is compared with (its currentConfig). */
  config: string;
  files: DriftFile[];
  /** When the files were read (ISO time). */
  checkedAt: string;
}

export interface FileSide {
  /** UTF-8 text; null when binary or redacted. */
  text: string | null;
  binary: boolean;
  /** Permission bits (decimal). */
  mode: number;
  sha256: string;
  size: number;
  /** Content withheld because the file is sensitive and was not revealed. */
  redacted?: boolean;
}

export interface FileReply {
  path: string;
  kind: ManagedKind;
  sensitive: boolean;
  status: FileCheckStatus;
  reason: string | null;
  expected: FileSide;
  /** null when the file is missing on the node. */
  actual: FileSide | null;
}

export interface DecodedFile {
  path: string;
  kind: ManagedKind;
  mode: number;
  size: number;
  text: string | null;
  binary: boolean;
  sensitive: boolean;
  decodeError: string | null;
  /** For rendered configs: the source MachineConfig that gives the contents, and those it overrode. */
  source: string | null;
  overridden: string[];
  unit?: string;
  enabled?: boolean | null;
  masked?: boolean;
}

export interface MachineConfigSummary {
  name: string;
  role: string | null;
  generatedByController: string | null;
  ignitionVersion: string | null;
  rendered: boolean;
  creationTimestamp: string | null;
  /** For rendered configs: the pool that owns it. */
  pool: string | null;
}

export interface MachineConfigsReply {
  machineConfigs: MachineConfigSummary[];
}

export interface MachineConfigReply {
  summary: MachineConfigSummary;
  files: DecodedFile[];
  kernelArguments: string[];
  extensions: string[];
  osImageURL: string;
  kernelType: string;
  fips: boolean;
  /** For rendered configs: the sources in merge order, when known. */
  sources: string[];
  /** A reason the config could not be fully decoded, when it could not. */
  error: string | null;
}

export type CompareReply = ConfigDiff;

export interface WhoAmIReply {
  user: string;
  readOnly: boolean;
  csrfToken: string;
  can: Record<Capability, boolean>;
  /** Why an action is not allowed, keyed like `can`. */
  why: Partial<Record<Capability, string>>;
}

export interface ActionReply {
  ok: true;
  message: string;
}

/** A change notice on /api/stream (SSE event `change`). */
export interface ChangeNotice {
  kind: 'Node' | 'MachineConfig' | 'MachineConfigPool' | 'MachineConfigNode' | 'Event';
  name: string;
}

/** SSE event `status`: whether the console is in touch with the cluster. */
export interface ClusterStatusNotice {
  connected: boolean;
  message: string | null;
}
