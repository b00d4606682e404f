// Who is asking, and what they may do: the kubeconfig identity or a forwarded user token; the user's name from the
// cluster (SelfSubjectReview, else TokenReview); SelfSubjectAccessReviews for every read and action (cached per
// identity for a few seconds); the signed CSRF token; the origin check; read-only mode.
import 'server-only';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as k8s from '@kubernetes/client-node';
import { CAPABILITIES, type Capability, type ChangeNotice, type RevealQuery, type WhoAmIReply } from '../lib/api/types';
import type { ClusterCache } from './cache';
import { clusterIdentity, kubeConfigForToken, kubeConfigUserName } from './cluster';
import { config } from './config';
import { MCO_NAMESPACE } from '../lib/mco/constants';
import { ApiFailure, forbidden, toApiFailure, unauthorized, unreachable } from './errors';
import { originAllowed, servedOverHttps } from './security';
import { processSingleton } from './singleton';
import { parseQuery, revealQuery } from './validate';

export const CSRF_HEADER = 'x-csrf-token';
/** Short: a revoked role binding or token stops working within this time. */
const PERMISSION_TTL_MS = 10_000;

export type { Capability };
/** What the console reads for a user: list and watch of each, as the cluster would check them. */
export type ReadResource = 'nodes' | 'machineconfigs' | 'machineconfigpools' | 'machineconfignodes' | 'events';

export interface Identity {
  /** Stable cache key: 'kubeconfig' or a hash of the token (never the token itself). */
  key: string;
  kc: k8s.KubeConfig | null;
  /** The raw token (forwarded users), for TokenReview when SelfSubjectReview is not served. */
  token: string | null;
  /** The user named by the authenticating proxy, only when the operator configured its header. */
  proxyUser: string | null;
}

/** The caller. With `--user-header`, a request without a token is refused (401) before anything else is read. */
export function identify(req: Request, cache: ClusterCache): Identity {
  const cfg = config();
  if (cfg.userTokenHeader) {
    const raw = req.headers.get(cfg.userTokenHeader)?.trim() ?? '';
    const token = raw.replace(/^Bearer\s+/i, '');
    if (!token) throw unauthorized(`no user token: the console expects one in the ${cfg.userTokenHeader} header`);
    if (!cache.kc) throw unreachable('no cluster configured');
    const key = 'token:' + createHash('sha256').update(token).digest('hex').slice(0, 32);
    return { key, kc: kubeConfigForToken(cache.kc, token), token, proxyUser: proxyUser(req) };
  }
  // The console as a single identity behind a signing-in proxy: the cluster's name for the console, and the proxy's
  // name for the person beside it in the audit.
  return { key: 'kubeconfig', kc: cache.kc, token: null, proxyUser: proxyUser(req) };
}

/** The user the authenticating proxy names, only when the operator configured its header (--trusted-user-header). */
function proxyUser(req: Request): string | null {
  const header = config().trustedUserHeader;
  return header ? req.headers.get(header)?.trim().slice(0, 256) || null : null;
}

/** The identity's KubeConfig, or a clear 503 when there is none. */
export function requireKubeConfig(id: Identity): k8s.KubeConfig {
  if (!id.kc) throw unreachable('no cluster configured');
  return id.kc;
}

// ---------------------------------------------------------------------------------------------------------------
// Permissions

export interface Permissions {
  /** The user name the cluster gives for the credentials. */
  user: string;
  /** The name for the audit: the cluster's, and the proxy's beside it when they differ. */
  actor: string;
  can: WhoAmIReply['can'];
  why: WhoAmIReply['why'];
  reads: Record<ReadResource, boolean>;
  /** May create the audit Events (namespace default). */
  recordEvents: boolean;
}

/** An action records its outcome after the act: refuse it before acting at all when it could not be recorded. */
export function requireAuditable(perms: Permissions): void {
  if (!perms.recordEvents)
    throw forbidden(
      `${perms.user} may not create events in namespace default, so the action could not be audited: nothing was done`,
    );
}

