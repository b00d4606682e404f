// `npm run demo -- [--port N] [--data-dir DIR] [--context admin|viewer] [--read-only]`: the simulated cluster plus
// the console against it (as the given kubeconfig context, optionally read-only: both passed to scripts/console.mjs).
// Builds the app first when there is no production build; stops both on Ctrl-C.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const USAGE = `usage: npm run demo -- [--port N] [--data-dir DIR] [--context admin|viewer] [--read-only] [--pool-drift]
  --port N          console port (default 3000)
  --data-dir DIR    simulator data (default .data/sim)
  --context NAME    the console's kubeconfig context: admin (default) or viewer, a cluster-reader
  --read-only       browse only: every console action answers 403 read_only
  --pool-drift      a new cluster also has one hand edit shared by worker-0 and worker-2 (/pools/worker/drift)`;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

let values: {
  port?: string;
  'data-dir'?: string;
  context?: string;
  'read-only'?: boolean;
  'pool-drift'?: boolean;
  help?: boolean;
};
try {
  ({ values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      context: { type: 'string' },
      'read-only': { type: 'boolean' },
      'pool-drift': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }));
} catch (err) {
  fail(`${(err as Error).message}\n${USAGE}`);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const port = values.port ?? '3000';
if (!/^\d+$/.test(port)) fail(`--port must be a number\n${USAGE}`);
const context = values.context ?? 'admin';
if (context !== 'admin' && context !== 'viewer')
  fail(`--context must be admin or viewer (the simulator's kubeconfig contexts)\n${USAGE}`);
const consoleFlags = ['--context', context, ...(values['read-only'] ? ['--read-only'] : [])];
const dataDir = resolve(values['data-dir'] ?? join(ROOT, '.data/sim'));
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', FORCE_COLOR: '0' };
const children: ChildProcess[] = [];

let stopping = false;
function stopAll(code: number) {
  stopping = true;
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) {
      try {
        process.kill(-c.pid!, 'SIGTERM');
      } catch {
        c.kill('SIGTERM');
      }
    }
  }
  setTimeout(() => process.exit(code), 1500).unref();
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

async function main() {
  const dist = process.env.PLUMB_DIST_DIR || '.next';
  if (!existsSync(join(ROOT, dist, 'BUILD_ID'))) {
    console.log('No production build yet: building the console (about a minute)...');
    const r = spawnSync(join(ROOT, 'node_modules/.bin/next'), ['build'], { cwd: ROOT, env, stdio: 'inherit' });
    if (r.status !== 0) fail('The build failed; see above.');
  }

  const sim = spawn(
    process.execPath,
    [
      join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
      join(ROOT, 'sim/main.ts'),
      '--port',
      '0',
      '--data-dir',
      dataDir,
      ...(values['pool-drift'] ? ['--scenario', 'demo-pool-drift'] : []),
    ],
    {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    },
  );
  children.push(sim);
  const kubeconfig = await new Promise<string>((res, rej) => {
    let out = '';
    sim.stdout!.on('data', (d: Buffer) => {
      out += d;
      process.stdout.write(d);
      const url = /Simulated cluster ready at (\S+)/.exec(out)?.[1];
      const kc = /kubeconfig: (\S+)/.exec(out)?.[1];
      if (url && kc) res(kc);
    });
    sim.on('exit', (code) => rej(new Error(`the simulator exited with ${code}`)));
  });
  sim.on('exit', (code) => {
    if (stopping) return;
    console.error(`The simulator stopped (${code}); stopping the console.`);
    stopAll(1);
  });

  const con = spawn(
    process.execPath,
    [join(ROOT, 'scripts/console.mjs'), 'start', '--port', port, '--kubeconfig', kubeconfig, ...consoleFlags],
    {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    },
  );
  children.push(con);
  let said = false;
  con.stdout!.on('data', (d: Buffer) => {
    if (!said && /Plumb console ready on|Ready in|Local:/.test(String(d))) {
      said = true;
      const as = `as ${context}${values['read-only'] ? ', read-only' : ''}`;
      console.log(
        `\nPlumb is running at http://127.0.0.1:${port}  (${as}; simulated cluster: ${kubeconfig})\nPress Ctrl-C to stop both.\n`,
      );
    }
  });
  con.on('exit', (code) => {
    if (stopping) return;
    console.error(`The console stopped (${code}); stopping the simulator.`);
    stopAll(code ?? 1);
  });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  stopAll(1);
});
