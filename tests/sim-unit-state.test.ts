// What the MCO checks about units and appended files, on a 4.20 simulator driven with kubectl and the exec client as
// an administrator would: a file with `append` is refused at render; a unit the config enables but someone disabled
// fails the next preflight with the daemon's enablement reason (release-4.18+); a masked unit may be a chain of links
// to /dev/null, a dangling chain is drift with EvalSymlinks' error, and `systemctl mask` fixes it without a reboot.
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlAs } from './real-clients';
import { MINI, startSim, type SimProcess } from './sim-process';
import {
  annotation,
  clients,
  condition,
  poolRolledOut,
  roleMachineConfig,
  execIn,
  poolSettled,
  waitFor,
} from './sim-helpers';

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

async function apply(json: string) {
  const r = await kubectl(['apply', '-f', '-'], json);
  expect(r.stderr).not.toMatch(/error/i);
  expect(r.status).toBe(0);
}

/** Applies `json` and waits until the worker pool has rolled out a new rendered config; returns its name. */
async function rollOut(json: string): Promise<string> {
  const c = clients(sim!.kubeConfig());
  const before = (await c.pool('worker')).spec.configuration.name;
  await apply(json);
  const pool = await poolRolledOut(c, 'worker', before, 40_000);
  return pool.spec.configuration.name;
}

/** `chroot /rootfs systemctl …` in the node's daemon pod, as `oc debug node/x -- chroot /host systemctl …` does. */
async function systemctl(node: string, ...args: string[]) {
  const c = clients(sim!.kubeConfig());
  return execIn(sim!.kubeConfig(), await c.daemonPod(node), ['chroot', '/rootfs', 'systemctl', ...args]);
}