/** Every capability set to one value. */
function everyCapability<T>(value: T): Record<Capability, T> {
  return Object.fromEntries(CAPABILITIES.map((c) => [c, value])) as Record<Capability, T>;
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

const READS: Record<ReadResource, string> = {
  nodes: '',
  machineconfigs: 'machineconfiguration.openshift.io',
  machineconfigpools: 'machineconfiguration.openshift.io',
  machineconfignodes: 'machineconfiguration.openshift.io',
  events: '',
};

const EVENT_ATTRS: k8s.V1ResourceAttributes = { namespace: 'default', verb: 'create', resource: 'events' };

type PermCache = Map<string, { at: number; value: Promise<Permissions> }>;
const permCache = () => processSingleton<PermCache>('permissions', () => new Map());

const notServed = (err: unknown) => {
  const c = (err as { code?: number })?.code;
  return c === 404 || c === 405;
};

/**
 * The user name the cluster gives for the identity: SelfSubjectReview as that identity (Kubernetes 1.28+), else a
 * TokenReview of the forwarded token made by the console. A rejected token is 401. Never a request header's name.
 */
async function userName(id: Identity, kc: k8s.KubeConfig, consoleKc: k8s.KubeConfig | null): Promise<string | null> {
  try {
    const r = await kc
      .makeApiClient(k8s.AuthenticationV1Api)
      .createSelfSubjectReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
    if (r.status?.userInfo?.username) return r.status.userInfo.username;
  } catch (err) {
    if (!notServed(err)) throw err;
  }
  if (id.token && consoleKc) {
    try {
      const r = await consoleKc.makeApiClient(k8s.AuthenticationV1Api).createTokenReview({
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: id.token } },
      });
      if (r.status?.authenticated === false)
        throw unauthorized(`the cluster rejected the token${r.status.error ? `: ${r.status.error}` : ''}`);
      if (r.status?.user?.username) return r.status.user.username;
    } catch (err) {
      if (!notServed(err) && (err as { code?: number })?.code !== 403) throw err;
    }
  }
  return id.key === 'kubeconfig' ? kubeConfigUserName(kc) : null;
}

async function computePermissions(
  id: Identity,
  kc: k8s.KubeConfig,
  consoleKc: k8s.KubeConfig | null,
): Promise<Permissions> {
  const api = kc.makeApiClient(k8s.AuthorizationV1Api);
  const distinct = new Map<string, Promise<{ allowed: boolean; reason: string | null }>>();
  const review = (attrs: k8s.V1ResourceAttributes) => {
    const k = JSON.stringify(attrs);
    if (!distinct.has(k)) {
      distinct.set(
        k,
        api
          .createSelfSubjectAccessReview({
            body: {
              apiVersion: 'authorization.k8s.io/v1',
              kind: 'SelfSubjectAccessReview',
              spec: { resourceAttributes: attrs },
            },
          })
          .then((r) => ({ allowed: r.status?.allowed === true, reason: r.status?.reason || null })),
      );
    }
    return distinct.get(k)!;
  };
  // The SelfSubjectAccessReviews go out first: a bad token fails them with 401 whatever the name lookup does.
  const capResults = Promise.all(CAPABILITIES.map((c) => review(CHECKS[c].attrs)));
  const readResults = Promise.all(
    (Object.keys(READS) as ReadResource[]).map(async (r) => {
      const [list, watch] = await Promise.all(
        ['list', 'watch'].map((verb) => review({ group: READS[r], resource: r, verb })),
      );
      return [r, list.allowed && watch.allowed] as const;
    }),
  );
  const events = review(EVENT_ATTRS);
  const [name, caps, reads, ev] = await Promise.all([userName(id, kc, consoleKc), capResults, readResults, events]);
  const proxy = id.proxyUser;
  const user = name ?? proxy ?? 'unknown user';
  const actor = name && proxy && proxy !== name ? `${name} (the proxy says ${proxy})` : user;
  const can = everyCapability(false);
  const why: WhoAmIReply['why'] = {};
  CAPABILITIES.forEach((c, i) => {
    can[c] = caps[i].allowed;
    if (!caps[i].allowed) why[c] = `${user} may not ${CHECKS[c].what}${caps[i].reason ? ` (${caps[i].reason})` : ''}`;
  });
  return {
    user,
    actor,
    can,
    why,
    reads: Object.fromEntries(reads) as Record<ReadResource, boolean>,
    recordEvents: ev.allowed,
  };
}

