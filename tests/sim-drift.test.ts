// The seed case end to end, through the real API: drift on a worker's disk degrades the node and its pool with the
// daemon's exact strings; restoring the file recovers without a reboot; the force file reboots and re-applies.
import { appendFileSync, chmodSync, existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINI, startSim, type SimProcess } from './sim-process';
import { annotation, clients, condition, execIn, fileMachineConfig, MCO, poolSettled, waitFor } from './sim-helpers';

const NODE = 'mini-worker-0';
const FILE = '/etc/mco/proxy.env';

let sim: SimProcess;
let c: ReturnType<typeof clients>;
let onDisk: string;
let original: string;

beforeAll(async () => {
  sim = await startSim(MINI);
  c = clients(sim.kubeConfig());
  onDisk = join(sim.dataDir, 'nodes', NODE, 'rootfs', FILE);
  await waitFor('the worker pool to settle', () => poolSettled(c, 'worker'), 20_000);
  await waitFor(
    `${NODE} Done with its files written`,
    async () => existsSync(onDisk) && annotation(await c.node(NODE), 'state') === 'Done',
  );
  original = readFileSync(onDisk, 'utf8');
});

afterAll(async () => {
  await sim?.stop({ removeData: true });
});

/**
 * Waits for the reason that stays after live drift: the monitor writes the bare `leaf` (its ConfigDriftDetected
 * event says so), and the sync loop's retry, 1 s later and backing off to 60 s, runs the preflight, whose error is
 * wrapped with the node's config (MCO pkg/daemon/daemon.go). 20 s leaves room for a loaded machine.
 */
async function degradedWith(leaf: string) {
  const config = annotation(await c.node(NODE), 'currentConfig');
  const reason = `unexpected on-disk state validating against ${config}: ${leaf}`;
  const node = await waitFor(
    `${NODE} Degraded with ${reason}`,
    async () => {
      const n = await c.node(NODE);
      return annotation(n, 'state') === 'Degraded' && annotation(n, 'reason') === reason && n;
    },
    20_000,
  );
  const events = await c.events(NODE);
  expect(events.some((e) => e.reason === 'ConfigDriftDetected' && e.type === 'Warning' && e.message === leaf)).toBe(
    true,
  );
  expect(events.some((e) => e.reason === 'PreflightConfigDriftCheckFailed' && e.message === reason)).toBe(true);
  return node;
}

async function done() {
  return waitFor(
    `${NODE} back to Done`,
    async () => {
      const n = await c.node(NODE);
      return annotation(n, 'state') === 'Done' && annotation(n, 'reason') === '' && n;
    },
    10_000,
  );
}

describe('configuration drift on a worker', () => {
  it('serves the node as Done on its pool target, with a daemon pod that reads its files', async () => {
    const pool = await c.pool('worker');
    const node = await c.node(NODE);
    expect(annotation(node, 'currentConfig')).toBe(pool.spec.configuration.name);
    expect(annotation(node, 'desiredConfig')).toBe(pool.spec.configuration.name);
    expect(original).toBe('HTTP_PROXY=\nHTTPS_PROXY=\nNO_PROXY=\n');
    const pod = await c.daemonPod(NODE);
    const r = await execIn(sim.kubeConfig(), pod, ['cat', `/rootfs${FILE}`]);
    expect(r).toMatchObject({ stdout: original, exitCode: 0 });
  });

  it('an appended line degrades the node and the pool; restoring it recovers without a reboot', async () => {
    const drifted = Date.now();
    appendFileSync(onDisk, 'HTTP_PROXY=http://evil.example.com:3128\n');
    const leaf = `content mismatch for file "${FILE}"`;
    const node = await degradedWith(leaf);
    // The preflight's wrapped reason comes within seconds of the edit (the MCD's first retry is 1 s), not a minute.
    expect(Date.now() - drifted).toBeLessThan(20_000);
    const reason = annotation(node, 'reason');

    const pool = await waitFor(
      'pool worker degraded',
      async () => {
        const p = await c.pool('worker');
        const reporting = condition(p, 'NodeDegraded')?.message?.includes('unexpected on-disk state');
        return p.status.degradedMachineCount === 1 && condition(p, 'NodeDegraded')?.status === 'True' && reporting && p;
      },
      5_000,
    );
    expect(condition(pool, 'NodeDegraded')).toMatchObject({
      reason: '1 nodes are reporting degraded status on sync',
      message: `Node ${NODE} is reporting: ${JSON.stringify(reason)}`,
    });
    expect(condition(pool, 'Degraded')?.status).toBe('True');
    expect(condition(pool, 'Updating')?.status).toBe('True');
    expect(condition(pool, 'Updated')?.status).toBe('False');
    expect(pool.status.machineCount).toBe(2);
    expect(pool.status.updatedMachineCount).toBe(1);

    const rebootsBefore = (await c.events(NODE)).filter((e) => e.reason === 'Reboot').length;
    writeFileSync(onDisk, original);
    await done();
    await waitFor('pool worker healthy again', async () => {
      const p = await c.pool('worker');
      return (
        p.status.degradedMachineCount === 0 &&
        condition(p, 'Updated')?.status === 'True' &&
        condition(p, 'Degraded')?.status === 'False'
      );
    });
    expect((await c.events(NODE)).filter((e) => e.reason === 'Reboot').length).toBe(rebootsBefore);
  });

  it('the force file, touched through exec in the daemon pod, reboots the node and restores the file', async () => {
    appendFileSync(onDisk, 'NO_PROXY=*\n');
    await degradedWith(`content mismatch for file "${FILE}"`);
    const pod = await c.daemonPod(NODE);
    const touched = await execIn(sim.kubeConfig(), pod, ['touch', '/rootfs/run/machine-config-daemon-force']);
    expect(touched).toMatchObject({ exitCode: 0, stderr: '' });
    await waitFor('a Reboot event', async () => (await c.events(NODE)).some((e) => e.reason === 'Reboot'), 5_000);
    await done();
    expect(readFileSync(onDisk, 'utf8')).toBe(original);
    expect(existsSync(join(sim.dataDir, 'nodes', NODE, 'rootfs', 'run/machine-config-daemon-force'))).toBe(false);
    const test = await execIn(sim.kubeConfig(), pod, ['test', '-e', '/rootfs/run/machine-config-daemon-force']);
    expect(test.exitCode).toBe(1);
  });

  it('a mode change and a deleted file give the daemon exact strings', async () => {
    chmodSync(onDisk, 0o666);
    await degradedWith(
      `mode mismatch for file: "${FILE}"; expected: -rw-r--r--/420/0644; received: -rw-rw-rw-/438/0666`,
    );
    chmodSync(onDisk, 0o644);
    await done();

    unlinkSync(onDisk);
    await degradedWith(`could not stat file "${FILE}": lstat ${FILE}: no such file or directory`);
    writeFileSync(onDisk, original, { mode: 0o644 });
    chmodSync(onDisk, 0o644);
    await done();
  });
});