const rootfs = (node: string, path: string) => join(sim!.dataDir, 'nodes', node, 'rootfs', path.replace(/^\//, ''));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'plumb-units-'));
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

describe('units and appended files on a 4.20 simulator', () => {
  it('a file with append is refused at render with the exact message; deleting the MachineConfig recovers', async (ctx) => {
    if (skipReason) return ctx.skip();
    const c = clients(sim!.kubeConfig());
    const current = (await c.pool('worker')).spec.configuration.name;
    await apply(
      machineConfig('99-worker-append', {
        storage: { files: [{ path: '/etc/motd', append: [{ source: pct('hello\n') }] }] },
      }),
    );
    const pool = await waitFor('RenderDegraded', async () => {
      const p = await c.pool('worker');
      return condition(p, 'RenderDegraded')?.status === 'True' ? p : undefined;
    });
    expect(condition(pool, 'RenderDegraded').message).toBe(
      `Failed to render configuration for pool worker: could not generate rendered MachineConfig: reconciliation failed between current config "${current}" and base config "99-worker-append": ignition file /etc/motd includes append`,
    );
    expect(pool.spec.configuration.name).toBe(current);
    for (const n of WORKERS) expect(annotation(await c.node(n), 'state')).toBe('Done');
    expect((await kubectl(['delete', 'machineconfig', '99-worker-append'])).status).toBe(0);
    await waitFor(
      'render recovers',
      async () => condition(await c.pool('worker'), 'RenderDegraded')?.status === 'False',
    );
  });

  it('a unit the config enables, disabled by hand, fails the next preflight with the enablement reason', async (ctx) => {
    if (skipReason) return ctx.skip();
    const c = clients(sim!.kubeConfig());
    const withUnit = await rollOut(
      machineConfig('99-worker-foo', {
        systemd: {
          units: [
            {
              name: 'foo.service',
              enabled: true,
              contents:
                '[Unit]\nDescription=foo\n[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n',
            },
          ],
        },
      }),
    );
    const node = WORKERS[0];
    expect(await systemctl(node, 'is-enabled', 'foo.service')).toMatchObject({ stdout: 'enabled\n', exitCode: 0 });
    const off = await systemctl(node, 'disable', 'foo.service');
    expect(off).toMatchObject({
      exitCode: 0,
      stderr: 'Removed "/etc/systemd/system/multi-user.target.wants/foo.service".\n',
    });
    // No watched file changed: the node stays Done until the daemon validates again, here before the next update.
    expect(annotation(await c.node(node), 'state')).toBe('Done');
    await apply(
      machineConfig('99-worker-motd', {
        storage: { files: [{ path: '/etc/motd', mode: 420, contents: { source: pct('hi\n') } }] },
      }),
    );
    const degraded = await waitFor(
      'preflight fails',
      async () => {
        const n = await c.node(node);
        return annotation(n, 'state') === 'Degraded' ? n : undefined;
      },
      20_000,
    );
    expect(annotation(degraded, 'reason')).toBe(
      `unexpected on-disk state validating against ${withUnit}: unit "foo.service" expected enabled=true, but systemd reports "disabled"`,
    );
    const events = JSON.parse(
      (await kubectl(['get', 'events', '-A', '--field-selector', `involvedObject.name=${node}`, '-o', 'json'])).stdout,
    ).items;
    expect(events).toContainEqual(
      expect.objectContaining({ reason: 'PreflightConfigDriftCheckFailed', message: annotation(degraded, 'reason') }),
    );
    // Enabling it again lets the retried update through.
    expect((await systemctl(node, 'enable', 'foo.service')).exitCode).toBe(0);
    await waitFor('rolled out', () => poolSettled(c, 'worker'), 40_000, 200);
  }, 120_000);

  it('a masked unit reached through a chain is masked; a dangling chain is drift; systemctl mask fixes it', async (ctx) => {
    if (skipReason) return ctx.skip();
    const c = clients(sim!.kubeConfig());
    await rollOut(
      machineConfig('99-worker-bar', {
        systemd: { units: [{ name: 'bar.service', mask: true, contents: '[Unit]\n' }] },
      }),
    );
    const node = WORKERS[1];
    const pod = await c.daemonPod(node);
    expect((await execIn(sim!.kubeConfig(), pod, ['readlink', '/rootfs/etc/systemd/system/bar.service'])).stdout).toBe(
      '/dev/null\n',
    );
    // Someone points the mask through another link: still masked (EvalSymlinks follows the chain).
    mkdirSync(rootfs(node, '/etc/alt'));
    symlinkSync('/dev/null', rootfs(node, '/etc/alt/null'));
    unlinkSync(rootfs(node, '/etc/systemd/system/bar.service'));
    symlinkSync('/etc/alt/null', rootfs(node, '/etc/systemd/system/bar.service'));
    await new Promise((r) => setTimeout(r, 500));
    expect(annotation(await c.node(node), 'state')).toBe('Done');
    // The chain's end disappears: a touch of the watched link makes the monitor look again.
    unlinkSync(rootfs(node, '/etc/alt/null'));
    unlinkSync(rootfs(node, '/etc/systemd/system/bar.service'));
    symlinkSync('/etc/alt/null', rootfs(node, '/etc/systemd/system/bar.service'));
    // The monitor's bare reason, then within seconds the preflight retry's wrapped one, which stays.
    const degraded = await waitFor(
      'drift',
      async () => {
        const n = await c.node(node);
        return annotation(n, 'reason')?.startsWith('unexpected on-disk state') ? n : undefined;
      },
      20_000,
    );
    expect(annotation(degraded, 'reason')).toBe(
      `unexpected on-disk state validating against ${annotation(degraded, 'currentConfig')}: ` +
        'state validation: error while evaluation symlink for path "/etc/systemd/system/bar.service": lstat /etc/alt/null: no such file or directory',
    );
    expect(await systemctl(node, 'mask', 'bar.service')).toMatchObject({
      exitCode: 0,
      stderr: 'Created symlink /etc/systemd/system/bar.service → /dev/null.\n',
    });
    await waitFor('Done again', async () => annotation(await c.node(node), 'state') === 'Done');
    expect(existsSync(rootfs(node, '/etc/alt'))).toBe(true);
  }, 90_000);
});