/** The identity's permissions, from SelfSubjectAccessReviews made as that identity; cached briefly per identity. */
export async function permissions(id: Identity, consoleKc: k8s.KubeConfig | null = null): Promise<Permissions> {
  const kc = requireKubeConfig(id);
  const cache = permCache();
  const hit = cache.get(id.key);
  if (hit && Date.now() - hit.at < PERMISSION_TTL_MS) {
    const p = await hit.value;
    // The proxy's name is per request: never reuse one request's header for another.
    return withProxyUser(p, id);
  }
  const value = computePermissions({ ...id, proxyUser: null }, kc, consoleKc ?? kc);
  cache.set(id.key, { at: Date.now(), value });
  if (cache.size > 1000) cache.delete(cache.keys().next().value!);
  try {
    return withProxyUser(await value, id);
  } catch (err) {
    cache.delete(id.key);
    throw toApiFailure(err);
  }
}

function withProxyUser(p: Permissions, id: Identity): Permissions {
  const proxy = id.proxyUser;
  if (!proxy) return p;
  const named = p.user !== 'unknown user';
  const user = named ? p.user : proxy;
  return { ...p, user, actor: named && proxy !== p.user ? `${p.user} (the proxy says ${proxy})` : user };
}

/** 403 with the reason unless the identity may use `capability`. */
export async function requireCapability(
  id: Identity,
  capability: Capability,
  consoleKc: k8s.KubeConfig | null = null,
): Promise<Permissions> {
  const p = await permissions(id, consoleKc);
  if (!p.can[capability]) throw forbidden(p.why[capability] ?? `${p.user} may not do this`);
  return p;
}

/**
 * With forwarded users, 403 unless the user may list and watch every resource the reply is made of (the cache
 * holds the console's view of the cluster; it answers a user only with what the cluster would give that user).
 * With the kubeconfig identity the informers' own rights already decided.
 */
export async function requireReads(
  id: Identity,
  resources: ReadResource[],
  consoleKc: k8s.KubeConfig | null,
): Promise<Permissions | null> {
  if (id.key === 'kubeconfig') return null;
  const p = await permissions(id, consoleKc);
  const missing = resources.filter((r) => !p.reads[r]);
  if (missing.length) throw forbidden(`${p.user} may not list and watch ${missing.join(', ')}`);
  return p;
}

/** Which change notices a stream may carry for the identity. */
export async function visibleKinds(id: Identity, consoleKc: k8s.KubeConfig | null): Promise<Set<ChangeNotice['kind']>> {
  const all: ChangeNotice['kind'][] = ['Node', 'MachineConfig', 'MachineConfigPool', 'MachineConfigNode', 'Event'];
  if (id.key === 'kubeconfig') return new Set(all);
  const { reads } = await permissions(id, consoleKc);
  const need: Record<ChangeNotice['kind'], ReadResource> = {
    Node: 'nodes',
    MachineConfigNode: 'machineconfignodes',
    MachineConfig: 'machineconfigs',
    MachineConfigPool: 'machineconfigpools',
    Event: 'events',
  };
  return new Set(all.filter((k) => reads[need[k]]));
}

/** Whether the query asks to reveal sensitive contents (`reveal=1`); 403 when the identity may not. */
export async function revealAllowed(
  query: RevealQuery,
  id: Identity,
  consoleKc: k8s.KubeConfig | null = null,
): Promise<boolean> {
  if (query.reveal !== '1') return false;
  await requireCapability(id, 'revealSensitive', consoleKc);
  return true;
}

/** revealAllowed for the query of `url` (`?reveal=1`). */
export function revealRequested(url: URL, id: Identity, consoleKc: k8s.KubeConfig | null = null): Promise<boolean> {
  return revealAllowed(parseQuery(url, revealQuery), id, consoleKc);
}

// ---------------------------------------------------------------------------------------------------------------
// CSRF and origin

/** `__Host-` (Secure, Path=/, no Domain) when served over https. */
export function csrfCookieName(): string {
  return servedOverHttps() ? '__Host-plumb-csrf' : 'plumb-csrf';
}

