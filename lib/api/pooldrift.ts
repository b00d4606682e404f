// The JSON contract of /api/pools/<pool>/drift: a pool-wide drift scan, its groups of identical drift, and the
// bulk restores run on a group. Types only: nothing here runs.
import type { FileCheckStatus, ManagedKind } from '../mco/types';

/** One side of a drifted file as a group shows it once for all its nodes. */
export interface PoolDriftSide {
  /** sha256 of the bytes (hex); null when there are none (missing, unreadable, not a regular file). */
  sha256: string | null;
  /** Permission bits (decimal); null when the file is missing. */
  mode: number | null;
  size: number | null;
  /** UTF-8 text; null when binary, too large to keep, absent, or withheld (`redacted`). */
  text: string | null;
  binary: boolean;
  /** The contents are withheld: the file is sensitive and the reader did not reveal it (or may not). */
  redacted?: boolean;
}

/**
 * The same drift on several nodes: one path whose actual contents (hash) and mode are the same on every node of
 * the group. Different contents of one path are different groups; a node is in as many groups as it has drifted
 * paths.
 */
export interface PoolDriftGroup {
  /** Stable for the same path, hash, mode and status: the key of deep links and restore requests. */
  id: string;
  path: string;
  /** The actual contents' sha256, or what stands for it: `missing`, `unreadable`, `symlink`, `directory`, `other`. */
  hash: string;
  /** The actual permission bits (decimal), or null when missing. */
  mode: number | null;
  kind: ManagedKind;
  status: Exclude<FileCheckStatus, 'ok'>;
  /** The daemon's reason string for this drift (the first node's; the same words on each). */
  reason: string;
  sensitive: boolean;
  /** Nodes that still have this drift, sorted. */
  nodes: string[];
  /** Nodes of the group restored through Plumb since the scan. */
  restoredNodes: string[];
  /** The rendered configs these nodes were compared with (more than one while a rollout is under way). */
  configs: string[];
  expected: PoolDriftSide;
  actual: PoolDriftSide | null;
}

export interface PoolDriftNodeError {
  node: string;
  message: string;
}

export type PoolDriftScope = 'degraded' | 'all';

/** A scan: progress while it runs, then its outcome. */
export interface PoolDriftScan {
  id: string;
  pool: string;
  scope: PoolDriftScope;
  state: 'running' | 'done' | 'cancelled' | 'failed';
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
  /** Nodes to read. */
  total: number;
  /** Nodes read so far, errors included. */
  done: number;
  errors: PoolDriftNodeError[];
  /** Why the scan failed as a whole (state `failed`). */
  message: string | null;
}

/** What the latest finished scan found, kept in the console's memory until the next one finishes. */
export interface PoolDriftResult {
  scanId: string;
  scope: PoolDriftScope;
  scannedBy: string;
  /** When the scan finished (ISO). */
  checkedAt: string;
  /** False when the scan was cancelled before every node was read. */
  complete: boolean;
  /** Nodes read without error. */
  nodesScanned: number;
  /** Nodes read whose every file matches. */
  cleanNodes: number;
  errors: PoolDriftNodeError[];
  groups: PoolDriftGroup[];
}

export type PoolRestoreNodeState = 'pending' | 'running' | 'restored' | 'failed' | 'skipped';

/** A bulk restore of one group: its nodes in batches, stopped after `maxFailures` failures. */
export interface PoolRestoreJob {
  id: string;
  pool: string;
  groupId: string;
  path: string;
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
  state: 'running' | 'done' | 'stopped';
  batchSize: number;
  maxFailures: number;
  /** After each write, the service actions the cluster's disruption policy names for the path (reload crio...). */
  policyAction: boolean;
  nodes: { node: string; state: PoolRestoreNodeState; message: string | null }[];
}

/** GET /api/pools/<pool>/drift (and the JSON report, with `report` set). */
export interface PoolDriftReply {
  pool: string;
  /** The latest scan, running or finished; null before the first. */
  scan: PoolDriftScan | null;
  /** The latest finished scan's findings; null before the first finishes. */
  result: PoolDriftResult | null;
  /** Bulk restores of this pool's groups, newest first. */
  restores: PoolRestoreJob[];
  /** Whether sensitive contents are shown (`?reveal=1` by a user who may). */
  revealed: boolean;
}

/** The JSON report: the reply with its format named, for tools. */
export interface PoolDriftReport extends PoolDriftReply {
  report: 'plumb.pooldrift/v1';
  generatedAt: string;
}

/** POST /api/pools/<pool>/drift/scan. */
export interface PoolDriftScanRequest {
  /** Read every node of the pool, not only the degraded ones. */
  all?: boolean;
}

/** POST /api/pools/<pool>/drift/restore: the group and the nodes the user confirmed. */
export interface PoolRestoreRequest {
  group: string;
  /** Exactly the group's nodes as the confirmation listed them. */
  nodes: string[];
  batchSize?: number;
  maxFailures?: number;
  /** Also run the policy's service actions for the path on each node (as the single-node restore offers). */
  policyAction?: boolean;
}
