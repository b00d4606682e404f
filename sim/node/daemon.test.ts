// The simulated machine-config-daemon against the real store, on real folders (edited with node:fs as a person
// would) and in memory: first boot, drift and recovery, the force file, an update with a (test-driven) drain.
import { afterEach, describe, expect, it } from 'vitest';
import {
  appendFileSync,
  chmodSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore } from '../store';
import type { KubeObject, Store } from '../types';
import { NodeAnnotations as A } from '@/lib/mco/types';
import { DiskNodeFS, MemoryNodeFS, type NodeFS } from './nodefs';
import { runCommand } from './commands';
import { FORCE_FILE } from '@/lib/mco/constants';
import { startDaemon, type DaemonTimings, type RunningDaemon, CURRENT_CONFIG_FILE } from './daemon';
import { operatorStatus } from '../controllers/operator';
import type { MachineConfiguration } from '@/lib/mco/disruption';

const PROXY = '# Proxy environment variables will be populated in this file.\n';
const pct = (s: string) => 'data:,' + encodeURIComponent(s);
const b64 = (s: string) => 'data:text/plain;charset=utf-8;base64,' + Buffer.from(s).toString('base64');

function renderedConfig(name: string, opts: { proxy?: string; extraFile?: boolean; disks?: boolean } = {}): KubeObject {
  const files: unknown[] = [
    { path: '/etc/mco/proxy.env', mode: 420, overwrite: true, contents: { source: pct(opts.proxy ?? PROXY) } },
    {
      path: '/etc/kubernetes/kubelet.conf',
      mode: 420,
      overwrite: true,
      contents: { source: b64('kind: KubeletConfiguration\n') },
    },
    {
      path: '/usr/local/bin/configure-ovs.sh',
      mode: 493,
      overwrite: true,
      contents: { source: pct('#!/bin/bash\necho ok\n') },
    },
  ];
  if (opts.extraFile)
    files.push({
      path: '/etc/sysctl.d/99-new.conf',
      mode: 420,
      overwrite: true,
      contents: { source: pct('vm.x=1\n') },
    });
  return {
    apiVersion: 'machineconfiguration.openshift.io/v1',
    kind: 'MachineConfig',
    metadata: { name },
    spec: {
      config: {
        ignition: { version: '3.4.0' },
        storage: { files, ...(opts.disks ? { disks: [{ device: '/dev/sdb' }] } : {}) },
        systemd: {
          units: [
            {
              name: 'kubelet.service',
              enabled: true,
              contents: '[Unit]\nDescription=Kubelet\n',
              dropins: [
                { name: '10-mco-default-env.conf', contents: '[Service]\nEnvironment=A=1\n' },
                { name: '20-empty.conf', contents: '' },
              ],
            },
            { name: 'zincati.service', mask: true },
          ],
        },
      },
      osImageURL: '',
      kernelArguments: [],
      extensions: [],
      fips: false,
      kernelType: 'default',
    },
  };
}

function workerNode(name: string, config: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'node-role.kubernetes.io/worker': '', 'kubernetes.io/hostname': name },
      annotations: { [A.currentConfig]: config, [A.desiredConfig]: config, [A.state]: 'Done', [A.reason]: '' },
    },
    spec: {},
    status: {
      conditions: [
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ],
    },
  };
}

const workerPool: KubeObject = {
  apiVersion: 'machineconfiguration.openshift.io/v1',
  kind: 'MachineConfigPool',
  metadata: { name: 'worker' },
  spec: {
    machineConfigSelector: { matchLabels: { 'machineconfiguration.openshift.io/role': 'worker' } },
    nodeSelector: { matchLabels: { 'node-role.kubernetes.io/worker': '' } },
    configuration: { name: 'rendered-worker-a' },
  },
};

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 5000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    last = await probe();
    if (last) return last as T;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Setup {
  store: Store;
  fs: NodeFS;
  root: string | null;
  daemon: RunningDaemon;
  ann: () => Record<string, string>;
  events: (reason?: string) => KubeObject[];
  restart: () => Promise<void>;
}

