// Who may talk to the console at all, and the headers on every reply. Runs before any route handler: in the
// production server's front (scripts/serve.mjs, through the function registered by instrumentation.ts) and in
// Next's proxy (proxy.ts) for `next dev`.
//
// The Host check is the defence against DNS rebinding: a page on attacker.test whose name resolves to the console's
// address sends `Host: attacker.test`, and the browser's same-origin rule is no protection then. Only the names the
// console is served under are answered. An IP literal cannot be rebound, so when the console listens on every
// address (0.0.0.0, ::, as in a pod where probes use the pod IP) any IP literal is accepted as well.
import 'server-only';
import { isIP } from 'node:net';
import { config, type ConsoleConfig } from './config';
import { processSingleton } from './singleton';

export interface FrontVerdict {
  /** Headers for the reply, whatever it is. */
  headers: Record<string, string>;
  /** Set when the request must be refused before any handler runs. */
  refuse?: { status: number; error: 'bad_request' | 'forbidden'; message: string };
}

interface Allowed {
  /** Lower-case host names without port. */
  hosts: Set<string>;
  /** `scheme://host[:port]` as URL.origin writes it. */
  origins: Set<string>;
  /** Listening on every address: any IP literal is a name the console is served under. */
  anyIp: boolean;
  https: boolean;
}

const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]'];

function bracket(h: string): string {
  return isIP(h) === 6 ? `[${h}]` : h;
}

function computeAllowed(cfg: ConsoleConfig): Allowed {
  const hosts = new Set<string>();
  const origins = new Set<string>();
  const listen = cfg.listenHost.toLowerCase();
  const anyIp = listen === '0.0.0.0' || listen === '::' || listen === '[::]';
  const loopback = LOOPBACK.includes(bracket(listen)) || listen === '::1';
  for (const h of loopback ? LOOPBACK : anyIp ? ['localhost'] : [bracket(listen)]) {
    hosts.add(h);
    origins.add(new URL(`http://${h}:${cfg.listenPort}`).origin);
  }
  if (cfg.publicUrl) {
    hosts.add(cfg.publicUrl.hostname.toLowerCase());
    origins.add(cfg.publicUrl.origin);
  }
  for (const raw of cfg.allowedHosts) {
    // A bare name (or name:port) is reached over https, as behind a route or an authenticating proxy; give a full
    // origin (http://name:port) for anything else.
    try {
      const u = new URL(raw.includes('://') ? raw : `https://${raw}`);
      hosts.add(u.hostname.toLowerCase());
      origins.add(u.origin);
    } catch {
      console.warn(`[plumb] ignoring allowed host ${JSON.stringify(raw)}: not a host name or origin`);
    }
  }
  return { hosts, origins, anyIp, https: cfg.publicUrl?.protocol === 'https:' };
}

function allowed(): Allowed {
  return processSingleton('allowedHosts', () => computeAllowed(config()));
}

/** The host name of a Host header value (`name`, `name:port`, `[v6]:port`), lower-cased, or null when malformed. */
export function hostName(host: string | null | undefined): string | null {
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9_.-]+)(:\d{1,5})?$/i.exec(host ?? '');
  return m ? m[1].toLowerCase().replace(/\.$/, '') : null;
}

export function hostAllowed(host: string | null | undefined): boolean {
  const name = hostName(host);
  if (!name) return false;
  const a = allowed();
  if (a.hosts.has(name)) return true;
  return a.anyIp && (isIP(name) !== 0 || (name.startsWith('[') && isIP(name.slice(1, -1)) === 6));
}

/** Origin compared as scheme, host and port with the origins the console is served under. */
export function originAllowed(origin: string | null | undefined): boolean {
  if (!origin) return false;
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false;
  }
  const a = allowed();
  if (a.origins.has(u.origin)) return true;
  if (!a.anyIp || u.protocol !== 'http:' || Number(u.port || 80) !== config().listenPort) return false;
  const h = u.hostname;
  return isIP(h) !== 0 || (h.startsWith('[') && isIP(h.slice(1, -1)) === 6);
}

/** Served over https (the public URL says so): cookies are Secure and `__Host-` prefixed. */
export function servedOverHttps(): boolean {
  return allowed().https;
}

/**
 * The Content-Security-Policy: the console's own scripts, styles, fonts and workers (Monaco's editor worker is a
 * bundle under /_next/static), no frames around it, nothing else. Next's App Router bootstraps hydration with
 * inline scripts, hence 'unsafe-inline' for scripts; `next dev` also needs eval for fast refresh.
 */
export function contentSecurityPolicy(dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

export function securityHeaders(dev: boolean): Record<string, string> {
  const h: Record<string, string> = {
    'content-security-policy': contentSecurityPolicy(dev),
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };
  if (servedOverHttps()) h['strict-transport-security'] = 'max-age=31536000';
  return h;
}

/** The front's decision for one request: refuse a foreign Host or a malformed URL, and the headers for the reply. */
export function front(rawUrl: string, host: string | null | undefined, dev = false): FrontVerdict {
  const headers = securityHeaders(dev);
  if (!hostAllowed(host)) {
    return {
      headers,
      refuse: {
        status: 421,
        error: 'forbidden',
        message: `this console is not served under the host name ${JSON.stringify(String(host ?? '').slice(0, 100))}: start it with --public-url or --allowed-host to add one`,
      },
    };
  }
  const path = rawUrl.split('?')[0];
  try {
    decodeURIComponent(path);
  } catch {
    return {
      headers,
      refuse: {
        status: 400,
        error: 'bad_request',
        message: `malformed URL: ${path.slice(0, 200)} is not valid percent-encoding`,
      },
    };
  }
  return { headers };
}

export type Front = typeof front;
