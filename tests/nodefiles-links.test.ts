// The console reads a masked unit as the daemon checks it: filepath.EvalSymlinks follows the whole chain, so a link
// to a link to /dev/null is masked, and a chain whose end is gone is Go's lstat error (MCO pkg/daemon/
// on_disk_validation.go checkV3Units). Read through exec into a real simulator's daemon pod (server/nodefiles.ts).
import { mkdirSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkFile } from '@/lib/mco';
import { DAEMON_CONTAINER } from '@/lib/mco/constants';
import type { ManagedPath } from '@/lib/mco/types';
import { inspectPaths } from '@/server/nodefiles';
import { MINI, startSim, type SimProcess } from './sim-process';
import { annotation, clients, waitFor } from './sim-helpers';

const NODE = 'mini-worker-0';
const UNIT = '/etc/systemd/system/bar.service';
const masked: ManagedPath = { path: UNIT, kind: 'unit', mode: 420, contents: null, unit: 'bar.service', masked: true };

let sim: SimProcess;
const rootfs = (p: string) => join(sim.dataDir, 'nodes', NODE, 'rootfs', p);

beforeAll(async () => {
  sim = await startSim(MINI);
  const c = clients(sim.kubeConfig());
  await waitFor(`${NODE} Done`, async () => annotation(await c.node(NODE), 'state') === 'Done', 30_000);
}, 60_000);

afterAll(async () => {
  await sim?.stop({ removeData: true });
});

async function check() {
  const c = clients(sim.kubeConfig());
  const pod = { name: await c.daemonPod(NODE), namespace: 'openshift-machine-config-operator', nodeName: NODE };
  const found = await inspectPaths(
    sim.kubeConfig(),
    { ...pod, phase: 'Running', containers: [DAEMON_CONTAINER] },
    [masked],
    false,
  );
  return checkFile(masked, found.get(UNIT)!.actual);
}

it('a masked unit reached through a chain of links is masked; a dangling chain gives the daemon’s error', async () => {
  mkdirSync(rootfs('/etc/systemd/system'), { recursive: true });
  symlinkSync('/dev/null', rootfs(UNIT));
  expect(await check()).toMatchObject({ status: 'ok' });

  // link → link → /dev/null, the middle one relative to its directory.
  mkdirSync(rootfs('/etc/alt'));
  symlinkSync('/dev/null', rootfs('/etc/alt/null'));
  symlinkSync('null', rootfs('/etc/alt/again'));
  unlinkSync(rootfs(UNIT));
  symlinkSync('/etc/alt/again', rootfs(UNIT));
  expect(await check()).toMatchObject({ status: 'ok' });

  unlinkSync(rootfs('/etc/alt/null'));
  expect(await check()).toMatchObject({
    status: 'content',
    reason: `state validation: error while evaluation symlink for path "${UNIT}": lstat /etc/alt/null: no such file or directory`,
  });

  // A chain that ends on a regular file is not a mask.
  symlinkSync('/etc/mco/proxy.env', rootfs('/etc/alt/null'));
  expect(await check()).toMatchObject({
    status: 'content',
    reason: `state validation: invalid unit masked setting. path: "${UNIT}"; expected: /dev/null; received: /etc/mco/proxy.env`,
  });
}, 60_000);