async function setup(
  kind: 'disk' | 'memory',
  opts: {
    mcn?: boolean;
    rebootMs?: number;
    version?: string;
    config?: KubeObject;
    timings?: Partial<DaemonTimings>;
  } = {},
): Promise<Setup> {
  const store = createStore();
  store.create('machineconfigs', opts.config ?? renderedConfig('rendered-worker-a'));
  store.create('machineconfigpools', workerPool);
  store.create('nodes', workerNode('worker-0', 'rendered-worker-a'));
  let root: string | null = null;
  let fs: NodeFS;
  if (kind === 'disk') {
    const base = mkdtempSync(join(tmpdir(), 'plumb-mcd-'));
    root = join(base, 'rootfs');
    writeFileSync(join(base, 'marker'), '');
    rmSync(join(base, 'marker'));
    const { mkdirSync } = await import('node:fs');
    mkdirSync(root);
    fs = new DiskNodeFS(root);
    cleanups.push(() => rmSync(base, { recursive: true, force: true }));
  } else fs = new MemoryNodeFS();
  const start = () =>
    startDaemon({
      store,
      nodeName: 'worker-0',
      fs,
      timings: { rebootMs: opts.rebootMs ?? 150, retryMs: 50, drainPollMs: 100, ...opts.timings },
      mcn: opts.mcn,
      ...(opts.version ? { version: opts.version } : {}),
      log: () => {},
    });
  const s: Setup = {
    store,
    fs,
    root,
    daemon: start(),
    ann: () => store.get('nodes', 'worker-0')!.metadata.annotations ?? {},
    events: (reason?: string) =>
      store.list('events').filter((e: any) => e.involvedObject.name === 'worker-0' && (!reason || e.reason === reason)),
    restart: async () => {
      await s.daemon.stop();
      s.daemon = start();
    },
  };
  cleanups.push(() => s.daemon.stop());
  await s.daemon.idle();
  return s;
}

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

describe('first boot', () => {
  it.each(['disk', 'memory'] as const)(
    'writes every file, unit, dropin and mask of the current config (%s)',
    async (kind) => {
      const s = await setup(kind);
      expect(text(await s.fs.readFile('/etc/mco/proxy.env'))).toBe(PROXY);
      expect(text(await s.fs.readFile('/etc/kubernetes/kubelet.conf'))).toBe('kind: KubeletConfiguration\n');
      expect((await s.fs.lstat('/usr/local/bin/configure-ovs.sh')).mode).toBe(0o755);
      expect((await s.fs.lstat('/etc/mco/proxy.env')).mode).toBe(0o644);
      expect(text(await s.fs.readFile('/etc/systemd/system/kubelet.service'))).toBe('[Unit]\nDescription=Kubelet\n');
      expect(text(await s.fs.readFile('/etc/systemd/system/kubelet.service.d/10-mco-default-env.conf'))).toBe(
        '[Service]\nEnvironment=A=1\n',
      );
      expect(await s.fs.exists('/etc/systemd/system/kubelet.service.d/20-empty.conf')).toBe(false);
      expect(await s.fs.readlink('/etc/systemd/system/zincati.service')).toBe('/dev/null');
      expect(JSON.parse(text(await s.fs.readFile(CURRENT_CONFIG_FILE))).metadata.name).toBe('rendered-worker-a');
      expect(s.ann()[A.state]).toBe('Done');
      expect(s.ann()[A.currentConfig]).toBe('rendered-worker-a');
      if (s.root) {
        expect(statSync(join(s.root, 'usr/local/bin/configure-ovs.sh')).mode & 0o7777).toBe(0o755);
        expect(readlinkSync(join(s.root, 'etc/systemd/system/zincati.service'))).toBe('/dev/null');
      }
    },
  );
});

