// Drift across a pool: scan the degraded nodes of a pool (or all of them) as the user who asked, with bounded
// concurrency, progress and cancel; keep the latest result in memory with its time so the next visitor sees it
// without a rescan; restore a group of identical drift on all its nodes in batches, stopping on the first failures.
// Grouping and reports are pure (lib/mco/pooldrift); the per-node restore is server/pooldrift-restore.
import 'server-only';
import { randomBytes } from 'node:crypto';
import type * as k8s from '@kubernetes/client-node';
import type {
  PoolDriftNodeError,
  PoolDriftReply,
  PoolDriftResult,
  PoolDriftScan,
  PoolDriftScope,
  PoolDriftSide,
  PoolRestoreJob,
} from '../lib/api/pooldrift';
import { bytesToText, checkFile, isSensitive } from '../lib/mco';
import { groupDrift, groupHash, maskReply, type NodeDriftFinding } from '../lib/mco/pooldrift';
import { NodeAnnotations } from '../lib/mco/types';
import {
  guardAction,
  guardOrigin,
  permissions,
  requireAuditable,
  requireKubeConfig,
  revealRequested,
  type Identity,
  type Permissions,
  type ReadResource,
} from './auth';
import type { ClusterCache } from './cache';
import { MCO_NAMESPACE } from '../lib/mco/constants';
import { expectedSha256 } from './decoded';
import { ApiFailure, badRequest, forbidden, notFound, toApiFailure } from './errors';
import { scanSemaphore } from './exec';
import { recordScan } from './metrics';
import { config } from './config';
import { inspectPaths, nodeTarget } from './nodefiles';
import { restoreOneFile } from './pooldrift-restore';
import { bodyText } from './validate';
import { processSingleton } from './singleton';

/** Texts larger than this are kept as hashes only (a group shows its diff once, but not of a 50 MB file). */
const MAX_TEXT_BYTES = 256 * 1024;
/** Restore jobs remembered per pool. */
const KEEP_JOBS = 10;

export const POOL_DRIFT_READS: ReadResource[] = ['nodes', 'machineconfigs', 'machineconfigpools'];

interface PoolState {
  scan: PoolDriftScan | null;
  cancel: AbortController | null;
  result: PoolDriftResult | null;
  jobs: PoolRestoreJob[];
}

const store = () => processSingleton('poolDrift', () => new Map<string, PoolState>());

function poolState(pool: string): PoolState {
  let s = store().get(pool);
  if (!s) store().set(pool, (s = { scan: null, cancel: null, result: null, jobs: [] }));
  return s;
}

const newId = () => `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

// ---------------------------------------------------------------------------------------------------------------
// Who may scan, see and act

/**
 * Reading a node's files is an exec into its daemon pod: the same SelfSubjectAccessReview as a restore (create
 * pods/exec in the MCO namespace). 403 with the cluster's words otherwise. (What the replies are made of,
 * POOL_DRIFT_READS, the routes check through server/route.ts.)
 */
async function requireDriftReads(id: Identity, cache: ClusterCache, doing: string): Promise<Permissions> {
  const p = await permissions(id, cache.kc);
  if (!p.can.restoreFile) {
    throw forbidden(
      `${p.user} may not create pods/exec in namespace ${MCO_NAMESPACE}, which ${doing} needs: Plumb reads node files through exec into each node's machine-config-daemon pod`,
    );
  }
  return p;
}

function requirePool(cache: ClusterCache, pool: string): void {
  if (!cache.pools.has(pool)) throw notFound(`MachineConfigPool ${pool} not found`);
}

// ---------------------------------------------------------------------------------------------------------------
// Reply

function snapshot(pool: string): PoolDriftReply {
  const s = store().get(pool);
  return {
    pool,
    scan: s?.scan ? { ...s.scan, errors: [...s.scan.errors] } : null,
    result: s?.result ?? null,
    restores: s ? s.jobs.map((j) => ({ ...j, nodes: j.nodes.map((n) => ({ ...n })) })) : [],
    revealed: false,
  };
}

