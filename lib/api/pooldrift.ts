// The JSON contract of /api/pools/<pool>/drift: a pool-wide drift scan, its groups of identical drift, and the
// bulk restores run on a group. Types only: nothing here runs.
import type { PoolDriftNodeError, PoolDriftResult, PoolDriftScope } from '../mco/pooldrift';

// What a scan finds is the domain's (lib/mco/pooldrift): re-exported so the browser takes every shape from here.
export type {
  PoolDriftGroup,
  PoolDriftNodeError,
  PoolDriftResult,
  PoolDriftScope,
  PoolDriftSide,
} from '../mco/pooldrift';

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