describe('drift on a real folder (the seed case)', () => {
  it('an appended line degrades the node with the exact reason and event; restoring it gives Done without a reboot', async () => {
    const s = await setup('disk');
    const file = join(s.root!, 'etc/mco/proxy.env');
    appendFileSync(file, 'HTTP_PROXY=http://evil:3128\n');
    // The monitor's bare error first; the sync loop's retry (50 ms here, 1 s in the MCO) runs the preflight, whose
    // wrapped error stays.
    const wrapped = 'unexpected on-disk state validating against rendered-worker-a: ';
    await waitFor('preflight', () => s.ann()[A.reason] === `${wrapped}content mismatch for file "/etc/mco/proxy.env"`);
    expect(s.ann()[A.state]).toBe('Degraded');
    // Every failed check records the event again, as upstream does: one Event, its count growing (aggregated as
    // client-go's recorder does), until the file is put back.
    const preflight = () => s.events('PreflightConfigDriftCheckFailed') as { message?: string; count?: number }[];
    await waitFor('a second failed preflight', () => (preflight()[0]?.count ?? 0) >= 2);
    expect(preflight().map((e) => e.message)).toEqual([s.ann()[A.reason]]);
    const [ev] = s.events('ConfigDriftDetected');
    expect(ev).toMatchObject({
      type: 'Warning',
      message: 'content mismatch for file "/etc/mco/proxy.env"',
      source: { component: 'machineconfigdaemon', host: 'worker-0' },
      involvedObject: { kind: 'Node', name: 'worker-0' },
    });

    writeFileSync(file, PROXY);
    await waitFor('Done', () => s.ann()[A.state] === 'Done', 2000);
    expect(s.ann()[A.reason]).toBe('');
    expect(s.events('Reboot')).toHaveLength(0);
    expect(s.ann()[A.postConfigAction] ?? '').toBe('');
    expect(s.events('NodeDone')[0].message).toBe('Setting node worker-0, currentConfig rendered-worker-a to Done');
  });

  it('mode change, deletion and a later first mismatch give the daemon’s exact strings', async () => {
    const s = await setup('disk');
    const file = join(s.root!, 'etc/mco/proxy.env');
    const wrapped = 'unexpected on-disk state validating against rendered-worker-a: ';
    chmodSync(file, 0o666);
    await waitFor(
      'mode drift',
      () =>
        s.ann()[A.reason] ===
        `${wrapped}mode mismatch for file: "/etc/mco/proxy.env"; expected: -rw-r--r--/420/0644; received: -rw-rw-rw-/438/0666`,
    );
    chmodSync(file, 0o644);
    await waitFor('Done', () => s.ann()[A.state] === 'Done');

    unlinkSync(file);
    await waitFor(
      'missing',
      () =>
        s.ann()[A.reason] ===
        `${wrapped}could not stat file "/etc/mco/proxy.env": lstat /etc/mco/proxy.env: no such file or directory`,
    );
    expect(s.events('ConfigDriftDetected').map((e) => e.message)).toContain(
      'could not stat file "/etc/mco/proxy.env": lstat /etc/mco/proxy.env: no such file or directory',
    );
    writeFileSync(file, PROXY);
    chmodSync(file, 0o644);
    await waitFor('Done', () => s.ann()[A.state] === 'Done');

    // A unit drifts first; then a file earlier in the daemon's order: the reason follows the first mismatch.
    appendFileSync(join(s.root!, 'etc/systemd/system/kubelet.service'), '# edited\n');
    await waitFor(
      'unit drift',
      () => s.ann()[A.reason] === `${wrapped}content mismatch for file "/etc/systemd/system/kubelet.service"`,
    );
    appendFileSync(join(s.root!, 'etc/kubernetes/kubelet.conf'), '# edited\n');
    await waitFor(
      'reason refresh',
      () => s.ann()[A.reason] === `${wrapped}content mismatch for file "/etc/kubernetes/kubelet.conf"`,
    );
    expect(s.ann()[A.state]).toBe('Degraded');
  });
});

describe('drift in memory and through exec', () => {
  it('writes through the pod commands trigger the monitor like an edit on disk', async () => {
    const s = await setup('memory');
    const r = await runCommand(['tee', '-a', '/rootfs/etc/mco/proxy.env'], {
      fs: s.fs,
      stdin: new Uint8Array(Buffer.from('X=1\n')),
    });
    expect(r.exitCode).toBe(0);
    await waitFor('Degraded', () => s.ann()[A.state] === 'Degraded');
    expect(s.ann()[A.reason]).toBe('content mismatch for file "/etc/mco/proxy.env"');
    await runCommand(['tee', '/rootfs/etc/mco/proxy.env'], { fs: s.fs, stdin: new Uint8Array(Buffer.from(PROXY)) });
    await waitFor('Done', () => s.ann()[A.state] === 'Done');
  });
});

describe('restore through exec, as the console does it', () => {
  it('tee to a temporary file, chmod, mv over the target: the node returns to Done without a reboot', async () => {
    const s = await setup('disk');
    chmodSync(join(s.root!, 'etc/mco/proxy.env'), 0o600);
    await waitFor('Degraded', () => s.ann()[A.state] === 'Degraded');
    const run = (argv: string[], stdin?: string) =>
      runCommand(argv, { fs: s.fs, stdin: stdin === undefined ? null : new Uint8Array(Buffer.from(stdin)) });
    expect((await run(['tee', '/rootfs/etc/mco/.proxy.env.plumb'], PROXY)).exitCode).toBe(0);
    expect(s.ann()[A.state]).toBe('Degraded'); // a temporary file beside it is not a managed path
    expect((await run(['chmod', '0644', '/rootfs/etc/mco/.proxy.env.plumb'])).exitCode).toBe(0);
    expect((await run(['mv', '/rootfs/etc/mco/.proxy.env.plumb', '/rootfs/etc/mco/proxy.env'])).exitCode).toBe(0);
    await waitFor('Done', () => s.ann()[A.state] === 'Done');
    expect(s.events('Reboot')).toHaveLength(0);
    expect(readFileSync(join(s.root!, 'etc/mco/proxy.env'), 'utf8')).toBe(PROXY);
    expect(lstatSync(join(s.root!, 'etc/mco/proxy.env')).mode & 0o7777).toBe(0o644);
  });
});

