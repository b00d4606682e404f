// `npm run sim` with no scenario serves the demo: pools master, worker and infra, every node Done except the one
// worker the demo drifts on /etc/mco/proxy.env, which shows up Degraded with the daemon's reason.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DRIFT } from '@/sim/scenarios/demo';
import { FAST_NODES, startSim, type SimProcess } from './sim-process';
import { annotation, clients, condition, waitFor } from './sim-helpers';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
let sim: SimProcess;
let c: ReturnType<typeof clients>;

beforeAll(async () => {
  sim = await startSim(FAST_NODES);
  c = clients(sim.kubeConfig());
});

afterAll(async () => {
  await sim?.stop({ removeData: true });
});

describe('the demo cluster', () => {
  it('prints the contract lines and a hint', async () => {
    await waitFor('the hint', async () => sim.output().includes('export KUBECONFIG='), 2_000);
    expect(sim.output()).toMatch(/^Simulated cluster ready at https?:\/\/127\.0\.0\.1:\d+$/m);
    expect(sim.output()).toContain(`kubeconfig: ${join(sim.dataDir, 'kubeconfig')}`);
    expect(sim.output()).toContain(`export KUBECONFIG=${join(sim.dataDir, 'kubeconfig')}`);
  });

  it('serves its pools with one worker drifted', async () => {
    expect((await c.pools()).map((p) => p.metadata.name).sort()).toEqual(['infra', 'master', 'worker']);
    // The scenario edits the file live: the monitor's bare reason, then within seconds the preflight retry's
    // wrapped one, which stays.
    const config = annotation(await c.node(DEMO_DRIFT.node), 'currentConfig');
    const reason = `unexpected on-disk state validating against ${config}: content mismatch for file "${DEMO_DRIFT.path}"`;
    const pool = await waitFor(
      'the demo worker pool degraded by the drifted node',
      async () => {
        const p = await c.pool('worker');
        const reporting = condition(p, 'NodeDegraded')?.message?.endsWith(`${JSON.stringify(reason)}`);
        return (
          p.status?.degradedMachineCount === 1 && condition(p, 'NodeDegraded')?.status === 'True' && reporting && p
        );
      },
      20_000,
      100,
    );
    // The demo is 4.20: the node controller lists the node twice, from its MachineConfigNode's NodeDegraded
    // condition and from its annotation (lib/mco/status.ts; 4.16 listed it once).
    const node = DEMO_DRIFT.node;
    expect(condition(pool, 'NodeDegraded')?.message).toBe(
      `Node ${node} is reporting: ${JSON.stringify(`Node ${node} upgrade failure. ${reason}`)}, Node ${node} is reporting: ${JSON.stringify(reason)}`,
    );
    const drifted = await c.node(DEMO_DRIFT.node);
    expect(annotation(drifted, 'state')).toBe('Degraded');
    expect(annotation(drifted, 'reason')).toBe(reason);
    const others = (await c.nodes()).filter((n) => n.metadata.name !== DEMO_DRIFT.node);
    expect(others.map((n) => annotation(n, 'state'))).toEqual(others.map(() => 'Done'));
    for (const p of ['master', 'infra']) expect(condition(await c.pool(p), 'Updated')?.status).toBe('True');
  });
});

describe('command line errors', () => {
  const run = (args: string[]) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const dir = mkdtempSync(join(tmpdir(), 'plumb-sim-args-'));
      const child = spawn(
        process.execPath,
        [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'sim/main.ts'), '--data-dir', dir, ...args],
        { cwd: ROOT },
      );
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => {
        rmSync(dir, { recursive: true, force: true });
        resolve({ code, stderr });
      });
    });

  it('rejects bad values and conflicting sources with a clear message', async () => {
    const [nodes, both, file] = await Promise.all([
      run(['--nodes', 'many']),
      run(['--nodes', '5', '--scenario', 'mini']),
      run(['--scenario', '/nonexistent/scenario.yaml']),
    ]);
    expect(nodes).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--nodes must be a positive integer (got "many")'),
    });
    expect(both).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--scenario, --from-dump and --nodes are alternatives'),
    });
    expect(file).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--scenario /nonexistent/scenario.yaml: ENOENT'),
    });
  });
});