describe('a new worker MachineConfig', () => {
  it('renders a new config and rolls it out one node at a time until the pool is Updated', async () => {
    const before = await c.pool('worker');
    const oldTarget = before.spec.configuration.name;
    const motd = 'Welcome to a simulated worker\n';
    await c.custom.createClusterCustomObject({
      ...MCO,
      plural: 'machineconfigs',
      body: fileMachineConfig('99-worker-motd', 'worker', [
        { path: '/etc/motd', mode: 420, source: 'data:,' + encodeURIComponent(motd) },
      ]),
    });
    const target = await waitFor('a new rendered config', async () => {
      const p = await c.pool('worker');
      const name = p.spec.configuration?.name;
      return name && name !== oldTarget && name;
    });
    expect(target).toMatch(/^rendered-worker-[0-9a-f]{32}$/);
    const rendered = await c.machineConfig(target);
    expect(rendered.metadata.labels ?? {}).toEqual({});
    expect(rendered.metadata.ownerReferences).toEqual([
      expect.objectContaining({
        kind: 'MachineConfigPool',
        name: 'worker',
        controller: true,
        blockOwnerDeletion: true,
      }),
    ]);
    expect(rendered.metadata.annotations).toHaveProperty(
      ['machineconfiguration.openshift.io/release-image-version'],
      '4.16.0',
    );
    const pool = await c.pool('worker');
    expect(pool.spec.configuration.source.map((s: any) => s.name)).toEqual([
      '00-worker',
      '99-worker-chrony',
      '99-worker-motd',
      '99-worker-ssh',
    ]);

    // Watch the rollout: never more than maxUnavailable (1) worker off at once.
    let maxOff = 0;
    let sawUpdating = false;
    await waitFor(
      'pool worker updated to the new config',
      async () => {
        const nodes = (await c.nodes()).filter(
          (n) => n.metadata.labels['node-role.kubernetes.io/worker'] !== undefined,
        );
        const off = nodes.filter(
          (n) =>
            annotation(n, 'desiredConfig') !== annotation(n, 'currentConfig') ||
            n.spec?.unschedulable ||
            n.status.conditions.find((x: any) => x.type === 'Ready')?.status !== 'True',
        ).length;
        maxOff = Math.max(maxOff, off);
        const p = await c.pool('worker');
        if (condition(p, 'Updating')?.status === 'True') sawUpdating = true;
        return (
          p.status.configuration?.name === target &&
          p.status.updatedMachineCount === 2 &&
          condition(p, 'Updated')?.status === 'True' &&
          p
        );
      },
      30_000,
      25,
    );
    expect(maxOff).toBe(1);
    expect(sawUpdating).toBe(true);
    for (const n of ['mini-worker-0', 'mini-worker-1']) {
      const node = await c.node(n);
      expect(annotation(node, 'currentConfig')).toBe(target);
      expect(node.spec?.unschedulable ?? false).toBe(false);
      expect(readFileSync(join(sim.dataDir, 'nodes', n, 'rootfs/etc/motd'), 'utf8')).toBe(motd);
    }
    const poolEvents = (await c.events('worker')).map((e) => `${e.reason}: ${e.message}`);
    expect(poolEvents).toContain(`Updating: Pool worker now targeting MachineConfig ${target}`);
    expect(poolEvents).toContain(`Completed: Pool worker has completed update to MachineConfig ${target}`);
    expect(
      poolEvents.some((m) => m.startsWith('SetDesiredConfig: Targeted node mini-worker-0 to MachineConfig: ')),
    ).toBe(true);
    const nodeEvents = (await c.events('mini-worker-1')).map((e) => e.reason);
    expect(nodeEvents).toEqual(expect.arrayContaining(['Cordon', 'Drain']));
  });
});