describe('force file', () => {
  it.each([
    ['disk', 'a drifted', true],
    ['memory', 'a drifted', true],
    ['disk', 'a Done', false],
    ['memory', 'a Done', false],
  ] as const)(
    'touch /rootfs/run/machine-config-daemon-force re-applies everything, reboots, then Done (%s, %s node)',
    async (kind, _label, drift) => {
      const s = await setup(kind, { rebootMs: 200 });
      if (drift) {
        await s.fs.writeFile('/etc/mco/proxy.env', new Uint8Array(Buffer.from('drifted\n')), 0o600);
        await waitFor('Degraded', () => s.ann()[A.state] === 'Degraded');
      }
      await s.fs.writeFile('/run/other-tmpfs-file', new Uint8Array(0));
      const r = await runCommand(['touch', '/rootfs/run/machine-config-daemon-force'], { fs: s.fs, stdin: null });
      expect(r.exitCode).toBe(0);
      // A forced re-apply reboots, so it drains first (this test plays the drain controller), then uncordons.
      await waitFor('drain request', () => s.ann()[A.desiredDrain] === 'drain-rendered-worker-a');
      expect(s.events('Cordon')).toHaveLength(1);
      s.store.update(
        'nodes',
        'worker-0',
        undefined,
        (n) => void (n.metadata.annotations![A.lastAppliedDrain] = 'drain-rendered-worker-a'),
      );
      await waitFor('reboot', () => s.ann()[A.postConfigAction] === 'Rebooting');
      expect(s.events('Reboot')[0].message).toBe('Node will reboot into config rendered-worker-a');
      const ready = (s.store.get('nodes', 'worker-0') as any).status.conditions.find((c: any) => c.type === 'Ready');
      expect(ready.status).toBe('False');
      await waitFor('uncordon request', () => s.ann()[A.desiredDrain] === 'uncordon-rendered-worker-a');
      s.store.update(
        'nodes',
        'worker-0',
        undefined,
        (n) => void (n.metadata.annotations![A.lastAppliedDrain] = 'uncordon-rendered-worker-a'),
      );
      await waitFor('Done', () => s.ann()[A.state] === 'Done');
      await s.daemon.idle();
      expect(s.ann()).toMatchObject({
        [A.state]: 'Done',
        [A.reason]: '',
        [A.postConfigAction]: '',
        [A.currentConfig]: 'rendered-worker-a',
      });
      expect(text(await s.fs.readFile('/etc/mco/proxy.env'))).toBe(PROXY);
      expect((await s.fs.lstat('/etc/mco/proxy.env')).mode).toBe(0o644);
      expect(await s.fs.exists(FORCE_FILE)).toBe(false);
      expect(await s.fs.readdir('/run')).toEqual([]);
      expect(
        (s.store.get('nodes', 'worker-0') as any).status.conditions.find((c: any) => c.type === 'Ready').status,
      ).toBe('True');
      expect(s.events('NodeDone').at(-1)!.message).toBe(
        'Setting node worker-0, currentConfig rendered-worker-a to Done',
      );
    },
  );
});

