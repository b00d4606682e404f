// `npm run demo`, as a newcomer runs it: the simulator and the console start, the URL is printed, and the first
// screen's data already has something to fix (worker-1 drifted on /etc/mco/proxy.env). Ctrl-C stops both.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import type { PoolsReply, WhoAmIReply } from '@/lib/api/types';
import { ensureBuild, freePort } from './console-process';
import { waitFor } from './sim-helpers';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'plumb-demo-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** `npm run demo` with `args` on a free port: its output so far, its exit code when it ends. */
async function startDemo(args: (port: number) => string[]) {
  const dist = await ensureBuild();
  const port = await freePort();
  const demo = spawn(
    process.execPath,
    [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/demo.ts'), ...args(port)],
    {
      cwd: ROOT,
      env: { ...process.env, PLUMB_DIST_DIR: dist, NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  demo.stdout!.on('data', (d) => (out += d));
  demo.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => demo.once('exit', (code) => r(code)));
  return { port, output: () => out, exited, stop: () => demo.kill('SIGINT') };
}

it('npm run demo prints the console URL and serves the drifted demo cluster; Ctrl-C stops both', async () => {
  const { port, output, exited, stop } = await startDemo((port) => ['--port', String(port), '--data-dir', dataDir]);
  try {
    await waitFor(
      'the URL line',
      async () => output().includes(`Plumb is running at http://127.0.0.1:${port}`),
      90_000,
      200,
    );
    const pools = await waitFor(
      'worker degraded',
      async () => {
        const r = await fetch(`http://127.0.0.1:${port}/api/pools`);
        const body = (await r.json()) as PoolsReply;
        // the preflight retry's wrapped reason, which follows the monitor's bare one within seconds
        const wrapped = body.attention?.[0]?.reason.startsWith('unexpected on-disk state validating against ');
        return body.pools?.find((p) => p.name === 'worker')?.degradedMachineCount === 1 && wrapped ? body : undefined;
      },
      30_000,
      250,
    );
    expect(pools.attention.map((a) => [a.node, a.reason])).toEqual([
      [
        'worker-1',
        expect.stringMatching(
          /^unexpected on-disk state validating against rendered-worker-[0-9a-f]+: content mismatch for file "\/etc\/mco\/proxy\.env"$/,
        ),
      ],
    ]);
  } finally {
    stop();
  }
  expect(await exited).toBe(0);
  // Both children are gone: the console's port no longer answers.
  await expect(fetch(`http://127.0.0.1:${port}/api/pools`)).rejects.toThrow();
}, 150_000);

it('npm run demo -- --context viewer --read-only shows the console as a read-only viewer', async () => {
  const viewerData = mkdtempSync(join(tmpdir(), 'plumb-demo-viewer-'));
  const { port, output, exited, stop } = await startDemo((port) => [
    '--port',
    String(port),
    '--data-dir',
    viewerData,
    '--context',
    'viewer',
    '--read-only',
  ]);
  try {
    await waitFor(
      'the URL line',
      async () => output().includes(`Plumb is running at http://127.0.0.1:${port}  (as viewer, read-only;`),
      90_000,
      200,
    );
    const who = (await (await fetch(`http://127.0.0.1:${port}/api/whoami`)).json()) as WhoAmIReply;
    expect({ user: who.user, readOnly: who.readOnly }).toEqual({
      user: expect.stringMatching(/viewer/),
      readOnly: true,
    });
    // The viewer still sees the drifted node.
    await waitFor(
      'worker-1 degraded',
      async () => {
        const body = (await (await fetch(`http://127.0.0.1:${port}/api/pools`)).json()) as PoolsReply;
        return body.attention?.some((a) => a.node === 'worker-1');
      },
      30_000,
      250,
    );
  } finally {
    stop();
    await exited;
    rmSync(viewerData, { recursive: true, force: true });
  }
}, 150_000);
