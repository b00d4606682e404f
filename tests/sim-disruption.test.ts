// What a MachineConfig change does to the nodes of a 4.20 simulator, driven end to end with the machine's kubectl as an
// administrator would: NodeDisruptionPolicy decides (crio reload without drain or reboot for
// /etc/containers/policy.json, drain and reboot for a file without policy, a user policy None, SSH keys), the render
// controller refuses what cannot be applied in place, and a force file on a degraded node re-applies with a reboot.
import { appendFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal, sinceLastBoot } from '../sim/node/journal';
import { kubectlAs } from './real-clients';
import { MINI, startSim, type SimProcess } from './sim-process';
import { annotation, clients, condition, poolRolledOut, roleMachineConfig, poolSettled, waitFor } from './sim-helpers';

const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
const WORKERS = ['mini-worker-0', 'mini-worker-1'];
let sim: SimProcess | undefined;
let dir: string;
let skipReason: string | null = null;

/** kubectl as a newcomer runs it (tests/real-clients.ts kubectlAs). */
const kubectl = (args: string[], stdin?: string) => kubectlAs(KUBECTL, sim!.kubeconfigPath, dir, args, { stdin });

const pct = (s: string) => 'data:,' + encodeURIComponent(s);
const machineConfig = (name: string, config: Record<string, unknown>) =>
  JSON.stringify(roleMachineConfig(name, 'worker', config));
const fileConfig = (name: string, path: string, text: string) =>
  machineConfig(name, { storage: { files: [{ path, mode: 420, overwrite: true, contents: { source: pct(text) } }] } });

async function apply(json: string) {
  const r = await kubectl(['apply', '-f', '-'], json);
  // (kubectl warns when it takes over an object the scenario created without last-applied-configuration.)
  expect(r.stderr).not.toMatch(/error/i);
  expect(r.status).toBe(0);
}

/** Node events by reason, as `kubectl get events` lists them. */
async function nodeEvents(
  node: string,
): Promise<{ reason: string; message: string; count: number; component: string }[]> {
  const r = await kubectl(['get', 'events', '-A', '--field-selector', `involvedObject.name=${node}`, '-o', 'json']);
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout).items.map((e: any) => ({
    reason: e.reason,
    message: e.message,
    count: e.count ?? 1,
    component: e.source?.component,
  }));
}
const countOf = (events: { reason: string; count: number }[], reason: string) =>
  events.filter((e) => e.reason === reason).reduce((n, e) => n + e.count, 0);

/** Applies `json`, waits until the worker pool has rolled out a new rendered config, returns the per-node event delta. */
async function rollOut(json: string, timeoutMs = 30_000) {
  const c = clients(sim!.kubeConfig());
  const before = (await c.pool('worker')).spec.configuration.name;
  const counts = async () =>
    Object.fromEntries(await Promise.all(WORKERS.map(async (n) => [n, await nodeEvents(n)] as const)));
  const start = await counts();
  await apply(json);
  const pool = await poolRolledOut(c, 'worker', before, timeoutMs);
  const end = await counts();
  const delta = (node: string, reason: string) => countOf(end[node], reason) - countOf(start[node], reason);
  return { target: pool.spec.configuration.name as string, delta, end };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'plumb-ndp-'));
  if (!existsSync(KUBECTL)) {
    skipReason = `no kubectl at ${KUBECTL}`;
    return;
  }
  sim = await startSim([...MINI, '--ocp-version', '4.20.0']);
  await waitFor('worker settled', () => poolSettled(clients(sim!.kubeConfig()), 'worker'), 20_000);
});

afterAll(async () => {
  await sim?.stop({ removeData: true });
  rmSync(dir, { recursive: true, force: true });
});

