// Start the simulator as a separate process on a free loopback port, as every integration test does.
// The simulator prints `Simulated cluster ready at <url>` and `kubeconfig: <path>` on stdout once it serves.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as k8s from '@kubernetes/client-node';

export interface SimProcess {
  url: string;
  kubeconfigPath: string;
  dataDir: string;
  /** A KubeConfig for the given context (`admin` by default, or `viewer`). */
  kubeConfig(context?: 'admin' | 'viewer'): k8s.KubeConfig;
  /** Stop the process (SIGTERM, then SIGKILL); the data folder stays unless `removeData`. */
  stop(opts?: { removeData?: boolean }): Promise<void>;
  output(): string;
  child: ChildProcess;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Reboots and drains as short as a test can still follow them: how most integration tests run the simulator. */
export const FAST_NODES: readonly string[] = ['--reboot-seconds', '0.3', '--drain-seconds', '0.1'];
/** The mini scenario (a few nodes in each pool) with FAST_NODES. */
export const MINI: readonly string[] = ['--scenario', 'mini', ...FAST_NODES];

export async function startSim(
  args: readonly string[] = [],
  opts: { dataDir?: string; timeoutMs?: number } = {},
): Promise<SimProcess> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'plumb-sim-'));
  // tsx as a loader in the simulator's own process, not the tsx CLI: the CLI's parent relays SIGTERM and SIGKILLs the
  // child when it has not acknowledged within 30 ms (tsx src/cli.ts relaySignals), which a loaded machine misses, so
  // stop() lost the state the simulator saves on SIGTERM. Here stop()'s SIGTERM reaches the simulator itself.
  const child = spawn(
    process.execPath,
    [
      '--import',
      pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href,
      join(ROOT, 'sim/main.ts'),
      '--port',
      '0',
      '--data-dir',
      dataDir,
      ...args,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } },
  );
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const ready = await new Promise<{ url: string; kubeconfigPath: string }>((res, rej) => {
    const timer = setTimeout(
      () => rej(new Error(`simulator did not start in time:\n${out}`)),
      opts.timeoutMs ?? 60_000,
    );
    const check = () => {
      const url = /Simulated cluster ready at (\S+)/.exec(out)?.[1];
      const kc = /kubeconfig: (\S+)/.exec(out)?.[1];
      if (url && kc) {
        clearTimeout(timer);
        res({ url, kubeconfigPath: kc });
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`simulator exited with ${code}:\n${out}`));
    });
  });
  child.removeAllListeners('exit');
  return {
    ...ready,
    dataDir,
    child,
    output: () => out,
    kubeConfig(context = 'admin') {
      const kc = new k8s.KubeConfig();
      kc.loadFromFile(ready.kubeconfigPath);
      kc.setCurrentContext(context);
      return kc;
    },
    async stop({ removeData = false } = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await gone;
        clearTimeout(t);
      }
      if (removeData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
