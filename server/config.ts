// The console's settings, read once from the environment (scripts/console.mjs turns CLI flags into these).
import 'server-only';
import { processSingleton } from './singleton';

export interface ConsoleConfig {
  /** Kubeconfig file; when unset, KUBECONFIG, then in-cluster, then ~/.kube/config. */
  kubeconfig: string | null;
  context: string | null;
  readOnly: boolean;
  /** Request header carrying the user's own bearer token (e.g. X-Forwarded-Access-Token), lower-cased. */
  userTokenHeader: string | null;
  /**
   * Request header in which an authenticating proxy the operator configured names the user (e.g. X-Forwarded-User),
   * lower-cased. Only then is that name shown; the cluster's answer for the token always wins in the audit.
   */
  trustedUserHeader: string | null;
  /** The address the console listens on (`--host`, `--port`). */
  listenHost: string;
  listenPort: number;
  /** The URL users reach the console under, behind a proxy or a route (`--public-url`). */
  publicUrl: URL | null;
  /** Further Host names (or origins) the console answers for (`--allowed-host`, repeatable). */
  allowedHosts: string[];
  /** A file holding the secret CSRF tokens are signed with, shared by replicas; random per process otherwise. */
  csrfSecretFile: string | null;
  /** Per exec call into a daemon pod. */
  execTimeoutMs: number;
  /** How many nodes may be read through exec at the same time. */
  execConcurrency: number;
  /**
   * How many nodes pool drift scans read at the same time, all scans together (1 to 64; each node's read is a few
   * read-only execs, one after the other). Separate from execConcurrency so a scan neither waits behind nor starves
   * the single-node reads and actions.
   */
  scanConcurrency: number;
  /** How often an open event stream re-checks what its forwarded user may see. */
  streamRecheckMs: number;
}

function flag(v: string | undefined): boolean {
  return v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());
}

function int(v: string | undefined, fallback: number): number {
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;
}

function url(v: string | undefined): URL | null {
  if (!v) return null;
  try {
    return new URL(v);
  } catch {
    return null;
  }
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ConsoleConfig {
  return {
    kubeconfig: env.PLUMB_KUBECONFIG || env.KUBECONFIG || null,
    context: env.PLUMB_CONTEXT || null,
    readOnly: flag(env.PLUMB_READ_ONLY),
    userTokenHeader: env.PLUMB_USER_TOKEN_HEADER ? env.PLUMB_USER_TOKEN_HEADER.toLowerCase() : null,
    trustedUserHeader: env.PLUMB_TRUSTED_USER_HEADER ? env.PLUMB_TRUSTED_USER_HEADER.toLowerCase() : null,
    listenHost: env.PLUMB_LISTEN_HOST || '127.0.0.1',
    listenPort: int(env.PLUMB_LISTEN_PORT ?? env.PORT, 3000),
    publicUrl: url(env.PLUMB_PUBLIC_URL),
    allowedHosts: (env.PLUMB_ALLOWED_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean),
    csrfSecretFile: env.PLUMB_CSRF_SECRET_FILE || null,
    execTimeoutMs: int(env.PLUMB_EXEC_TIMEOUT_MS, 15_000),
    execConcurrency: int(env.PLUMB_EXEC_CONCURRENCY, 4),
    scanConcurrency: Math.min(64, int(env.PLUMB_SCAN_CONCURRENCY, 16)),
    streamRecheckMs: int(env.PLUMB_STREAM_RECHECK_MS, 60_000),
  };
}

/** The process-wide settings. */
export function config(): ConsoleConfig {
  return processSingleton('config', () => readConfig());
}
