// The console's settings, read once from the environment (scripts/console.mjs turns CLI flags into these).
export interface ConsoleConfig {
  /** Kubeconfig file; when unset, KUBECONFIG, then in-cluster, then ~/.kube/config. */
  kubeconfig: string | null;
  context: string | null;
  readOnly: boolean;
  /** Request header carrying the user's own bearer token (e.g. X-Forwarded-Access-Token), lower-cased. */
  userTokenHeader: string | null;
  /** Per exec call into a daemon pod. */
  execTimeoutMs: number;
  /** How many nodes may be read through exec at the same time. */
  execConcurrency: number;
}

function flag(v: string | undefined): boolean {
  return v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());
}

function int(v: string | undefined, fallback: number): number {
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ConsoleConfig {
  return {
    kubeconfig: env.PLUMB_KUBECONFIG || env.KUBECONFIG || null,
    context: env.PLUMB_CONTEXT || null,
    readOnly: flag(env.PLUMB_READ_ONLY),
    userTokenHeader: env.PLUMB_USER_TOKEN_HEADER ? env.PLUMB_USER_TOKEN_HEADER.toLowerCase() : null,
    execTimeoutMs: int(env.PLUMB_EXEC_TIMEOUT_MS, 15_000),
    execConcurrency: int(env.PLUMB_EXEC_CONCURRENCY, 4),
  };
}

const KEY = Symbol.for('plumb.config');
type G = typeof globalThis & { [KEY]?: ConsoleConfig };

/** The process-wide settings (shared across route bundles through globalThis). */
export function config(): ConsoleConfig {
  const g = globalThis as G;
  return (g[KEY] ??= readConfig());
}