/** GET /api/pools/<pool>/drift: the latest scan and result, masked unless revealed by a user who may. */
export async function poolDrift(cache: ClusterCache, id: Identity, pool: string, url: URL): Promise<PoolDriftReply> {
  requirePool(cache, pool);
  await requireDriftReads(id, cache, 'seeing the drift of its nodes');
  const reveal = await revealRequested(url, id, cache.kc);
  return maskReply(snapshot(pool), reveal);
}

// ---------------------------------------------------------------------------------------------------------------
// Scan

const isDegraded = (state: string | undefined) => state === 'Degraded' || state === 'Unreconcilable';

function side(bytes: Uint8Array | null, mode: number | null, sha: string | null, size: number | null): PoolDriftSide {
  if (!bytes) return { sha256: sha, mode, size, text: null, binary: false };
  const text = bytes.length <= MAX_TEXT_BYTES ? bytesToText(bytes) : null;
  return {
    sha256: sha,
    mode,
    size: size ?? bytes.length,
    text,
    binary: bytes.length <= MAX_TEXT_BYTES && text === null,
  };
}

/** What one node has wrong: every drifted managed path, with the actual side kept for the group. */
async function scanNode(cache: ClusterCache, kc: k8s.KubeConfig, node: string): Promise<NodeDriftFinding[]> {
  const t = nodeTarget(cache, node);
  const found = await inspectPaths(kc, t.pod, t.paths, false);
  const out: NodeDriftFinding[] = [];
  for (const e of t.paths) {
    const got = found.get(e.path);
    const check = checkFile(e, got?.actual ?? null);
    if (check.status === 'ok') continue;
    const a = got?.actual ?? null;
    const actual = a ? side(a.contents ?? null, a.mode, got!.sha256, got!.size) : null;
    out.push({
      node,
      config: t.config.metadata.name,
      path: e.path,
      kind: e.kind,
      status: check.status,
      reason: check.reason ?? '',
      sensitive: isSensitive(e.path, e.mode),
      hash: groupHash(check.status, a ? { type: a.type, sha256: got!.sha256 } : null),
      expected: side(
        e.contents ?? null,
        e.mode,
        e.contents ? expectedSha256(e.contents) : null,
        e.contents?.length ?? null,
      ),
      actual,
    });
  }
  return out;
}

/** POST /api/pools/<pool>/drift/scan: start a scan as the user; 409 while one runs. */
export async function startScan(req: Request, cache: ClusterCache, id: Identity, pool: string): Promise<PoolDriftScan> {
  // A scan changes nothing on the cluster, so it runs on a read-only console too; but it is a POST that makes the
  // console work as the user, so it gets the actions' origin and CSRF checks.
  guardOrigin(req);
  requirePool(cache, pool);
  const perms = await requireDriftReads(id, cache, 'a drift scan');
  const kc = requireKubeConfig(id);
  let all = false;
  const text = await bodyText(req);
  if (text.trim()) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw badRequest('the body must be JSON: {} or {"all": true}');
    }
    const v = (body as { all?: unknown })?.all;
    if (v !== undefined && typeof v !== 'boolean') throw badRequest('all must be true or false');
    all = v === true;
  }
  const s = poolState(pool);
  if (s.scan?.state === 'running') {
    throw new ApiFailure(
      409,
      'conflict',
      `a scan of pool ${pool} started by ${s.scan.startedBy} is running (${s.scan.done}/${s.scan.total}): wait for it or cancel it`,
    );
  }
  const nodes = cache
    .poolNodeNames(pool)
    .filter((n) => all || isDegraded(cache.nodes.get(n)?.metadata.annotations?.[NodeAnnotations.state]))
    .sort();
  const scope: PoolDriftScope = all ? 'all' : 'degraded';
  const scan: PoolDriftScan = {
    id: newId(),
    pool,
    scope,
    state: 'running',
    startedBy: perms.actor,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    total: nodes.length,
    done: 0,
    errors: [],
    message: null,
  };
  const cancel = new AbortController();
  s.scan = scan;
  s.cancel = cancel;
  void runScan(cache, kc, scan, nodes, cancel.signal).finally(() => {
    if (s.cancel === cancel) s.cancel = null;
  });
  return { ...scan };
}

