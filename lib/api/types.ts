// The JSON contract of /api, shared by server/ (which produces it) and the browser (which reads it): every reply,
// every request body and query, and the capabilities an action needs. Types only, but for CAPABILITIES, the one
// list the types derive from. Shapes that lib/mco computes are re-exported here, so the browser takes every shape
// of the contract from this file.
import type { PoolPlan } from '../mco/plan';
import type { ConfigDiff, FileCheck, FileCheckStatus, MachineConfig, ManagedKind, ReasonExplained } from '../mco/types';

export type { PoolPlan } from '../mco/plan';
export type {
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
export interface RestoreRequest {
  path: string;
  /** Run these after the file is restored; each must be what the cluster's policy names for `path`. */
  then?: PostRestoreAction[];
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

/** GET /api/nodes/:node/policy?path=…: the managed path whose disruption policy is asked for. */
export interface PathPolicyQuery {
  path: string;
}

/** GET /api/compare?from=…&to=…: the two MachineConfigs to compare. */
export interface CompareQuery {
  from: string;
  to: string;
}

/** GET /api/plan/adopt?node=…&path=…: the node and the path whose contents to adopt. */
export interface AdoptQuery {
  node: string;
  path: string;
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
    | 'unauthorized'
    | 'not_found'
    | 'forbidden'
    | 'read_only'
    | 'csrf'
    | 'conflict'
    | 'node_unreachable'
    | 'config_undecodable'
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

/** Which state of the console's cache a reply was built from, so stream deltas older than it are skipped. */
export interface CacheRev {
  /** Names one console process's cache (replicas and restarts differ). */
  epoch: string;
  /** Bumped on every change the cache sees. */
  gen: number;
}

export interface PoolsReply {
  rev?: CacheRev;
  pools: PoolSummary[];
  /** Degraded or unreconcilable nodes across all pools: the overview's "needs attention". */
  attention: AttentionItem[];
  /** Pools that need a person although no node is degraded (paused with a new config waiting). */
  poolAttention: PoolAttentionItem[];
}

export interface PoolAttentionItem {
  pool: string;
  kind: 'paused-pending';
  /** What its nodes run (status) and what is waiting (spec). */
  renderedConfig: string | null;
  targetConfig: string | null;
  /** One sentence for a person. */
  summary: string;
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

/** A node as `/nodes` lists it: the pool row plus the pool it belongs to. */
export interface NodeListItem extends PoolNode {
  pool: string | null;
}

export interface NodesReply {
  nodes: NodeListItem[];
}

export interface EventItem {
  /** `namespace/name` of the Event: what a stream upsert replaces. */
  id?: string;
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
  rev?: CacheRev;
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
  /** Services reloaded or restarted since the last boot, and the last post-config action. */
  services: NodeServices;
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
  /** SSH public keys per user (Ignition passwd.users[].sshAuthorizedKeys). */
  sshKeys: { user: string; keys: string[] }[];
  /** The object as YAML (managedFields left out; sensitive file contents replaced unless revealed). */
  yaml: string;
}

/** /api/compare: the diff, and what the MCO will do to a node that moves from `from` to `to`. */
export interface CompareReply extends ConfigDiff {
  disruption: CompareDisruption;
}

export interface WhoAmIReply {
  user: string;
  /** The cluster the console talks to, by name (kubeconfig cluster entry, else the API server's host). */
  cluster: { name: string; server: string | null } | null;
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

/** A node's pool-page row fields that changed (values are the latest at send time). */
export type NodeRowPatch = Partial<Omit<PoolNode, 'name'>>;
/** A pool page's fields beside its summary, sent whole when they change (a new source MachineConfig, a selector). */
export type PoolPagePatch = Pick<PoolReply, 'sources' | 'selectors'>;

/**
 * `POST /api/stream/view`: the rows of `pool` a page has on screen (the virtual table's rows and overscan). The
 * stream then sends those rows whole and, for the pool's other nodes, only the fields the table filters and sorts
 * every row by (lib/api/patch.ts ROW_INDEX_FIELDS); a row coming into view is sent whole at once if it missed more.
 */
export interface StreamViewBody {
  id: string;
  pool: string;
  names: string[];
}

/** A pool's summary fields that changed: counts, conditions (the whole list), spec fields. */
export type PoolSummaryPatch = Partial<Omit<PoolSummary, 'name'>>;

/**
 * SSE event `hello` on a delta stream (`/api/stream?v=2&pool=P&node=N`): the first event, naming the cache whose
 * generations the `delta` events carry.
 */
export interface StreamHello {
  /** Names this stream for `POST /api/stream/view` (only its own user may use it). */
  id: string;
  epoch: string;
  gen: number;
  /** What the stream carries rows and notices for. */
  pools: string[];
  nodes: string[];
}

/**
 * SSE event `delta`: what changed since the previous `delta` of the same stream. `seq` counts 1, 2, 3… per stream:
 * a missing number means a message was dropped (a slow reader) and the views must be fetched again.
 *
 * Each row, pool and event carries `gen`, the cache generation of the newest change merged into it: a reply
 * (`rev.gen`) of that generation or newer already holds it, so it is not applied there. The message's own `gen`
 * cannot say this, because a row or pool held back by its coalescing window goes out in a later message than
 * changes made after it.
 */
export interface StreamDelta {
  seq: number;
  /**
   * The cache generation when the message was sent. Every change made at or before it reached this stream is in
   * this message or an earlier one, or is still held (rows and pool counts are coalesced): a client replays the
   * messages sent after a reply's generation onto that reply.
   */
  gen: number;
  /**
   * Rows of nodes in the watched pools, per node coalesced over a short window (at most one per node per second).
   * For a pool whose view the page posted, rows out of view carry only ROW_INDEX_FIELDS.
   */
  rows?: { name: string; pool: string; gen: number; set: NodeRowPatch }[];
  /** Every pool's summary changes (the overview and pool pages show the counts); `page` when its sources or
   * selectors changed (a watched pool's page shows them). */
  pools?: { name: string; gen: number; set?: PoolSummaryPatch; page?: PoolPagePatch }[];
  /** Events of the watched pools, added or updated (`item.id` names them). */
  events?: { pool: string; gen: number; item: EventItem }[];
  /** Objects changed in ways not carried above: refetch the views that show them (the watched nodes' pages, configs). */
  changed?: ChangeNotice[];
  /** Views the server knows it cannot patch: a watched pool's node list changed, or the overview's attention list. */
  stale?: { pools?: string[]; overview?: boolean };
}

/** SSE event `status`: whether the console is in touch with the cluster. */
export interface ClusterStatusNotice {
  connected: boolean;
  message: string | null;
}

// ---------------------------------------------------------------------------------------------------------------
// Plan (POST /api/plan) and apply (POST /api/plan/apply). The per-pool shape is lib/mco/plan's PoolPlan.

/** The request: MachineConfigs to create or replace and names to delete; or `yaml`, one or more YAML documents. */
export interface PlanRequest {
  apply?: unknown[];
  delete?: string[];
  yaml?: string;
}

/** What the API server said of one object in a dry run (dryRun=All, fieldValidation=Strict), as the requesting user. */
export interface DryRunResult {
  operation: 'apply' | 'delete';
  name: string;
  ok: boolean;
  /** The API server's error message, or null. */
  message: string | null;
  /** Warning headers (e.g. unknown fields under fieldValidation=Warn). */
  warnings: string[];
}

export interface PlanReply {
  /** The OpenShift version the plan assumed (release-image-version of the pools' rendered configs). */
  version: string;
  pools: PoolPlan[];
  notes: string[];
  dryRun: DryRunResult[];
  /** The proposed objects as parsed (after YAML), in order: what Apply sends. */
  apply: unknown[];
  delete: string[];
  /** The YAML `oc apply -f` would take for the same change, and the commands. */
  yaml: string;
  commands: string[];
}

export interface PlanApplyReply {
  ok: boolean;
  message: string;
  results: {
    operation: 'apply' | 'delete';
    name: string;
    ok: boolean;
    message: string | null;
    result?: 'created' | 'configured' | 'unchanged' | 'deleted';
  }[];
  /** The pools to follow (their pages show the rollout live). */
  pools: string[];
}

/** GET /api/plan/adopt?node=&path=: a MachineConfig declaring what the node has at path. */
export interface PlanAdoptReply {
  node: string;
  pool: string;
  path: string;
  /** 'new' MachineConfig, or an 'existing' user MachineConfig that already declares the path, changed. */
  source: 'new' | 'existing';
  machineConfig: MachineConfig;
}

// ---------------------------------------------------------------------------------------------------------------
// What a change does to a node (lib/mco/disruption), as the compare page, the node page and the restore dialog say it.

/** The OpenShift version the console decides by, and where it learned it. */
export interface ClusterVersionInfo {
  /** "4.20.3"; null when unknown. */
  version: string | null;
  /** `ClusterVersion` (config.openshift.io/v1 `version`), `kubernetes` (inferred from /version: 1.33 ↔ 4.20), or null. */
  source: 'ClusterVersion' | 'kubernetes' | null;
}

/** One action as the MCO writes it in clusterPolicies. */
export interface ApiDisruptionAction {
  type: 'Reboot' | 'Drain' | 'Reload' | 'Restart' | 'DaemonReload' | 'Special' | 'None';
  serviceName?: string;
}

/** One changed file, unit or the SSH keys, and the action the MCO takes for it. */
export interface DisruptionItem {
  kind: 'file' | 'unit' | 'sshkey';
  /** The file path, the unit name, or `core` (the user whose keys changed) for sshkey. */
  name: string;
  change: 'added' | 'removed' | 'changed';
  /** In words: "Reload crio.service", "Reboot (no policy)", "None". */
  action: string;
  /** Policy mode: the actions this item asks for; [] in legacy mode. */
  actions: ApiDisruptionAction[];
  /** The policy that matched: a file policy's path, a unit policy's name, `sshkey`; null when none. */
  policy: string | null;
}

export interface CompareDisruption {
  /**
   * `decided`: the MCO's decision is known; `waiting`: the MachineConfiguration is missing or its status lags, so the
   * daemon would wait for it; `unknown`: the console cannot tell (version unknown, the policies unreadable).
   */
  status: 'decided' | 'waiting' | 'unknown';
  cluster: ClusterVersionInfo;
  /** `policy` (NodeDisruptionPolicy) or `legacy` (the fixed lists before 4.16 or without the 4.16 gate); null unless decided. */
  mode: 'policy' | 'legacy' | null;
  /** The overall sentence: "Reboot, drains each node", "Reload crio.service on each node, no drain, no reboot",
   *  "policies not yet observed: the MCO would wait", … */
  summary: string;
  reboot: boolean | null;
  drain: boolean | null;
  /** Why it reboots ("no policy for /etc/foo"), why it waits or why it is unknown; null otherwise. */
  reason: string | null;
  /** The overall actions in execution order (policy mode). */
  actions: ApiDisruptionAction[];
  items: DisruptionItem[];
  /** The action in words for every path of the diff's `files` (units and dropins take their unit's action). */
  byPath: Record<string, string>;
}

/** A service action Plumb can run after a restore: what the cluster's policy names for the path. */
export interface PostRestoreAction {
  type: 'Reload' | 'Restart' | 'DaemonReload';
  /** The unit, for Reload and Restart (`crio.service`). */
  serviceName?: string;
}

/** GET /api/nodes/:node/policy?path=: what the cluster's policy does when that path changes. */
export interface PathPolicyReply {
  node: string;
  path: string;
  kind: ManagedKind;
  /** The unit a unit file or dropin belongs to. */
  unit: string | null;
  status: CompareDisruption['status'];
  cluster: ClusterVersionInfo;
  /** The matching policy: a file policy's path or a unit policy's name; null when none. */
  policy: string | null;
  actions: ApiDisruptionAction[];
  /** "the MCO would reload crio.service", "the MCO would reboot the node (no policy for /etc/mco/proxy.env)", … */
  sentence: string;
  /** The service actions Plumb offers to run after restoring, in order ([] when the policy names none). */
  offer: PostRestoreAction[];
}

export interface ServiceActionItem {
  action: 'reload' | 'restart' | 'daemon-reload';
  /** The unit (absent for daemon-reload). */
  unit: string | null;
  /** The Event that records it: `ServiceReload`, `ServiceRestart`, `SkipReboot` (4.14-era crio reload), `PlumbServiceAction`. */
  reason: string;
  message: string;
  time: string | null;
  source: string | null;
}

export interface NodeServices {
  /** The last `Reboot` Event of the node (the daemon emits it as it reboots); null when none is known. */
  lastReboot: string | null;
  /** Reloads and restarts recorded by Events after the last reboot, newest first. */
  sinceBoot: ServiceActionItem[];
  /** The last post-config action: the MachineConfigNode's UpdatePostActionComplete where served, else the latest
   *  SkipReboot/ServiceReload/ServiceRestart/Reboot Event. */
  lastPostConfigAction: {
    summary: string;
    message: string;
    time: string | null;
    source: 'MachineConfigNode' | 'Event';
  } | null;
}
