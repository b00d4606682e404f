// Bearer-token authentication and a two-role authorizer (admin: everything; viewer: read-only), with the
// Forbidden messages and SelfSubjectAccessReview answers of Kubernetes RBAC.
import type { IncomingMessage } from 'node:http';
import { status, unauthorized } from './status';

export interface SimUser {
  name: string;
  token: string;
  role: 'admin' | 'viewer';
}

export interface Attributes {
  verb: string;
  /** e.g. `pods`, `machineconfigpools`, `selfsubjectaccessreviews`. */
  resource: string;
  subresource?: string;
  group: string;
  namespace?: string;
  name?: string;
}

const READ_VERBS = new Set(['get', 'list', 'watch']);

export function authenticate(req: IncomingMessage, users: SimUser[]): SimUser {
  const h = req.headers.authorization ?? '';
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  const user = m ? users.find((u) => u.token === m[1]) : undefined;
  if (!user) throw unauthorized();
  return user;
}

export function allowed(user: SimUser, a: Attributes): boolean {
  if (user.role === 'admin') return true;
  if (a.group === 'authorization.k8s.io' && a.resource === 'selfsubjectaccessreviews' && a.verb === 'create') return true;
  return READ_VERBS.has(a.verb) && a.subresource !== 'exec';
}

export function authorize(user: SimUser, a: Attributes): void {
  if (allowed(user, a)) return;
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const qualified = a.group ? `${a.resource}.${a.group}` : a.resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  const why = `User "${user.name}" cannot ${a.verb} resource "${res}" in API group "${a.group}" ${scope}`;
  const message = a.name ? `${qualified} "${a.name}" is forbidden: ${why}` : `${qualified} is forbidden: ${why}`;
  throw status(403, 'Forbidden', message, { name: a.name, group: a.group, kind: a.resource });
}

/** The status block of a SelfSubjectAccessReview for `spec`. */
export function reviewAccess(user: SimUser, spec: any): { allowed: boolean; reason?: string; denied?: boolean } {
  const ra = spec?.resourceAttributes;
  const nra = spec?.nonResourceAttributes;
  const role = user.role === 'admin' ? 'cluster-admin' : 'view';
  const grant = `RBAC: allowed by ClusterRoleBinding "plumb-sim-${user.role}" of ClusterRole "${role}" to User "${user.name}"`;
  if (ra) {
    const ok = allowed(user, {
      verb: String(ra.verb ?? ''),
      resource: String(ra.resource ?? ''),
      subresource: ra.subresource ? String(ra.subresource) : undefined,
      group: String(ra.group ?? ''),
      namespace: ra.namespace,
      name: ra.name,
    });
    return ok ? { allowed: true, reason: grant } : { allowed: false };
  }
  if (nra) {
    const ok = user.role === 'admin' || String(nra.verb ?? '') === 'get';
    return ok ? { allowed: true, reason: grant } : { allowed: false };
  }
  return { allowed: false, reason: 'no resourceAttributes or nonResourceAttributes in the request' };
}
