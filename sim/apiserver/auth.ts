// Authentication (bearer tokens of the kubeconfig users) and authorization (RBAC over the stored roles and
// bindings) for every request, with the 401 and the Forbidden messages of a real kube-apiserver
// (k8s.io/apiserver endpoints/handlers/responsewriters forbiddenMessage, and apierrors.NewForbidden).
import type { IncomingMessage } from 'node:http';
import type { Store } from '../types';
import { decide, type Decision } from '../rbac/authorizer';
import { CLUSTER_ADMINS_GROUP, CLUSTER_READERS_GROUP } from '../rbac/bootstrap';
import type { RequestAttributes, UserInfo } from '../rbac/rules';
import { status, unauthorized } from './status';

export type { UserInfo };

export interface SimUser {
  name: string;
  token: string;
  /** Groups besides system:authenticated (added to every authenticated user). */
  groups?: string[];
  uid?: string;
  /** Older data folders: `admin` or `viewer`, read as the group of the matching default binding. */
  role?: 'admin' | 'viewer';
}

/** The attributes of a resource request. */
export interface Attributes {
  verb: string;
  /** e.g. `pods`, `machineconfigpools`, `selfsubjectaccessreviews`. */
  resource: string;
  subresource?: string;
  group: string;
  namespace?: string;
  name?: string;
}

const LEGACY_GROUPS = { admin: [CLUSTER_ADMINS_GROUP], viewer: [CLUSTER_READERS_GROUP] };

/** What the authenticator makes of a user: its groups plus system:authenticated, as the token authenticator union adds it. */
export function userInfo(u: SimUser): UserInfo {
  const groups = [
    ...(u.groups ?? (u.role ? LEGACY_GROUPS[u.role] : [])).filter((g) => g !== 'system:authenticated'),
    'system:authenticated',
  ];
  return u.uid ? { name: u.name, uid: u.uid, groups } : { name: u.name, groups };
}

export function userForToken(token: string, users: SimUser[]): UserInfo | undefined {
  const u = token ? users.find((x) => x.token === token) : undefined;
  return u && userInfo(u);
}

export function authenticate(req: IncomingMessage, users: SimUser[]): UserInfo {
  const h = req.headers.authorization ?? '';
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  const user = m ? userForToken(m[1], users) : undefined;
  if (!user) throw unauthorized();
  return user;
}

export function decideResource(store: Store, user: UserInfo, a: Attributes): Decision {
  return decide(store, user, { ...a, namespace: a.namespace || undefined } as RequestAttributes);
}

/** 403 unless RBAC allows the resource request. */
export function authorize(user: UserInfo, a: Attributes, store: Store): void {
  const d = decideResource(store, user, a);
  if (d.allowed) return;
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const qualified = a.group ? `${a.resource}.${a.group}` : a.resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  let why = `User "${user.name}" cannot ${a.verb} resource "${res}" in API group "${a.group}" ${scope}`;
  if (d.reason) why += `: ${d.reason}`;
  const message = a.name ? `${qualified} "${a.name}" is forbidden: ${why}` : `${qualified} is forbidden: ${why}`;
  throw status(403, 'Forbidden', message, { name: a.name, group: a.group, kind: a.resource });
}

/** 403 unless RBAC allows the non-resource request (discovery, /openapi, ...); `verb` is the lower-cased method. */
export function authorizePath(user: UserInfo, verb: string, path: string, store: Store): void {
  const d = decide(store, user, { verb, path });
  if (d.allowed) return;
  let why = `User "${user.name}" cannot ${verb} path "${path}"`;
  if (d.reason) why += `: ${d.reason}`;
  throw status(403, 'Forbidden', `forbidden: ${why}`, {});
}