export function readCookie(req: Request, name: string): string | null {
  const header = req.headers.get('cookie');
  if (!header) return null;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return null;
}

/** The key CSRF tokens are signed with: from --csrf-secret-file (shared by replicas), else random per process. */
function csrfSecret(): Buffer {
  return processSingleton('csrfSecret', () => {
    const file = config().csrfSecretFile;
    if (!file) return randomBytes(32);
    const s = readFileSync(file);
    if (s.length < 32) throw new Error(`the CSRF secret in ${file} is shorter than 32 bytes`);
    return s;
  });
}

const mac = (nonce: string) =>
  createHmac('sha256', csrfSecret()).update(`plumb-csrf:${nonce}`).digest('hex').slice(0, 32);

/** A token is a 128-bit nonce and its HMAC under the server's secret: 64 hex digits. */
export function csrfTokenValid(token: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(token)) return false;
  return timingSafeEqual(Buffer.from(mac(token.slice(0, 32))), Buffer.from(token.slice(32)));
}

/** The CSRF token of this browser (the existing cookie's when it is one we signed, or a new one) and its Set-Cookie. */
export function csrfToken(req: Request): { token: string; setCookie: string | null } {
  const name = csrfCookieName();
  const existing = readCookie(req, name);
  if (existing && csrfTokenValid(existing)) return { token: existing, setCookie: null };
  const nonce = randomBytes(16).toString('hex');
  const token = nonce + mac(nonce);
  const secure = servedOverHttps() ? '; Secure' : '';
  return { token, setCookie: `${name}=${token}; Path=/; SameSite=Strict; HttpOnly${secure}` };
}

/** Every action: not read-only, from one of the console's own origins, and a CSRF token we signed in cookie and header. */
export function guardAction(req: Request): void {
  if (config().readOnly)
    throw new ApiFailure(403, 'read_only', 'the console runs read-only (--read-only): actions are disabled');
  guardOrigin(req);
}

/**
 * A request that makes the console work as the user, even one that changes nothing on the cluster (a drift scan,
 * which also runs on a read-only console): from one of the console's own pages, with a CSRF token we signed in
 * cookie and header.
 */
export function guardOrigin(req: Request): void {
  guardSameOrigin(req);
  const cookie = readCookie(req, csrfCookieName()) ?? '';
  const header = req.headers.get(CSRF_HEADER) ?? '';
  const ok =
    csrfTokenValid(header) &&
    cookie.length === header.length &&
    timingSafeEqual(Buffer.from(cookie), Buffer.from(header));
  if (!ok)
    throw new ApiFailure(
      403,
      'csrf',
      `missing or wrong ${CSRF_HEADER} header: load /api/whoami and send its csrfToken`,
    );
}

/** A POST from one of the console's own pages: no other site's page may send it (Sec-Fetch-Site, Origin). */
export function guardSameOrigin(req: Request): void {
  const site = req.headers.get('sec-fetch-site');
  if (site && site !== 'same-origin')
    throw new ApiFailure(403, 'csrf', `cross-site request refused (Sec-Fetch-Site: ${site})`);
  if (!originAllowed(req.headers.get('origin'))) {
    throw new ApiFailure(
      403,
      'csrf',
      "cross-origin request refused: the Origin header must be one of this console's own origins",
    );
  }
}

export async function whoami(
  req: Request,
  cache: ClusterCache,
): Promise<{ reply: WhoAmIReply; setCookie: string | null }> {
  const id = identify(req, cache);
  const p = await permissions(id, cache.kc);
  const { token, setCookie } = csrfToken(req);
  const can = { ...p.can };
  const why = { ...p.why };
  if (config().readOnly) {
    for (const k of ['forceReconcile', 'restoreFile', 'pausePool'] as const) {
      can[k] = false;
      why[k] = 'the console runs read-only (--read-only)';
    }
  }
  return {
    reply: {
      user: p.user,
      cluster: await clusterIdentity(cache.kc),
      readOnly: config().readOnly,
      csrfToken: token,
      can,
      why,
    },
    setCookie,
  };
}
