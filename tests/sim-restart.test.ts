// The data folder is the whole cluster: a restart on it keeps objects, resourceVersions, tokens and node files; a
// damaged state file stops the simulator with a clear message instead of being replaced. Also --from-dump.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FIXTURES_MISSING, fixturesDir, loadDump } from './fixtures';
import { MINI, startSim, type SimProcess } from './sim-process';
import { annotation, clients, execIn, poolSettled, rawGet, waitFor } from './sim-helpers';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const started: SimProcess[] = [];
afterAll(async () => {
  for (const s of started) await s.stop({ removeData: true });
});

describe('restart on the same data folder', () => {
  it('keeps every object, the resourceVersion counter, the tokens and the node files', async () => {
    const first = await startSim(MINI);
    started.push(first);
    const c1 = clients(first.kubeConfig());
    await waitFor('worker settled', () => poolSettled(c1, 'worker'), 20_000);
    await c1.core.patchNode({
      name: 'mini-worker-1',
      body: [{ op: 'add', path: '/metadata/annotations/plumb.example.com~1note', value: 'kept' }],
    });
    await waitFor(
      'annotation stored',
      async () => (await c1.node('mini-worker-1')).metadata.annotations['plumb.example.com/note'] === 'kept',
    );
    const pools1 = await c1.pools();
    const mcs1 = (await c1.machineConfigs()).map((m) => m.metadata.name).sort();
    const kubeconfig1 = readFileSync(first.kubeconfigPath, 'utf8');
    const rv1 = Number((await c1.core.listNode()).metadata!.resourceVersion);
    const proxyEnv = join(first.dataDir, 'nodes/mini-worker-1/rootfs/etc/mco/proxy.env');
    expect(existsSync(proxyEnv)).toBe(true);
    await first.stop();

    const second = await startSim([], { dataDir: first.dataDir });
    started.push(second);
    const c2 = clients(second.kubeConfig());
    expect((await c2.node('mini-worker-1')).metadata.annotations['plumb.example.com/note']).toBe('kept');
    expect((await c2.machineConfigs()).map((m) => m.metadata.name).sort()).toEqual(mcs1);
    const pools2 = await c2.pools();
    for (const p of pools1) {
      const q = pools2.find((x) => x.metadata.name === p.metadata.name);
      expect(q.metadata.uid).toBe(p.metadata.uid);
      expect(q.spec.configuration).toEqual(p.spec.configuration);
    }
    expect(Number((await c2.core.listNode()).metadata!.resourceVersion)).toBeGreaterThanOrEqual(rv1);
    // Same tokens: the old kubeconfig's users still work (only the server URL changed).
    const users = (k: string) => parse(k).users;
    expect(users(readFileSync(second.kubeconfigPath, 'utf8'))).toEqual(users(kubeconfig1));
    expect(readFileSync(proxyEnv, 'utf8')).toBe('HTTP_PROXY=\nHTTPS_PROXY=\nNO_PROXY=\n');
    expect(annotation(await c2.node('mini-worker-1'), 'state')).toBe('Done');
    await second.stop();
  }, 120_000); // two simulators one after the other and a rollout: more than the default 30 s on a loaded machine

  it('a damaged state file stops the simulator with a clear message and is left as it was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plumb-sim-damaged-'));
    try {
      writeFileSync(join(dir, 'state.json'), '{"version": 1, "objects": {');
      const r = spawnSync(
        process.execPath,
        [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'sim/main.ts'), '--port', '0', '--data-dir', dir],
        {
          cwd: ROOT,
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/state\.json/);
      expect(r.stdout).not.toMatch(/Simulated cluster ready/);
      expect(readFileSync(join(dir, 'state.json'), 'utf8')).toBe('{"version": 1, "objects": {');
      // The same for the simulator's own file (tokens, version, mode).
      rmSync(join(dir, 'state.json'));
      writeFileSync(join(dir, 'cluster.json'), 'not json');
      const r2 = spawnSync(
        process.execPath,
        [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'sim/main.ts'), '--port', '0', '--data-dir', dir],
        {
          cwd: ROOT,
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      expect(r2.status).toBe(1);
      expect(r2.stderr).toContain(`the simulator's state file ${join(dir, 'cluster.json')} is damaged`);
      expect(readFileSync(join(dir, 'cluster.json'), 'utf8')).toBe('not json');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000); // two simulator starts, each allowed 60 s
});

describe('--from-dump', () => {
  const dir = fixturesDir();
  it.skipIf(!dir)(
    `serves the recorded 4.16.0-compact objects unchanged${dir ? '' : ` (skipped: ${FIXTURES_MISSING})`}`,
    async () => {
      // Only the 4.16.0-compact set: copy its three files into a folder of their own.
      const only = mkdtempSync(join(tmpdir(), 'plumb-dump-'));
      for (const kind of ['mc', 'mcp', 'node']) {
        writeFileSync(
          join(only, `4.16.0-compact-${kind}.yaml`),
          readFileSync(join(dir!, `4.16.0-compact-${kind}.yaml`)),
        );
      }
      const sim = await startSim(['--from-dump', only]);
      started.push(sim);
      try {
        const c = clients(sim.kubeConfig());
        const recordedPools = loadDump('4.16.0-compact-mcp.yaml');
        const strip = (o: any) => {
          const { resourceVersion, generation, managedFields, ...metadata } = o.metadata;
          return { ...o, metadata };
        };
        // Give controllers (if any were wrongly running) time to rewrite something.
        await new Promise((r) => setTimeout(r, 500));
        for (const p of recordedPools) expect(strip(await c.pool(p.metadata.name))).toEqual(strip(p));
        for (const n of loadDump('4.16.0-compact-node.yaml'))
          expect(strip(await rawGet(sim.kubeConfig(), `/api/v1/nodes/${n.metadata.name}`))).toEqual(strip(n));
        const mcs = loadDump('4.16.0-compact-mc.yaml');
        expect((await c.machineConfigs()).length).toBe(mcs.length);
        const rendered = mcs.find((m) => m.metadata.name.startsWith('rendered-worker-'));
        expect(strip(await c.machineConfig(rendered.metadata.name))).toEqual(strip(rendered));
        // Daemon pods exist, and exec works on the (empty) node folder.
        const node = loadDump('4.16.0-compact-node.yaml')[0].metadata.name;
        const pod = await c.daemonPod(node);
        const r = await execIn(sim.kubeConfig(), pod, ['test', '-e', '/rootfs/etc/mco/proxy.env']);
        expect(r.exitCode).toBe(1);
      } finally {
        rmSync(only, { recursive: true, force: true });
      }
    },
    90_000,
  ); // starts a simulator of its own
});
