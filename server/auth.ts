// Who is asking, and what they may do: the kubeconfig identity or a forwarded user token, SelfSubjectAccessReviews
// (cached per identity for 30 s), the CSRF double-submit cookie, same-origin checks and read-only mode.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import * as k8s from '@kubernetes/client-node';
import { CAPABILITIES, type Capability, type WhoAmIReply } from '../lib/api/types';
import type { ClusterCache } from './cache';
import { MCO_NAMESPACE } from '../lib/mco/constants';
import { kubeConfigForToken, kubeConfigUserName } from './cluster';
import { config } from './config';
import { ApiFailure, forbidden, toApiFailure, unreachable } from './errors';

export const CSRF_COOKIE = 'plumb-csrf';
export const CSRF_HEADER = 'x-csrf-token';
const PERMISSION_TTL_MS = 30_000;

export type { Capability };

export interface Identity {
  /** Stable cache key: 'kubeconfig' or a hash of the token (never the token itself). */
  key: string;
  kc: k8s.KubeConfig | null;
  /** No token where the console expects one: may read the cache, may not act. */
  anonymous: boolean;
  /** A display name hint from the proxy (X-Forwarded-User / X-Forwarded-Email). */
  hint: string | null;
}

export function identify(req: Request, cache: ClusterCache): Identity {
  const cfg = config();
  const hint = req.headers.get('x-forwarded-user') || req.headers.get('x-forwarded-email') || null;
  if (cfg.userTokenHeader) {
    const raw = req.headers.get(cfg.userTokenHeader)?.trim() ?? '';
    const token = raw.replace(/^Bearer\s+/i, '');
    if (!token || !cache.kc) return { key: 'anonymous', kc: null, anonymous: true, hint };
    const key = 'token:' + createHash('sha256').update(token).digest('hex').slice(0, 32);
    return { key, kc: kubeConfigForToken(cache.kc, token), anonymous: false, hint };
  }
  return { key: 'kubeconfig', kc: cache.kc, anonymous: false, hint: null };
}

/** The identity's KubeConfig, or a clear 403/503 when there is none. */
export function requireKubeConfig(id: Identity): k8s.KubeConfig {
  if (id.anonymous) throw forbidden(`no user token: the console expects one in the ${config().userTokenHeader} header`);
  if (!id.kc) throw unreachable('no cluster configured');
  return id.kc;
}

// ---------------------------------------------------------------------------------------------------------------
// Permissions

interface Permissions {
  user: string;
  can: WhoAmIReply['can'];
  why: WhoAmIReply['why'];
}

// What each capability needs on the cluster (Record<Capability, …>: a capability without a check does not compile).
const CHECKS: Record<Capability, { attrs: k8s.V1ResourceAttributes; what: string }> = {
  forceReconcile: {
    attrs: { namespace: MCO_NAMESPACE, verb: 'create', resource: 'pods', subresource: 'exec' },
    what: `create pods/exec in namespace ${MCO_NAMESPACE}`,
  },
  restoreFile: {
    attrs: { namespace: MCO_NAMESPACE, verb: 'create', resource: 'pods', subresource: 'exec' },
    what: `create pods/exec in namespace ${MCO_NAMESPACE}`,
  },
  pausePool: {
    attrs: { group: 'machineconfiguration.openshift.io', verb: 'patch', resource: 'machineconfigpools' },
    what: 'patch machineconfigpools.machineconfiguration.openshift.io',
  },
  revealSensitive: {
    attrs: { namespace: 'openshift-config', verb: 'get', resource: 'secrets' },
    what: 'get secrets in namespace openshift-config',
  },
};

/** Every capability set to one value. */
function everyCapability<T>(value: T): Record<Capability, T> {
  return Object.fromEntries(CAPABILITIES.map((c) => [c, value])) as Record<Capability, T>;
}

const PERM_KEY = Symbol.for('plumb.permissions');
type PermCache = Map<string, { at: number; value: Promise<Permissions> }>;
function permCache(): PermCache {
  const g = globalThis as typeof globalThis & { [PERM_KEY]?: PermCache };
  return (g[PERM_KEY] ??= new Map());
}

async function userName(id: Identity, kc: k8s.KubeConfig): Promise<string> {
  try {
    const api = kc.makeApiClient(k8s.AuthenticationV1Api);
    const r = await api.createSelfSubjectReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
    if (r.status?.userInfo?.username) return r.status.userInfo.username;
  } catch {
    // Older clusters (and the simulator) may not serve SelfSubjectReview: fall back below.
  }
  if (id.hint) return id.hint;
  return id.key === 'kubeconfig' ? kubeConfigUserName(kc) : 'token user';
}

