// What the simulator keeps in its data folder beside the object store: the bearer tokens (random per folder, kept
// across restarts so kubeconfigs stay valid), the cluster's OpenShift version, and how it was loaded.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { field, isObject } from './raw';

/** A kubeconfig user: its groups decide what it may do through the RBAC bindings (older files carry a `role`). */
export interface SimUserRecord {
  name: string;
  token: string;
  groups?: string[];
  role?: 'admin' | 'viewer';
}

export interface ClusterState {
  version: string;
  /** `scenario`: controllers and daemons run. `dump`: recorded objects served as they are. */
  mode: 'scenario' | 'dump';
  users: SimUserRecord[];
  /** The node count past which node files live in memory (kept so a restart picks the same kind). */
  memoryNodes?: boolean;
  /** Node folders carry systemd enablement links (sim/node/systemd.ts); older folders get them at the next start. */
  unitLinks?: boolean;
}

export class ClusterStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterStateError';
  }
}

export function clusterStatePath(dataDir: string): string {
  return join(dataDir, 'cluster.json');
}

export function readClusterState(dataDir: string): ClusterState | null {
  const path = clusterStatePath(dataDir);
  if (!existsSync(path)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ClusterStateError(
      `the simulator's state file ${path} is damaged (${(err as Error).message}); fix it or use another --data-dir`,
    );
  }
  const users = field(parsed, 'users');
  const valid =
    isObject(parsed) &&
    typeof parsed.version === 'string' &&
    (parsed.mode === 'scenario' || parsed.mode === 'dump') &&
    Array.isArray(users) &&
    users.every(
      (u: unknown) =>
        isObject(u) &&
        typeof u.name === 'string' &&
        typeof u.token === 'string' &&
        (u.role === undefined || u.role === 'admin' || u.role === 'viewer') &&
        (u.groups === undefined || (Array.isArray(u.groups) && u.groups.every((g: unknown) => typeof g === 'string'))),
    );
  if (!valid)
    throw new ClusterStateError(
      `the simulator's state file ${path} is damaged (unexpected content); fix it or use another --data-dir`,
    );
  return parsed as ClusterState;
}

export function writeClusterState(dataDir: string, state: ClusterState): void {
  const path = clusterStatePath(dataDir);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, path);
}

export const newToken = () => randomBytes(24).toString('base64url');

/**
 * The kubeconfig's two users: `admin` in OpenShift's system:cluster-admins group (ClusterRoleBinding `cluster-admins`
 * to cluster-admin) and `viewer` in system:cluster-readers (`cluster-readers` to cluster-reader).
 */
export function newUsers(): SimUserRecord[] {
  return [
    { name: 'admin', token: newToken(), groups: ['system:cluster-admins'] },
    { name: 'viewer', token: newToken(), groups: ['system:cluster-readers'] },
  ];
}