describe('updates', () => {
  it('moves to a new desiredConfig through Working, drain, reboot, uncordon, Done', async () => {
    const s = await setup('memory', { rebootMs: 100 });
    s.store.create(
      'machineconfigs',
      renderedConfig('rendered-worker-b', { proxy: 'HTTPS_PROXY=x\n', extraFile: true }),
    );
    const setAnn = (k: string, v: string) =>
      s.store.update('nodes', 'worker-0', undefined, (n) => void (n.metadata.annotations![k] = v));
    setAnn(A.desiredConfig, 'rendered-worker-b');
    await waitFor('Working', () => s.ann()[A.desiredDrain] === 'drain-rendered-worker-b');
    expect(s.ann()[A.state]).toBe('Working');
    expect(text(await s.fs.readFile('/etc/mco/proxy.env'))).toBe(PROXY); // nothing written before the drain
    setAnn(A.lastAppliedDrain, 'drain-rendered-worker-b');
    await waitFor('reboot', () => s.events('Reboot').length > 0);
    expect(s.events('Reboot')[0].message).toBe('Node will reboot into config rendered-worker-b');
    await waitFor('uncordon request', () => s.ann()[A.desiredDrain] === 'uncordon-rendered-worker-b');
    expect(s.ann()[A.state]).toBe('Working');
    expect(s.ann()[A.currentConfig]).toBe('rendered-worker-a');
    setAnn(A.lastAppliedDrain, 'uncordon-rendered-worker-b');
    await waitFor('Done', () => s.ann()[A.state] === 'Done' && s.ann()[A.currentConfig] === 'rendered-worker-b');
    expect(text(await s.fs.readFile('/etc/mco/proxy.env'))).toBe('HTTPS_PROXY=x\n');
    expect(text(await s.fs.readFile('/etc/sysctl.d/99-new.conf'))).toBe('vm.x=1\n');
    expect(s.events('NodeDone').at(-1)!.message).toBe('Setting node worker-0, currentConfig rendered-worker-b to Done');

    // Back to a, which does not manage the sysctl file: it is removed.
    setAnn(A.desiredConfig, 'rendered-worker-a');
    await waitFor('drain', () => s.ann()[A.desiredDrain] === 'drain-rendered-worker-a');
    setAnn(A.lastAppliedDrain, 'drain-rendered-worker-a');
    await waitFor('uncordon', () => s.ann()[A.desiredDrain] === 'uncordon-rendered-worker-a');
    setAnn(A.lastAppliedDrain, 'uncordon-rendered-worker-a');
    await waitFor('Done', () => s.ann()[A.state] === 'Done' && s.ann()[A.currentConfig] === 'rendered-worker-a');
    expect(await s.fs.exists('/etc/sysctl.d/99-new.conf')).toBe(false);
  });

  it('4.14 (no render-time check): the daemon refuses a config with append as update.go reconcilable() does', async () => {
    const s = await setup('memory');
    const mc = renderedConfig('rendered-worker-append') as any;
    mc.spec.config.storage.files.push({ path: '/etc/motd', append: [{ source: pct('more\n') }] });
    s.store.create('machineconfigs', mc);
    s.store.update(
      'nodes',
      'worker-0',
      undefined,
      (n) => void (n.metadata.annotations![A.desiredConfig] = 'rendered-worker-append'),
    );
    await waitFor('Unreconcilable', () => s.ann()[A.state] === 'Unreconcilable');
    expect(s.ann()[A.reason]).toBe(
      "can't reconcile config rendered-worker-a with rendered-worker-append: ignition file /etc/motd includes append",
    );
    expect(await s.fs.exists('/etc/motd')).toBe(false);
  });

  it('refuses an unreconcilable change and fails the preflight on drift', async () => {
    const s = await setup('memory');
    s.store.create('machineconfigs', renderedConfig('rendered-worker-disks', { disks: true }));
    s.store.update(
      'nodes',
      'worker-0',
      undefined,
      (n) => void (n.metadata.annotations![A.desiredConfig] = 'rendered-worker-disks'),
    );
    await waitFor('Unreconcilable', () => s.ann()[A.state] === 'Unreconcilable');
    const reason =
      "can't reconcile config rendered-worker-a with rendered-worker-disks: ignition disks section contains changes";
    expect(s.ann()[A.reason]).toBe(reason);
    expect(s.events('FailedToReconcile')[0]).toMatchObject({ type: 'Warning', message: reason });

    s.store.create('machineconfigs', renderedConfig('rendered-worker-b', { proxy: 'B\n' }));
    await s.fs.writeFile('/etc/kubernetes/kubelet.conf', new Uint8Array(Buffer.from('edited\n')), 0o644);
    s.store.update(
      'nodes',
      'worker-0',
      undefined,
      (n) => void (n.metadata.annotations![A.desiredConfig] = 'rendered-worker-b'),
    );
    await waitFor('preflight', () => s.ann()[A.state] === 'Degraded' && s.ann()[A.reason].startsWith('unexpected'));
    expect(s.ann()[A.reason]).toBe(
      'unexpected on-disk state validating against rendered-worker-a: content mismatch for file "/etc/kubernetes/kubelet.conf"',
    );
    expect(s.events('PreflightConfigDriftCheckFailed')).toHaveLength(1);
    expect(s.ann()[A.desiredDrain]).toBeUndefined();
  });
});

