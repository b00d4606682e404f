// `--nodes N`: a large cluster whose node files live in memory. Pools come up Updated with the right counts, and
// drift through exec on an in-memory node behaves as on disk (Degraded with the daemon's string, then Done).
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type SimProcess } from './sim-process';
import { annotation, clients, condition, execIn, poolSettled, waitFor } from './sim-helpers';

let sim: SimProcess;
let c: ReturnType<typeof clients>;

beforeAll(async () => {
  sim = await startSim(['--nodes', '400', '--reboot-seconds', '0.2', '--drain-seconds', '0.1']);
  c = clients(sim.kubeConfig());
  for (const p of ['master', 'worker', 'infra'])
    await waitFor(`pool ${p} settled`, () => poolSettled(c, p), 60_000, 200);
});

afterAll(async () => {
  await sim?.stop({ removeData: true });
});

describe('a 400-node cluster', () => {
  it('splits the nodes into master, worker and infra pools, all updated, with one daemon pod per node', async () => {
    const counts = Object.fromEntries((await c.pools()).map((p) => [p.metadata.name, p.status.machineCount]));
    expect(counts).toEqual({ master: 3, worker: 358, infra: 39 });
    const infra = await c.pool('infra');
    expect(infra.spec.configuration.source.map((s: any) => s.name)).toContain('99-infra-sysctl');
    expect(condition(infra, 'Updated')?.status).toBe('True');
    const pods = await c.core.listNamespacedPod({
      namespace: 'openshift-machine-config-operator',
      labelSelector: 'k8s-app=machine-config-daemon',
    });
    expect(new Set(pods.items.map((p) => p.spec!.nodeName)).size).toBe(400);
    // Past a few hundred nodes the files are kept in memory, not in the data folder.
    const nodesDir = join(sim.dataDir, 'nodes');
    expect(existsSync(nodesDir) ? readdirSync(nodesDir).length : 0).toBe(0);
  });

  it('drift written through exec on an in-memory node degrades it; restoring recovers it', async () => {
    const node = 'infra-000';
    const pod = await c.daemonPod(node);
    const kc = sim.kubeConfig();
    const original = await execIn(kc, pod, ['cat', '/rootfs/etc/sysctl.d/99-infra.conf']);
    expect(original).toMatchObject({ exitCode: 0, stdout: 'net.core.somaxconn = 4096\n' });
    await execIn(kc, pod, ['tee', '-a', '/rootfs/etc/sysctl.d/99-infra.conf'], 'vm.swappiness = 60\n');
    await waitFor(
      'infra node Degraded',
      async () => {
        const n = await c.node(node);
        return (
          annotation(n, 'state') === 'Degraded' &&
          // the preflight's wrapped form, which follows the monitor's bare one within seconds
          annotation(n, 'reason') ===
            `unexpected on-disk state validating against ${annotation(n, 'currentConfig')}: content mismatch for file "/etc/sysctl.d/99-infra.conf"`
        );
      },
      20_000,
    );
    await waitFor('pool infra degraded', async () => (await c.pool('infra')).status.degradedMachineCount === 1, 3_000);
    await execIn(kc, pod, ['tee', '/rootfs/etc/sysctl.d/99-infra.conf'], original.stdout);
    await waitFor('infra node Done', async () => annotation(await c.node(node), 'state') === 'Done', 5_000);
  });
});
