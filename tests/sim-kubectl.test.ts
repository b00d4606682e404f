// kubectl against the simulator, where a kubectl binary runs on this machine offline (skipped with a message if not):
// the exact `oc get mcp` columns, nodes, describe, annotate, a watch, and exec into a daemon pod — all with the
// kubeconfig the simulator writes, as a user would (it serves HTTPS, since kubectl sends a token only over TLS).
// Exec runs as a user's kubectl does by default: the machine's kubectl sends as v1.29, which execs over SPDY/3.1
// unless KUBECTL_REMOTE_COMMAND_WEBSOCKETS is set, so that variable is removed here.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINI, startSim, type SimProcess } from './sim-process';
import { clients, poolSettled, waitFor } from './sim-helpers';
import { runClient } from './real-clients';

const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
let sim: SimProcess | undefined;
let cacheDir: string;
let skipReason: string | null = null;
let kubeconfig: string;
const { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: _websockets, ...KUBECTL_ENV } = process.env;

/** Runs kubectl asynchronously, so the test process stays responsive while it runs. */
function kubectl(args: string[], stdin?: string | Buffer) {
  return runClient(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], {
    env: KUBECTL_ENV,
    stdin,
  });
}

beforeAll(async () => {
  cacheDir = mkdtempSync(join(tmpdir(), 'plumb-kubectl-cache-'));
  if (!existsSync(KUBECTL)) {
    skipReason = `no kubectl at ${KUBECTL}`;
    return;
  }
  sim = await startSim(MINI);
  await waitFor('worker settled', () => poolSettled(clients(sim!.kubeConfig()), 'worker'), 20_000);
  kubeconfig = sim.kubeconfigPath;
  const probe = await kubectl(['get', '--raw', '/api']);
  if (probe.status !== 0) {
    const first = (probe.stderr || probe.error?.message || '').trim().split('\n').at(-1) ?? '';
    skipReason = `kubectl does not work against the simulator here: ${first}`;
  }
});

afterAll(async () => {
  await sim?.stop({ removeData: true });
  rmSync(cacheDir, { recursive: true, force: true });
});

const rows = (out: string) =>
  out
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/));