describe('a failing update', () => {
  it('is retried with exponential backoff (1 s doubling to 60 s in the MCO; 100 ms doubling here), not in a tight loop', async () => {
    const s = await setup('memory');
    await s.daemon.stop();
    // A managed file that cannot be written: a directory stands where it goes (EISDIR on every attempt).
    await s.fs.unlink('/etc/mco/proxy.env');
    await s.fs.mkdir('/etc/mco/proxy.env');
    const attempts: number[] = [];
    const counting: NodeFS = Object.assign(Object.create(s.fs) as NodeFS, {
      writeFile: (p: string, data: Uint8Array, mode?: number) => {
        if (p === '/etc/mco/proxy.env') attempts.push(Date.now());
        return s.fs.writeFile(p, data, mode);
      },
    });
    await s.fs.touch(FORCE_FILE); // forces a re-apply of every file
    // A forced re-apply reboots, so it drains first; here the node counts as drained already (lastAppliedDrain).
    s.store.update('nodes', 'worker-0', undefined, (n) => {
      n.metadata.annotations![A.desiredDrain] = 'drain-rendered-worker-a';
      n.metadata.annotations![A.lastAppliedDrain] = 'drain-rendered-worker-a';
    });
    const daemon = startDaemon({
      store: s.store,
      nodeName: 'worker-0',
      fs: counting,
      timings: { rebootMs: 150, retryMs: 100, drainPollMs: 100 },
      log: () => {},
    });
    cleanups.push(() => daemon.stop());
    await new Promise((r) => setTimeout(r, 3500));
    await daemon.stop();
    // Attempts at 0, 0.1, 0.3, 0.7, 1.5, 3.1 s: six in 3.5 s (a fixed 300 ms retry made twelve, and kicks from the
    // daemon's own Node writes made it spin).
    expect(s.ann()[A.state]).toBe('Degraded');
    expect(s.ann()[A.reason]).toContain('EISDIR');
    expect(attempts.length).toBeGreaterThanOrEqual(5);
    expect(attempts.length).toBeLessThanOrEqual(7);
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]);
    expect(gaps[0]).toBeGreaterThanOrEqual(90);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThanOrEqual(gaps[i - 1] * 1.5);
  });
});

describe('restart and MachineConfigNode', () => {
  it('a restarted daemon validates the disk and reports the wrapped reason', async () => {
    const s = await setup('memory');
    await s.daemon.stop();
    await s.fs.writeFile('/etc/mco/proxy.env', new Uint8Array(Buffer.from('x\n')), 0o644);
    await s.restart();
    await waitFor('Degraded', () => s.ann()[A.state] === 'Degraded');
    expect(s.ann()[A.reason]).toBe(
      'unexpected on-disk state validating against rendered-worker-a: content mismatch for file "/etc/mco/proxy.env"',
    );
    expect(s.events('OnDiskStateValidationFailed')).toHaveLength(1);
  });

  it('creates a seeded MachineConfigNode and reports NodeDegraded on drift', async () => {
    const s = await setup('memory', { mcn: true });
    const mcn = () => s.store.get('machineconfignodes', 'worker-0') as any;
    expect(mcn().spec).toMatchObject({ node: { name: 'worker-0' }, pool: { name: 'worker' } });
    const cond = (t: string) => mcn().status.conditions.find((c: any) => c.type === t);
    expect(cond('RebootedNode')).toMatchObject({
      status: 'False',
      reason: 'NotYetOccurred',
      message: 'This node has not yet entered the RebootedNode phase',
    });
    expect(cond('Updated')).toMatchObject({ status: 'True', message: 'Node worker-0 Updated' });
    await s.fs.writeFile('/etc/mco/proxy.env', new Uint8Array(Buffer.from('x\n')), 0o644);
    await waitFor('NodeDegraded', () => cond('NodeDegraded').status === 'True');
    expect(cond('NodeDegraded').message).toBe(
      'Node worker-0 upgrade failure. content mismatch for file "/etc/mco/proxy.env"',
    );
    expect(mcn().status.configVersion.current).toBe('rendered-worker-a');
  });

  it('never crashes on a missing node or config', async () => {
    const store = createStore();
    const fs = new MemoryNodeFS();
    const d = startDaemon({ store, nodeName: 'ghost', fs, timings: { rebootMs: 10 }, log: () => {} });
    cleanups.push(() => d.stop());
    await d.idle();
    store.create('nodes', workerNode('ghost', 'rendered-worker-a'));
    await d.idle();
    expect(await fs.exists(CURRENT_CONFIG_FILE)).toBe(false);
    store.create('machineconfigs', renderedConfig('rendered-worker-a'));
    await waitFor('first boot', () => fs.exists(CURRENT_CONFIG_FILE));
    await d.idle();
    expect(store.get('nodes', 'ghost')!.metadata.annotations![A.state]).toBe('Done');
  });
});