async function computePermissions(id: Identity, kc: k8s.KubeConfig): Promise<Permissions> {
  const api = kc.makeApiClient(k8s.AuthorizationV1Api);
  const user = await userName(id, kc);
  const can = everyCapability(false);
  const why: WhoAmIReply['why'] = {};
  const distinct = new Map<string, Promise<{ allowed: boolean; reason: string | null }>>();
  await Promise.all(
    CAPABILITIES.map(async (capability) => {
      const c = CHECKS[capability];
      const k = JSON.stringify(c.attrs);
      if (!distinct.has(k)) {
        distinct.set(
          k,
          api
            .createSelfSubjectAccessReview({
              body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: c.attrs } },
            })
            .then((r) => ({ allowed: r.status?.allowed === true, reason: r.status?.reason || null })),
        );
      }
      const r = await distinct.get(k)!;
      can[capability] = r.allowed;
      if (!r.allowed) why[capability] = `${user} may not ${c.what}${r.reason ? ` (${r.reason})` : ''}`;
    }),
  );
  return { user, can, why };
}

/** The identity's permissions, from SelfSubjectAccessReviews made as that identity; cached for 30 s. */
export async function permissions(id: Identity): Promise<Permissions> {
  if (id.anonymous) {
    const why = `no user token in the ${config().userTokenHeader} header`;
    return {
      user: id.hint ?? 'anonymous',
      can: everyCapability(false),
      why: everyCapability(why),
    };
  }
  const kc = requireKubeConfig(id);
  const cache = permCache();
  const hit = cache.get(id.key);
  if (hit && Date.now() - hit.at < PERMISSION_TTL_MS) return hit.value;
  const value = computePermissions(id, kc);
  cache.set(id.key, { at: Date.now(), value });
  if (cache.size > 1000) cache.delete(cache.keys().next().value!);
  try {
    return await value;
  } catch (err) {
    cache.delete(id.key);
    throw toApiFailure(err);
  }
}

/** 403 with the reason unless the identity may use `capability`. */
export async function requireCapability(id: Identity, capability: Capability): Promise<Permissions> {
  const p = await permissions(id);
  if (!p.can[capability]) throw forbidden(p.why[capability] ?? `${p.user} may not do this`);
  return p;
}

// ---------------------------------------------------------------------------------------------------------------
// CSRF and origin

export function readCookie(req: Request, name: string): string | null {
  const header = req.headers.get('cookie');
  if (!header) return null;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return null;
}

/** The CSRF token of this browser (the existing cookie's, or a new one) and the Set-Cookie header when new. */
export function csrfToken(req: Request): { token: string; setCookie: string | null } {
  const existing = readCookie(req, CSRF_COOKIE);
  if (existing && /^[0-9a-f]{64}$/.test(existing)) return { token: existing, setCookie: null };
  const token = randomBytes(32).toString('hex');
  return { token, setCookie: `${CSRF_COOKIE}=${token}; Path=/; SameSite=Strict; HttpOnly` };
}

function sameOrigin(req: Request): boolean {
  const site = req.headers.get('sec-fetch-site');
  if (site) return site === 'same-origin';
  const origin = req.headers.get('origin');
  if (!origin) return false;
  try {
    const o = new URL(origin);
    const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host');
    return !!host && o.host === host;
  } catch {
    return false;
  }
}

/** Every action: not read-only, same origin, and the CSRF header matching the cookie. */
export function guardAction(req: Request): void {
  if (config().readOnly) throw new ApiFailure(403, 'read_only', 'the console runs read-only (--read-only): actions are disabled');
  if (!sameOrigin(req)) throw new ApiFailure(403, 'csrf', 'cross-origin request refused: send Origin or Sec-Fetch-Site from this console');
  const cookie = readCookie(req, CSRF_COOKIE) ?? '';
  const header = req.headers.get(CSRF_HEADER) ?? '';
  const ok = cookie.length > 0 && cookie.length === header.length && timingSafeEqual(Buffer.from(cookie), Buffer.from(header));
  if (!ok) throw new ApiFailure(403, 'csrf', `missing or wrong ${CSRF_HEADER} header: load /api/whoami and send its csrfToken`);
}

export async function whoami(req: Request, cache: ClusterCache): Promise<{ reply: WhoAmIReply; setCookie: string | null }> {
  const id = identify(req, cache);
  const { token, setCookie } = csrfToken(req);
  const p = await permissions(id);
  const can = { ...p.can };
  const why = { ...p.why };
  if (config().readOnly) {
    for (const k of ['forceReconcile', 'restoreFile', 'pausePool'] as const) {
      can[k] = false;
      why[k] = 'the console runs read-only (--read-only)';
    }
  }
  return { reply: { user: p.user, readOnly: config().readOnly, csrfToken: token, can, why }, setCookie };
}