describe('kubectl', () => {
  it('get mcp prints the exact oc columns', async (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const r = await kubectl(['get', 'mcp']);
    expect(r.stderr).toBe('');
    const [header, ...body] = rows(r.stdout);
    expect(header).toEqual([
      'NAME',
      'CONFIG',
      'UPDATED',
      'UPDATING',
      'DEGRADED',
      'MACHINECOUNT',
      'READYMACHINECOUNT',
      'UPDATEDMACHINECOUNT',
      'DEGRADEDMACHINECOUNT',
      'AGE',
    ]);
    const worker = body.find((r) => r[0] === 'worker')!;
    expect(worker[1]).toMatch(/^rendered-worker-[0-9a-f]{32}$/);
    expect(worker.slice(2, 9)).toEqual(['True', 'False', 'False', '2', '2', '2', '0']);
    expect(body.map((r) => r[0]).sort()).toEqual(['master', 'worker']);
  });

  it('get nodes shows status, roles and the kubelet version', async (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const [header, ...body] = rows((await kubectl(['get', 'nodes'])).stdout);
    expect(header).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    expect(body.find((r) => r[0] === 'mini-worker-0')).toEqual([
      'mini-worker-0',
      'Ready',
      'worker',
      expect.any(String),
      expect.stringMatching(/^v1\.29\./),
    ]);
  });

  it('describe mcp worker shows the pool and its events', async (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const r = await kubectl(['describe', 'mcp', 'worker']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Name:\s+worker$/m);
    expect(r.stdout).toMatch(/Machine Config Selector:/);
    expect(r.stdout).toMatch(/RenderedConfigGenerated/);
  });

  it('annotate node writes the annotation', async (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const r = await kubectl(['annotate', 'node', 'mini-worker-1', 'plumb.example.com/owner=team-a']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/node\/mini-worker-1 annotated/);
    const node = await clients(sim!.kubeConfig()).node('mini-worker-1');
    expect(node.metadata.annotations['plumb.example.com/owner']).toBe('team-a');
  });

  it('get mcp -w prints a change as it happens', async (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const child = spawn(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, 'get', 'mcp', '-w'], {
      env: KUBECTL_ENV,
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    try {
      await waitFor('the initial table', async () => /^worker\s/m.test(out), 15_000);
      const workerRows = () => out.split('\n').filter((l) => l.startsWith('worker ')).length;
      const before = workerRows();
      expect((await kubectl(['label', 'mcp', 'worker', 'plumb.example.com/watched=yes'])).status).toBe(0);
      await waitFor('a new worker row', async () => workerRows() > before, 10_000);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('exec into a daemon pod reads a node file', async (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const pod = await clients(sim!.kubeConfig()).daemonPod('mini-worker-0');
    const r = await kubectl([
      'exec',
      '-n',
      'openshift-machine-config-operator',
      pod,
      '-c',
      'machine-config-daemon',
      '--',
      'cat',
      '/rootfs/etc/mco/proxy.env',
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('HTTP_PROXY=\nHTTPS_PROXY=\nNO_PROXY=\n');
  });

  it('exec -i passes stdin over SPDY (no websocket variable), and the Upgrade is SPDY/3.1', async (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const pod = await clients(sim!.kubeConfig()).daemonPod('mini-worker-0');
    const exec = ['exec', '-i', '-n', 'openshift-machine-config-operator', pod, '-c', 'machine-config-daemon', '--'];
    const small = await kubectl([...exec, 'cat'], 'line one\nline two\n');
    expect(small).toMatchObject({ status: 0, stdout: 'line one\nline two\n', stderr: '' });
    // A megabyte each way: many DATA frames in both directions.
    const big = Buffer.alloc(1024 * 1024, 'plumb 0123456789\n');
    const r = await kubectl([...exec, 'cat'], big);
    expect(r.status).toBe(0);
    expect(r.stdout.length).toBe(big.length);
    expect(r.stdout === big.toString()).toBe(true);
    // The request and the 101 as client-go logs them (-v=8).
    const traced = await kubectl(['-v=8', ...exec, 'tee', '/rootfs/tmp/plumb-stdin'], 'teed');
    expect(traced.status).toBe(0);
    expect(traced.stderr).toMatch(/Upgrade: SPDY\/3\.1/);
    expect(traced.stderr).toMatch(/X-Stream-Protocol-Version: v4\.channel\.k8s\.io/);
    expect(readFileSync(join(sim!.dataDir, 'nodes/mini-worker-0/rootfs/tmp/plumb-stdin'), 'utf8')).toBe('teed');
  });

  it('exec returns stderr and the exit code of the command as its own', async (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const pod = await clients(sim!.kubeConfig()).daemonPod('mini-worker-0');
    const exec = ['exec', '-n', 'openshift-machine-config-operator', pod, '-c', 'machine-config-daemon', '--'];
    expect(await kubectl([...exec, 'true'])).toMatchObject({ status: 0, stdout: '', stderr: '' });
    const missing = await kubectl([...exec, 'cat', '/rootfs/etc/no-such-file']);
    expect(missing.status).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe(
      'cat: /rootfs/etc/no-such-file: No such file or directory\ncommand terminated with exit code 1\n',
    );
    const unknown = await kubectl([...exec, 'frobnicate']);
    expect(unknown.status).toBe(127);
    expect(unknown.stderr).toContain('frobnicate: command not found\n');
  });

  it('drives the seed case: a hand edit degrades the pool, the force file by exec brings the node back', async (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const node = 'mini-worker-0';
    const file = join(sim!.dataDir, 'nodes', node, 'rootfs/etc/mco/proxy.env');
    const original = readFileSync(file, 'utf8');
    appendFileSync(file, 'HTTP_PROXY=http://oops.example.com:3128\n');
    const stateOf = async () =>
      (
        await kubectl([
          'get',
          'node',
          node,
          '-o',
          'jsonpath={.metadata.annotations.machineconfiguration\\.openshift\\.io/state}',
        ])
      ).stdout;
    await waitFor('node Degraded', async () => (await stateOf()) === 'Degraded', 5_000, 100);
    const reasonOf = async () =>
      (
        await kubectl([
          'get',
          'node',
          node,
          '-o',
          'jsonpath={.metadata.annotations.machineconfiguration\\.openshift\\.io/reason}',
        ])
      ).stdout;
    // The monitor's bare reason, then (within seconds) the preflight retry's wrapped one.
    const reason = await waitFor(
      'the preflight reason',
      async () => {
        const r = await reasonOf();
        return r.startsWith('unexpected on-disk state validating against ') && r;
      },
      20_000,
      200,
    );
    expect(reason).toMatch(
      /^unexpected on-disk state validating against rendered-worker-[0-9a-f]+: content mismatch for file "\/etc\/mco\/proxy\.env"$/,
    );
    const degraded = await waitFor('pool shows it', async () => {
      const worker = rows((await kubectl(['get', 'mcp', 'worker'])).stdout)[1];
      return worker?.[4] === 'True' && worker[8] === '1' ? worker : undefined;
    });
    expect(degraded.slice(2, 5)).toEqual(['False', 'True', 'True']);

    const pod = await clients(sim!.kubeConfig()).daemonPod(node);
    const touch = await kubectl([
      'exec',
      '-n',
      'openshift-machine-config-operator',
      pod,
      '-c',
      'machine-config-daemon',
      '--',
      'touch',
      '/rootfs/run/machine-config-daemon-force',
    ]);
    expect(touch.status).toBe(0);
    await waitFor('node Done after the reboot', async () => (await stateOf()) === 'Done', 15_000, 100);
    expect(readFileSync(file, 'utf8')).toBe(original);
    expect(existsSync(join(sim!.dataDir, 'nodes', node, 'rootfs/run/machine-config-daemon-force'))).toBe(false);
    const events = await kubectl(['get', 'events', '-n', 'default', '--field-selector', `involvedObject.name=${node}`]);
    expect(events.stdout).toContain('ConfigDriftDetected');
    expect(events.stdout).toContain('Reboot');
  });
});