async function runScan(
  cache: ClusterCache,
  kc: k8s.KubeConfig,
  scan: PoolDriftScan,
  nodes: string[],
  signal: AbortSignal,
): Promise<void> {
  const findings: NodeDriftFinding[] = [];
  const drifted = new Set<string>();
  let read = 0;
  let next = 0;
  const worker = async () => {
    while (!signal.aborted && next < nodes.length) {
      const node = nodes[next++];
      try {
        const f = await scanSemaphore().run(() => (signal.aborted ? Promise.resolve(null) : scanNode(cache, kc, node)));
        if (f === null) return;
        read++;
        if (f.length) drifted.add(node);
        findings.push(...f);
      } catch (err) {
        const e: PoolDriftNodeError = { node, message: toApiFailure(err).message };
        scan.errors.push(e);
      }
      scan.done++;
    }
  };
  try {
    // As many workers as the process-wide scan bound: two pools scanned at once share it.
    await Promise.all(Array.from({ length: Math.min(config().scanConcurrency, nodes.length) }, worker));
    scan.state = signal.aborted ? 'cancelled' : 'done';
  } catch (err) {
    scan.state = 'failed';
    scan.message = toApiFailure(err).message;
  }
  scan.finishedAt = new Date().toISOString();
  recordScan(
    scan.pool,
    scan.state,
    (Date.parse(scan.finishedAt) - Date.parse(scan.startedAt)) / 1000,
    read,
    scan.errors.length,
  );
  if (scan.state === 'failed') return;
  // A scan whose every node failed (no exec rights left, the API server gone) keeps the previous findings.
  if (read === 0 && scan.errors.length > 0) return;
  poolState(scan.pool).result = {
    scanId: scan.id,
    scope: scan.scope,
    scannedBy: scan.startedBy,
    checkedAt: scan.finishedAt,
    complete: scan.state === 'done',
    nodesScanned: read,
    cleanNodes: read - drifted.size,
    errors: [...scan.errors].sort((a, b) => (a.node < b.node ? -1 : 1)),
    groups: groupDrift(findings),
  };
}

/** DELETE (or POST .../cancel) /api/pools/<pool>/drift/scan: stop the running scan; what was read is kept. */
export async function cancelScan(
  req: Request,
  cache: ClusterCache,
  id: Identity,
  pool: string,
): Promise<PoolDriftScan> {
  guardOrigin(req);
  requirePool(cache, pool);
  await requireDriftReads(id, cache, 'cancelling a drift scan');
  const s = poolState(pool);
  if (!s.scan || s.scan.state !== 'running' || !s.cancel)
    throw new ApiFailure(409, 'conflict', `no scan of pool ${pool} is running`);
  s.cancel.abort();
  return { ...s.scan };
}

// ---------------------------------------------------------------------------------------------------------------
// Bulk restore of a group

function intIn(v: unknown, what: string, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    throw badRequest(`${what} must be a whole number from ${min} to ${max}`);
  return v;
}

/** A bulk restore's body: the confirmed nodes of a group, up to a few thousand names. */
const RESTORE_BODY_BYTES = 512 * 1024;

/**
 * POST /api/pools/<pool>/drift/restore `{group, nodes, batchSize?, maxFailures?}`: restore the group's path on
 * every node the user confirmed (which must be the group's nodes now: 409 otherwise), in batches of `batchSize`
 * at once; once `maxFailures` nodes have failed, the nodes not started are skipped. Each node's outcome is an audit
 * Event on that node. Answers 202 with the job; its progress is in GET /api/pools/<pool>/drift.
 */
