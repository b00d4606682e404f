// A node's folder is a wall: another process swaps a directory inside the node root for a symlink to a canary
// folder outside it, in a tight loop, while the daemon pod's commands read and restore files and a daemon validates
// its config on the same folder. Nothing of the canary may come back, and nothing may appear outside the root.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeAnnotations as A } from '@/lib/mco/types';
import { createStore } from '../../store';
import { runCommand } from '../commands';
import { startDaemon } from '../daemon';
import { DiskNodeFS } from './disk';
import type { NodeFS } from './types';

const INSIDE = 'inside\n';
const CANARY = 'CANARY ' + 'x'.repeat(993) + '\n'; // 1001 bytes: its size is recognisable in stat output too
const sha = (s: string | Uint8Array) => createHash('sha256').update(s).digest('hex');

// The swapper: rename etc/mco away, put a symlink to the canary in its place, then put the directory back.
const SWAPPER = `
const fs = require('node:fs');
const [root, canary, ms] = process.argv.slice(1);
const dir = root + '/etc/mco', away = root + '/etc/.mco-away';
const end = Date.now() + Number(ms);
let swaps = 0;
while (Date.now() < end) {
  try { fs.renameSync(dir, away); fs.symlinkSync(canary, dir); fs.unlinkSync(dir); fs.renameSync(away, dir); swaps++; } catch {}
}
try { fs.unlinkSync(dir); } catch {}
try { fs.renameSync(away, dir); } catch {}
console.log(swaps);
`;

const base = mkdtempSync(join(tmpdir(), 'plumb-wall-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function listTree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: false }).map(String).sort();
}

describe('a node folder on disk is a wall', () => {
  it('never reads, writes or creates outside the node root while a directory is swapped for a symlink', async () => {
    const root = join(base, 'rootfs');
    const canary = join(base, 'canary');
    mkdirSync(join(root, 'etc/mco'), { recursive: true });
    mkdirSync(canary);
    writeFileSync(join(canary, 'proxy.env'), CANARY);
    writeFileSync(join(root, 'etc/mco/proxy.env'), INSIDE);
    const outsideBefore = listTree(base).filter((p) => !p.startsWith('rootfs'));

    // Every byte the daemon reads through its filesystem is kept for the check below.
    const disk = new DiskNodeFS(root);
    const daemonReads: Uint8Array[] = [];
    const fs: NodeFS = Object.assign(Object.create(disk) as NodeFS, {
      readFile: async (p: string) => {
        const data = await disk.readFile(p);
        daemonReads.push(data);
        return data;
      },
    });
    const store = createStore();
    store.create('machineconfigs', {
      apiVersion: 'machineconfiguration.openshift.io/v1',
      kind: 'MachineConfig',
      metadata: { name: 'rendered-worker-a' },
      spec: {
        config: {
          ignition: { version: '3.4.0' },
          storage: { files: [{ path: '/etc/mco/proxy.env', mode: 420, contents: { source: 'data:,inside%0A' } }] },
        },
      },
    });
    store.create('nodes', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: 'worker-0',
        annotations: {
          [A.currentConfig]: 'rendered-worker-a',
          [A.desiredConfig]: 'rendered-worker-a',
          [A.state]: 'Done',
        },
      },
      spec: {},
      status: {},
    });
    const daemon = startDaemon({
      store,
      nodeName: 'worker-0',
      fs,
      timings: { rebootMs: 50, retryMs: 20, drainPollMs: 50 },
      log: () => {},
    });
    await daemon.idle();

    const swapper = spawn(process.execPath, ['-e', SWAPPER, root, canary, '2500'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let swaps = '';
    swapper.stdout.on('data', (d) => (swaps += d));
    const exited = new Promise<void>((r) => swapper.on('exit', () => r()));
    let running = true;
    void exited.then(() => (running = false));

    const outputs: string[] = [];
    const tally = { ok: 0, failed: 0 };
    const run = async (argv: string[], stdin?: string) => {
      const r = await runCommand(argv, {
        fs: disk,
        stdin: stdin === undefined ? null : new Uint8Array(Buffer.from(stdin)),
      });
      outputs.push(Buffer.from(r.stdout).toString('latin1'));
      tally[r.exitCode === 0 ? 'ok' : 'failed']++;
      return r.exitCode;
    };
    let round = 0;
    while (running) {
      const tmp = `/rootfs/etc/mco/.proxy.env.plumb-${round++}`;
      await run(['cat', '/rootfs/etc/mco/proxy.env']);
      await run(['sha256sum', '/rootfs/etc/mco/proxy.env']);
      await run(['stat', '-c', '%s %a %F', '/rootfs/etc/mco/proxy.env']);
      await run(['ls', '/rootfs/etc/mco']);
      // The console's restore: tee a temporary file beside the target, chmod it, mv it over the target.
      if ((await run(['tee', tmp], INSIDE)) === 0 && (await run(['chmod', '0644', tmp])) === 0)
        await run(['mv', tmp, '/rootfs/etc/mco/proxy.env']);
      await run(['rm', '-f', tmp]);
      await run(['touch', '/rootfs/etc/mco/proxy.env']);
      await disk.readFile('/etc/mco/proxy.env').then(
        (d) => daemonReads.push(d),
        () => {},
      );
      await new Promise((r) => setImmediate(r)); // let the daemon's own validation run in between
    }
    await exited;
    await daemon.stop();

    const seen = [...outputs, ...daemonReads.map((d) => Buffer.from(d).toString('latin1'))];
    const leaked = seen.filter((s) => s.includes('CANARY') || s.includes(sha(CANARY)) || /^1001 /m.test(s));
    expect(leaked.map((s) => s.slice(0, 80))).toEqual([]);
    expect(daemonReads.length).toBeGreaterThan(0);
    // Every read is the node's own file (the others, shown whole, say what came instead).
    expect(daemonReads.map((d) => Buffer.from(d).toString()).filter((s) => s !== INSIDE)).toEqual([]);
    // Nothing created or changed outside the root; the node's own file is intact.
    expect(listTree(base).filter((p) => !p.startsWith('rootfs'))).toEqual(outsideBefore);
    expect(readFileSync(join(canary, 'proxy.env'), 'utf8')).toBe(CANARY);
    expect(readFileSync(join(root, 'etc/mco/proxy.env'), 'utf8')).toBe(INSIDE);
    // The race really ran both ways: the swapper swapped, and commands both succeeded and were refused.
    console.log(
      `wall: ${swaps.trim()} swaps, ${tally.ok} commands ok, ${tally.failed} refused, ${daemonReads.length} daemon reads`,
    );
    expect(Number(swaps)).toBeGreaterThan(100);
    expect(tally.ok).toBeGreaterThan(10);
  }, 20_000);
});