describe('NodeDisruptionPolicy on a 4.20 simulator, with kubectl', () => {
  it('the operator merges the defaults into MachineConfiguration cluster and refuses an invalid policy', async (ctx) => {
    if (skipReason) return ctx.skip();
    const mc = await waitFor('policy status', async () => {
      const r = await kubectl(['get', 'machineconfiguration', 'cluster', '-o', 'json']);
      const o = r.status === 0 ? JSON.parse(r.stdout) : null;
      return o?.status?.nodeDisruptionPolicyStatus ? o : undefined;
    });
    expect(mc.status.observedGeneration).toBe(mc.metadata.generation);
    expect(mc.status.nodeDisruptionPolicyStatus.clusterPolicies.files).toContainEqual({
      path: '/etc/containers/policy.json',
      actions: [{ type: 'Reload', reload: { serviceName: 'crio.service' } }],
    });
    const bad = await kubectl([
      'patch',
      'machineconfiguration',
      'cluster',
      '--type=merge',
      '-p',
      JSON.stringify({
        spec: { nodeDisruptionPolicy: { files: [{ path: '/etc/x', actions: [{ type: 'Reload' }] }] } },
      }),
    ]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('reload is required when type is Reload, and forbidden otherwise');
  });

  it('a change to /etc/containers/policy.json reloads crio on every worker, with no drain and no reboot', async (ctx) => {
    if (skipReason) return ctx.skip();
    const { target, delta, end } = await rollOut(
      fileConfig(
        '99-worker-policy',
        '/etc/containers/policy.json',
        '{"default":[{"type":"insecureAcceptAnything"}]}\n',
      ),
    );
    for (const n of WORKERS) {
      expect(delta(n, 'Reboot')).toBe(0);
      expect(delta(n, 'Drain')).toBe(0);
      expect(delta(n, 'ServiceReload')).toBe(1);
      expect(end[n]).toContainEqual(
        expect.objectContaining({
          reason: 'ServiceReload',
          message: 'Config changes do not require reboot. Service crio.service was reloaded.',
          component: 'machineconfigdaemon',
        }),
      );
      const since = sinceLastBoot(readJournal(join(sim!.dataDir, 'nodes', n, 'journal.jsonl')));
      expect(since.map((e) => [e.action, e.unit, e.config])).toContainEqual(['reload', 'crio.service', target]);
    }
    const mcn = JSON.parse((await kubectl(['get', 'machineconfignode', WORKERS[0], '-o', 'json'])).stdout);
    expect(condition(mcn, 'UpdatePostActionComplete')).toMatchObject({
      status: 'True',
      message: 'Node has reloaded service crio.service',
    });
  });

  it('a file without a policy drains and reboots; a user policy None for it makes the next change reboot nothing', async (ctx) => {
    if (skipReason) return ctx.skip();
    const first = await rollOut(fileConfig('99-worker-example', '/etc/example.conf', 'one\n'));
    for (const n of WORKERS) {
      expect(first.delta(n, 'Drain')).toBe(1);
      expect(first.delta(n, 'Reboot')).toBe(1);
    }
    const patch = await kubectl([
      'patch',
      'machineconfiguration',
      'cluster',
      '--type=merge',
      '-p',
      JSON.stringify({
        spec: { nodeDisruptionPolicy: { files: [{ path: '/etc/example.conf', actions: [{ type: 'None' }] }] } },
      }),
    ]);
    expect(patch.stderr).toBe('');
    await waitFor('policy observed', async () => {
      const o = JSON.parse((await kubectl(['get', 'machineconfiguration', 'cluster', '-o', 'json'])).stdout);
      return (
        o.status?.observedGeneration === o.metadata.generation &&
        o.status.nodeDisruptionPolicyStatus.clusterPolicies.files.some((f: any) => f.path === '/etc/example.conf')
      );
    });
    const second = await rollOut(fileConfig('99-worker-example', '/etc/example.conf', 'two\n'));
    for (const n of WORKERS) {
      expect(second.delta(n, 'Reboot')).toBe(0);
      expect(second.delta(n, 'Drain')).toBe(0);
      expect(second.delta(n, 'SkipReboot')).toBe(1);
    }
  }, 90_000); // two rollouts, each allowed 30 s

  it('an SSH key change reboots nothing', async (ctx) => {
    if (skipReason) return ctx.skip();
    const { delta } = await rollOut(
      machineConfig('99-worker-ssh', {
        passwd: {
          users: [{ name: 'core', sshAuthorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKey admin@example'] }],
        },
      }),
    );
    for (const n of WORKERS) {
      expect(delta(n, 'Reboot')).toBe(0);
      expect(delta(n, 'Drain')).toBe(0);
      expect(delta(n, 'SkipReboot')).toBe(1);
    }
  });

  it('a change the MCO cannot apply in place is refused at render with the exact message', async (ctx) => {
    if (skipReason) return ctx.skip();
    const c = clients(sim!.kubeConfig());
    const current = (await c.pool('worker')).spec.configuration.name;
    await apply(machineConfig('99-worker-disks', { storage: { disks: [{ device: '/dev/sdb', wipeTable: true }] } }));
    const pool = await waitFor('RenderDegraded', async () => {
      const p = await c.pool('worker');
      return condition(p, 'RenderDegraded')?.status === 'True' ? p : undefined;
    });
    expect(condition(pool, 'RenderDegraded').message).toBe(
      `Failed to render configuration for pool worker: could not generate rendered MachineConfig: reconciliation failed between current config "${current}" and base config "99-worker-disks": ignition disks section contains changes`,
    );
    expect(pool.spec.configuration.name).toBe(current);
    for (const n of WORKERS) expect(annotation(await c.node(n), 'state')).toBe('Done');
    expect((await kubectl(['delete', 'machineconfig', '99-worker-disks'])).status).toBe(0);
    await waitFor(
      'render recovers',
      async () => condition(await c.pool('worker'), 'RenderDegraded')?.status === 'False',
    );
  });

  it('a force file on a degraded node re-applies with a reboot', async (ctx) => {
    if (skipReason) return ctx.skip();
    const c = clients(sim!.kubeConfig());
    const node = WORKERS[1];
    const before = countOf(await nodeEvents(node), 'Reboot');
    appendFileSync(join(sim!.dataDir, 'nodes', node, 'rootfs', 'etc/chrony.conf'), 'server evil.example.com\n');
    await waitFor('Degraded', async () => annotation(await c.node(node), 'state') === 'Degraded');
    writeFileSync(join(sim!.dataDir, 'nodes', node, 'rootfs', 'run/machine-config-daemon-force'), '');
    await waitFor(
      'Done after the reboot',
      async () => {
        const n = await c.node(node);
        return annotation(n, 'state') === 'Done' && countOf(await nodeEvents(node), 'Reboot') === before + 1;
      },
      20_000,
      100,
    );
    const events = await nodeEvents(node);
    expect(events.map((e) => e.reason)).toEqual(
      expect.arrayContaining(['ConfigDriftDetected', 'Cordon', 'Drain', 'Reboot', 'Uncordon', 'NodeDone']),
    );
    expect(existsSync(join(sim!.dataDir, 'nodes', node, 'rootfs', 'run/machine-config-daemon-force'))).toBe(false);
    expect(sinceLastBoot(readJournal(join(sim!.dataDir, 'nodes', node, 'journal.jsonl')))).toEqual([]);
  });

  it('without the policy status an update waits, Working and not degraded, and goes on once it is back', async (ctx) => {
    if (skipReason) return ctx.skip();
    const c = clients(sim!.kubeConfig());
    expect((await kubectl(['delete', 'machineconfiguration', 'cluster'])).status).toBe(0);
    const before = (await c.pool('worker')).spec.configuration.name;
    await apply(fileConfig('99-worker-policy', '/etc/containers/policy.json', '{"default":[{"type":"reject"}]}\n'));
    // The daemon polls for the status (MCO pkg/daemon/update.go calculatePostConfigChangeNodeDisruptionAction, 5 s
    // for 2 min) instead of failing the update at once.
    const waiting = await waitFor(
      'a worker updating',
      async () => {
        for (const n of WORKERS) {
          const node = await c.node(n);
          if (annotation(node, 'desiredConfig') !== before && annotation(node, 'state') === 'Working') return n;
        }
        return undefined;
      },
      20_000,
      100,
    );
    await new Promise((r) => setTimeout(r, 2_000));
    const held = await c.node(waiting);
    expect(annotation(held, 'state')).toBe('Working');
    expect(annotation(held, 'currentConfig')).toBe(before);
    expect(annotation(held, 'reason') ?? '').toBe('');
    for (const n of WORKERS) expect(annotation(await c.node(n), 'state')).not.toBe('Degraded');

    const back = await kubectl(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'operator.openshift.io/v1',
        kind: 'MachineConfiguration',
        metadata: { name: 'cluster' },
        spec: {},
      }),
    );
    expect(back.status).toBe(0);
    const pool = await waitFor(
      'worker rolled out',
      async () => {
        const p = await poolSettled(c, 'worker');
        return p && p.spec.configuration.name !== before ? p : undefined;
      },
      30_000,
      100,
    );
    expect(pool.status.degradedMachineCount).toBe(0);
    expect((await nodeEvents(waiting)).map((e) => e.reason)).toContain('ServiceReload');
  }, 90_000);
});