export async function startRestore(
  req: Request,
  cache: ClusterCache,
  id: Identity,
  pool: string,
): Promise<PoolRestoreJob> {
  guardAction(req);
  requirePool(cache, pool);
  const perms = await requireDriftReads(id, cache, 'restoring files on nodes');
  requireAuditable(perms);
  const kc = requireKubeConfig(id);
  let body: Record<string, unknown>;
  // Bounded: the confirmed node list of a large pool's group is long, but not without end.
  const text = await bodyText(req, RESTORE_BODY_BYTES);
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw badRequest('the body must be JSON: {"group": "<id>", "nodes": ["<node>", ...]}');
  }
  if (typeof body?.group !== 'string') throw badRequest('group must be the id of a drift group of the latest scan');
  if (!Array.isArray(body.nodes) || !body.nodes.every((n) => typeof n === 'string'))
    throw badRequest('nodes must list the nodes you confirmed');
  const batchSize = intIn(body.batchSize, 'batchSize', 5, 1, 50);
  const maxFailures = intIn(body.maxFailures, 'maxFailures', 1, 1, 1000);
  if (body.policyAction !== undefined && typeof body.policyAction !== 'boolean')
    throw badRequest('policyAction must be true or false');
  const policyAction = body.policyAction === true;
  const s = poolState(pool);
  const g = s.result?.groups.find((x) => x.id === body.group);
  if (!g) throw notFound(`no drift group ${body.group} in the latest scan of pool ${pool}: scan again`);
  const confirmed = [...(body.nodes as string[])].sort();
  if (confirmed.length === 0 || confirmed.join('\0') !== g.nodes.join('\0')) {
    throw new ApiFailure(
      409,
      'conflict',
      `the group ${g.path} now covers ${g.nodes.length ? g.nodes.join(', ') : 'no node'}; confirm that list again`,
    );
  }
  if (s.jobs.some((j) => j.state === 'running' && j.groupId === g.id))
    throw new ApiFailure(409, 'conflict', `a restore of ${g.path} on these nodes is already running`);
  const job: PoolRestoreJob = {
    id: newId(),
    pool,
    groupId: g.id,
    path: g.path,
    startedBy: perms.actor,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    state: 'running',
    batchSize,
    maxFailures,
    policyAction,
    nodes: confirmed.map((node) => ({ node, state: 'pending', message: null })),
  };
  s.jobs.unshift(job);
  s.jobs.splice(KEEP_JOBS);
  void runRestore(cache, kc, perms.actor, job);
  return { ...job, nodes: job.nodes.map((n) => ({ ...n })) };
}

async function runRestore(cache: ClusterCache, kc: k8s.KubeConfig, actor: string, job: PoolRestoreJob): Promise<void> {
  let failures = 0;
  const total = job.nodes.length;
  for (let i = 0; i < total && failures < job.maxFailures; i += job.batchSize) {
    const batch = job.nodes.slice(i, i + job.batchSize);
    await Promise.all(
      batch.map(async (n, k) => {
        n.state = 'running';
        try {
          n.message = await restoreOneFile({ cache, kc, actor }, n.node, job.path, {
            policyAction: job.policyAction,
            context: `bulk restore of pool ${job.pool}'s drift group ${job.groupId}, node ${i + k + 1} of ${total}`,
          });
          n.state = 'restored';
          markRestored(job, n.node);
        } catch (err) {
          failures++;
          n.state = 'failed';
          n.message = toApiFailure(err).message;
        }
      }),
    );
  }
  for (const n of job.nodes) {
    if (n.state === 'pending') {
      n.state = 'skipped';
      n.message = `not started: ${failures} node(s) failed, the limit is ${job.maxFailures}`;
    }
  }
  job.state = failures >= job.maxFailures && job.nodes.some((n) => n.state === 'skipped') ? 'stopped' : 'done';
  job.finishedAt = new Date().toISOString();
}

/** The node no longer has the group's drift: move it to the group's restored nodes in the kept result. */
function markRestored(job: PoolRestoreJob, node: string): void {
  const g = poolState(job.pool).result?.groups.find((x) => x.id === job.groupId);
  if (!g) return;
  g.nodes = g.nodes.filter((n) => n !== node);
  if (!g.restoredNodes.includes(node)) g.restoredNodes = [...g.restoredNodes, node].sort();
}
