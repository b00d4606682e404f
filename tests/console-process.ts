// Start a built Plumb console against a kubeconfig on a free loopback port, for integration tests and the benchmark.
// Reuses the `.next` build that `npm test` makes; otherwise builds once into PLUMB_DIST_DIR (default .next-test).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface ConsoleOptions {
  kubeconfig?: string;
  context?: string;
  readOnly?: boolean;
  /** Request header carrying each user's token (PLUMB_USER_TOKEN_HEADER). */
  userHeader?: string;
  /** A fixed port (e.g. to restart on the same one); a free one otherwise. */
  port?: number;
  env?: Record<string, string>;
  /** Further flags for scripts/console.mjs (`--public-url`, `--allowed-host`, `--csrf-secret-file`...). */
  args?: string[];
  timeoutMs?: number;
  /** Run from this folder (e.g. the standalone layout of the container image) instead of the project. */
  root?: string;
}

export interface ConsoleProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

/** The dist dir to serve, building it first when there is none. Parallel callers wait for one build. */
export async function ensureBuild(): Promise<string> {
  const explicit = process.env.PLUMB_DIST_DIR;
  if (!explicit && existsSync(join(ROOT, '.next', 'BUILD_ID'))) return '.next';
  const dist = explicit || '.next-test';
  if (existsSync(join(ROOT, dist, 'BUILD_ID'))) return dist;
  const lock = join(ROOT, `${dist}.lock`);
  try {
    mkdirSync(lock);
  } catch {
    // Someone else builds: wait for it (a stale lock older than 10 minutes is ignored).
    for (let i = 0; i < 600 && existsSync(lock) && !existsSync(join(ROOT, dist, 'BUILD_ID')); i++) await sleep(1000);
    if (existsSync(join(ROOT, dist, 'BUILD_ID'))) return dist;
    rmSync(lock, { recursive: true, force: true });
    mkdirSync(lock);
  }
  // next build rewrites tsconfig.json to include `<distDir>/types` when the dist dir is not `.next`: put it back.
  const tsconfig = join(ROOT, 'tsconfig.json');
  const tsconfigBefore = readFileSync(tsconfig, 'utf8');
  try {
    const r = spawnSync(join(ROOT, 'node_modules/.bin/next'), ['build'], {
      cwd: ROOT,
      env: { ...process.env, PLUMB_DIST_DIR: dist, NEXT_TELEMETRY_DISABLED: '1' },
      encoding: 'utf8',
    });
    if (r.status !== 0)
      throw new Error(`next build failed:\n${(r.stdout ?? '').slice(-3000)}\n${(r.stderr ?? '').slice(-3000)}`);
  } finally {
    if (readFileSync(tsconfig, 'utf8') !== tsconfigBefore) writeFileSync(tsconfig, tsconfigBefore);
    rmSync(lock, { recursive: true, force: true });
  }
  return dist;
}

export async function startConsole(opts: ConsoleOptions = {}): Promise<ConsoleProcess> {
  const dist = await ensureBuild();
  const port = opts.port ?? (await freePort());
  const root = opts.root ?? ROOT;
  const args = [join(root, 'scripts/console.mjs'), 'start', '--port', String(port), '--host', '127.0.0.1'];
  if (opts.kubeconfig) args.push('--kubeconfig', opts.kubeconfig);
  if (opts.context) args.push('--context', opts.context);
  if (opts.readOnly) args.push('--read-only');
  if (opts.userHeader) args.push('--user-header', opts.userHeader);
  if (opts.args) args.push(...opts.args);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...opts.env,
    PLUMB_DIST_DIR: dist,
    NEXT_TELEMETRY_DISABLED: '1',
    FORCE_COLOR: '0',
  };
  if (!opts.kubeconfig) {
    delete env.KUBECONFIG;
    delete env.PLUMB_KUBECONFIG;
  }
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the console exited with ${child.exitCode}:\n${out}`);
    try {
      const r = await fetch(`${url}/api/__ready`, { signal: AbortSignal.timeout(2000) });
      await r.body?.cancel();
      break;
    } catch {
      if (Date.now() > deadline) {
        killGroup(child, 'SIGKILL');
        throw new Error(`the console did not start in time:\n${out}`);
      }
      await sleep(200);
    }
  }
  return {
    url,
    port,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      killGroup(child, 'SIGTERM');
      const t = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
      await gone;
      clearTimeout(t);
    },
  };
}

/** Next starts a `next-server` child: signal the whole process group so nothing keeps the port. */
function killGroup(child: ChildProcess, sig: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, sig);
  } catch {
    try {
      child.kill(sig);
    } catch {
      // already gone
    }
  }
}