describe('unit enablement and masks', () => {
  // rendered-worker-a plus a unit the config enables and one it masks (with contents, so the daemon checks it).
  const withUnits = () => {
    const mc = renderedConfig('rendered-worker-a') as any;
    mc.spec.config.systemd.units.push(
      {
        name: 'foo.service',
        enabled: true,
        contents: '[Unit]\n[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n',
      },
      { name: 'bar.service', mask: true, contents: '[Unit]\n' },
    );
    return mc as KubeObject;
  };
  const sh = (fs: NodeFS, ...args: string[]) =>
    runCommand(['chroot', '/rootfs', 'systemctl', ...args], { fs, stdin: null });

  it('first boot enables and masks as the config says; 4.20 reports a disabled unit at the next validation', async () => {
    const s = await setup('memory', { version: '4.20.0', config: withUnits() });
    expect(s.ann()[A.state]).toBe('Done');
    expect(await s.fs.readlink('/etc/systemd/system/multi-user.target.wants/foo.service')).toBe(
      '/etc/systemd/system/foo.service',
    );
    expect(await s.fs.readlink('/etc/systemd/system/bar.service')).toBe('/dev/null');
    expect((await sh(s.fs, 'disable', 'foo.service')).exitCode).toBe(0);
    // Enablement links are not watched: the drift monitor does not see it; the next validation does.
    await s.daemon.idle();
    expect(s.ann()[A.state]).toBe('Done');
    await s.restart();
    await waitFor('Degraded', () => s.ann()[A.state] === 'Degraded');
    expect(s.ann()[A.reason]).toBe(
      'unexpected on-disk state validating against rendered-worker-a: unit "foo.service" expected enabled=true, but systemd reports "disabled"',
    );
  });

  it('a unit dropped from the config is disabled (its links go) and its file removed; a unit still named stays', async () => {
    const s = await setup('memory', { version: '4.16.0', config: withUnits() });
    const next = withUnits() as any;
    next.metadata.name = 'rendered-worker-b';
    next.spec.config.systemd.units = next.spec.config.systemd.units
      .filter((u: any) => u.name !== 'foo.service')
      .map((u: any) => (u.name === 'zincati.service' ? { name: 'zincati.service', mask: false } : u));
    s.store.create('machineconfigs', next);
    s.store.update(
      'nodes',
      'worker-0',
      undefined,
      (n) => void (n.metadata.annotations![A.desiredConfig] = 'rendered-worker-b'),
    );
    await waitFor('drain request', () => s.ann()[A.desiredDrain] === 'drain-rendered-worker-b');
    s.store.update(
      'nodes',
      'worker-0',
      undefined,
      (n) => void (n.metadata.annotations![A.lastAppliedDrain] = 'drain-rendered-worker-b'),
    );
    await waitFor('uncordon request', () => s.ann()[A.desiredDrain] === 'uncordon-rendered-worker-b', 10_000);
    expect(await s.fs.exists('/etc/systemd/system/foo.service')).toBe(false);
    expect(await s.fs.exists('/etc/systemd/system/multi-user.target.wants/foo.service')).toBe(false);
    expect(await s.fs.readlink('/etc/systemd/system/bar.service')).toBe('/dev/null');
    // `mask: false` without contents removes the old mask (BZ 1966445).
    expect(await s.fs.exists('/etc/systemd/system/zincati.service')).toBe(false);
  });

  it('a node folder from before enablement links gets them once at start (addUnitLinks), so 4.20 validates it', async () => {
    const s = await setup('memory', { version: '4.20.0', config: withUnits() });
    await s.daemon.stop();
    await s.fs.unlink('/etc/systemd/system/multi-user.target.wants/foo.service');
    const d = startDaemon({
      store: s.store,
      nodeName: 'worker-0',
      fs: s.fs,
      timings: { rebootMs: 150, retryMs: 50, drainPollMs: 100 },
      version: '4.20.0',
      addUnitLinks: true,
      log: () => {},
    });
    cleanups.push(() => d.stop());
    await d.idle();
    expect([s.ann()[A.state], s.ann()[A.reason]]).toEqual(['Done', '']);
    expect(await s.fs.exists('/etc/systemd/system/multi-user.target.wants/foo.service')).toBe(true);
  });

  it('4.16 has no enablement check: the same disabled unit validates', async () => {
    const s = await setup('memory', { version: '4.16.0', config: withUnits() });
    expect((await sh(s.fs, 'disable', 'foo.service')).exitCode).toBe(0);
    await s.restart();
    await s.daemon.idle();
    expect(s.ann()[A.state]).toBe('Done');
  });

  it('a mask reached through a chain of links is a mask; a dangling chain is reported as EvalSymlinks says', async () => {
    const s = await setup('disk', { config: withUnits() });
    await s.daemon.stop();
    unlinkSync(join(s.root!, 'etc/systemd/system/bar.service'));
    const { symlinkSync, mkdirSync } = await import('node:fs');
    mkdirSync(join(s.root!, 'etc/alt'));
    symlinkSync('../../alt/null', join(s.root!, 'etc/systemd/system/bar.service'));
    symlinkSync('/dev/null', join(s.root!, 'etc/alt/null'));
    await s.restart();
    await s.daemon.idle();
    expect([s.ann()[A.state], s.ann()[A.reason]]).toEqual(['Done', '']);
    await s.daemon.stop();
    unlinkSync(join(s.root!, 'etc/alt/null'));
    await s.restart();
    await waitFor('Degraded', () => s.ann()[A.state] === 'Degraded');
    expect(s.ann()[A.reason]).toBe(
      'unexpected on-disk state validating against rendered-worker-a: state validation: error while evaluation symlink for path "/etc/systemd/system/bar.service": lstat /etc/alt/null: no such file or directory',
    );
    // `systemctl mask` through the pod replaces the dangling link (not what it named): the node recovers, no reboot.
    const r = await sh(s.fs, 'mask', 'bar.service');
    expect([r.exitCode, Buffer.from(r.stderr).toString()]).toEqual([
      0,
      'Created symlink /etc/systemd/system/bar.service → /dev/null.\n',
    ]);
    await waitFor('Done', () => s.ann()[A.state] === 'Done');
    expect(readlinkSync(join(s.root!, 'etc/systemd/system/bar.service'))).toBe('/dev/null');
    expect(s.events('Reboot')).toHaveLength(0);
  });
});

