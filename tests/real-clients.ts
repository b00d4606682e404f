// The real Kubernetes clients that integration tests drive besides the kubectl on PATH, fetched from Debian when
// missing (as scripts/test.mjs does for Chromium): Debian's kubectl 1.20 (`kubernetes-client`, SPDY-only exec),
// unpacked with `dpkg -x` into node_modules/.cache/plumb/ (installing it would replace the kubectl on PATH) once and
// reused, and the official Python client (`python3-kubernetes`) for Debian's /usr/bin/python3 (not a pyenv python
// first on PATH). Installing needs root; where that is impossible the caller skips with the reason returned here.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLIENT_CACHE = join(ROOT, 'node_modules/.cache/plumb');
export const DEBIAN_PYTHON = '/usr/bin/python3';
const APT_ENV = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };

export type Found<T> = ({ ok: true } & T) | { ok: false; skip: string };

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
const firstLine = (e: unknown) =>
  String((e as { stderr?: string }).stderr || (e as Error).message || e)
    .trim()
    .split('\n')
    .filter(Boolean)
    .at(-1) ?? '';

let aptUpdate: Promise<void> | undefined;
/** `apt-get update`, at most once per test process, and only after a first attempt failed without it. */
function aptUpdateOnce(): Promise<void> {
  aptUpdate ??= run('apt-get', ['update', '-qq'], { env: APT_ENV, timeout: 300_000 }).then(() => undefined);
  return aptUpdate;
}

/** Runs an apt step; on failure (e.g. empty package lists) updates the lists once, as root, and tries again. */
async function withAptRetry(step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch (e) {
    if (!isRoot()) throw e;
    await aptUpdateOnce();
    await step();
  }
}

/** Debian's kubectl 1.20 (package kubernetes-client), unpacked once under node_modules/.cache/plumb/. */
export async function debianKubectl(): Promise<Found<{ path: string }>> {
  const dir = join(CLIENT_CACHE, 'kubernetes-client');
  const path = join(dir, 'usr/bin/kubectl');
  if (existsSync(path)) return { ok: true, path };
  mkdirSync(CLIENT_CACHE, { recursive: true });
  // Work in a folder of our own and rename at the end, so two test files fetching at once do not see half a tree.
  const work = mkdtempSync(join(CLIENT_CACHE, 'kubernetes-client-'));
  try {
    await withAptRetry(() =>
      run('apt-get', ['download', '-qq', 'kubernetes-client'], { cwd: work, env: APT_ENV, timeout: 300_000 }),
    );
    const deb = readdirSync(work).find((f) => f.endsWith('.deb'));
    if (!deb) throw new Error('apt-get download left no .deb');
    await run('dpkg', ['-x', join(work, deb), join(work, 'tree')], { timeout: 120_000 });
    if (!existsSync(join(work, 'tree/usr/bin/kubectl'))) throw new Error(`${deb} holds no usr/bin/kubectl`);
    try {
      renameSync(join(work, 'tree'), dir);
    } catch (e) {
      if (!existsSync(path)) throw e; // another process won the race
    }
    return { ok: true, path };
  } catch (e) {
    return {
      ok: false,
      skip: `Debian's kubectl 1.20 is not available (apt-get download kubernetes-client; dpkg -x): ${firstLine(e)}`,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const pythonHasClient = () =>
  run(DEBIAN_PYTHON, ['-c', 'import kubernetes, kubernetes.stream, kubernetes.watch'], { timeout: 60_000 }).then(
    () => true,
    () => false,
  );

let pythonInstall: Promise<Found<{ python: string }>> | undefined;
/** Debian's python3 with the official client (package python3-kubernetes), installed when missing and root. */
export function debianPythonClient(): Promise<Found<{ python: string }>> {
  pythonInstall ??= (async (): Promise<Found<{ python: string }>> => {
    if (existsSync(DEBIAN_PYTHON) && (await pythonHasClient())) return { ok: true, python: DEBIAN_PYTHON };
    if (!isRoot())
      return {
        ok: false,
        skip: `the Python client is missing and installing it needs root: sudo apt-get install -y python3-kubernetes`,
      };
    try {
      await withAptRetry(() =>
        run('apt-get', ['install', '-y', '-qq', '-o', 'DPkg::Lock::Timeout=300', 'python3-kubernetes'], {
          env: APT_ENV,
          timeout: 600_000,
        }),
      );
    } catch (e) {
      return { ok: false, skip: `could not install python3-kubernetes: ${firstLine(e)}` };
    }
    return (await pythonHasClient())
      ? { ok: true, python: DEBIAN_PYTHON }
      : { ok: false, skip: `python3-kubernetes is installed but ${DEBIAN_PYTHON} cannot import kubernetes` };
  })();
  return pythonInstall;
}

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
  error?: Error;
}

/** Runs a client asynchronously (the test process stays responsive), with optional stdin, killed after `timeoutMs`. */
export function runClient(
  cmd: string,
  args: string[],
  opts: { stdin?: string | Buffer; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.on('error', () => {}); // a client that exits before reading stdin
    child.stdin.end(opts.stdin ?? '');
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.on('error', (error) => resolve({ status: null, stdout, stderr, error }));
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/**
 * kubectl as a newcomer runs it against `kubeconfig`: no KUBECTL_* variable that changes its behaviour, no
 * KUBECONFIG, and `home` as HOME (no ~/.kube/config of the machine), caching discovery under `home/cache`.
 */
export function kubectlAs(
  kubectl: string,
  kubeconfig: string,
  home: string,
  args: string[],
  opts: { stdin?: string | Buffer; timeoutMs?: number } = {},
): Promise<Ran> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('KUBECTL') && k !== 'KUBECONFIG'),
  ) as NodeJS.ProcessEnv;
  env.HOME = home;
  return runClient(kubectl, ['--kubeconfig', kubeconfig, '--cache-dir', join(home, 'cache'), ...args], {
    ...opts,
    env,
  });
}