describe('the policy status behind its generation (4.20)', () => {
  /** The MachineConfiguration `cluster` as the operator leaves it, but with its status one generation behind. */
  function laggingPolicies(store: Store) {
    const mc = store.create('machineconfigurations', {
      apiVersion: 'operator.openshift.io/v1',
      kind: 'MachineConfiguration',
      metadata: { name: 'cluster' },
      spec: {},
    });
    const status = operatorStatus('4.20.0', mc as unknown as MachineConfiguration);
    store.update('machineconfigurations', 'cluster', undefined, (o: any) => {
      o.status = { ...status, observedGeneration: (o.metadata.generation ?? 1) - 1 };
    });
    return () =>
      store.update('machineconfigurations', 'cluster', undefined, (o: any) => {
        o.status = { ...o.status, observedGeneration: o.metadata.generation ?? 1 };
      });
  }
  function target(s: Setup) {
    s.store.create('machineconfigs', renderedConfig('rendered-worker-b', { proxy: 'B\n' }));
    s.store.update('nodes', 'worker-0', undefined, (n) => {
      n.metadata.annotations![A.desiredConfig] = 'rendered-worker-b';
    });
  }

  it('the update waits, Working and not degraded, and goes on once the operator catches up', async () => {
    const s = await setup('memory', { version: '4.20.0', timings: { policyPollMs: 50 } });
    const catchUp = laggingPolicies(s.store);
    const states: string[] = [];
    const off = s.store.subscribe((e) => {
      if (e.resource === 'nodes') states.push(e.object.metadata.annotations?.[A.state] ?? '');
    });
    cleanups.push(off);
    target(s);
    await waitFor('Working', () => s.ann()[A.state] === 'Working');
    await new Promise((r) => setTimeout(r, 300));
    expect(s.ann()).toMatchObject({ [A.state]: 'Working', [A.currentConfig]: 'rendered-worker-a' });
    expect(await s.fs.readFile('/etc/mco/proxy.env').then(text)).toBe(PROXY);
    expect(s.ann()[A.desiredDrain]).toBeUndefined();
    catchUp();
    // The decision is made (a file with no policy: Reboot, so the drain is asked for), nothing degraded on the way.
    await waitFor('the drain asked for', () => s.ann()[A.desiredDrain] === 'drain-rendered-worker-b');
    expect(s.ann()[A.state]).toBe('Working');
    expect(states).not.toContain('Degraded');
  });

  it('when the wait runs out the update fails with the daemon’s message, and is retried with a new wait', async () => {
    const s = await setup('memory', { version: '4.20.0', timings: { policyWaitMs: 400, policyPollMs: 50 } });
    const catchUp = laggingPolicies(s.store);
    const start = Date.now();
    target(s);
    await waitFor('Degraded', () => s.ann()[A.state] === 'Degraded', 5000);
    expect(Date.now() - start).toBeGreaterThanOrEqual(400);
    expect(s.ann()[A.reason]).toBe(
      'NodeDisruptionPolicyStatus was not ready: NodeDisruptionPolicyStatus is not up to date',
    );
    expect(s.ann()[A.desiredDrain]).toBeUndefined();
    catchUp();
    await waitFor('the drain asked for', () => s.ann()[A.desiredDrain] === 'drain-rendered-worker-b');
  });
});
