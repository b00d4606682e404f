// Clients other than the kubectl on PATH against a simulator process, with the kubeconfig it writes:
// Debian's kubectl 1.20 (`kubernetes-client`, exec over SPDY only) and the official Python client (Debian's
// `python3-kubernetes`: a list, a watch, exec over websockets). tests/real-clients.ts fetches them when missing;
// a client that cannot be had (not root) is skipped with the reason.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type SimProcess } from './sim-process';
import { clients } from './sim-helpers';
import { debianKubectl, debianPythonClient, runClient, type Found } from './real-clients';

const NS = 'openshift-machine-config-operator';
let sim: SimProcess;
let pod: string;
let cacheDir: string;
let kubectl120: Found<{ path: string }>;
let python: Found<{ python: string }>;

beforeAll(async () => {
  cacheDir = mkdtempSync(join(tmpdir(), 'plumb-kubectl120-cache-'));
  [kubectl120, python, sim] = await Promise.all([
    debianKubectl(),
    debianPythonClient(),
    startSim(['--scenario', 'mini']),
  ]);
  pod = await clients(sim.kubeConfig()).daemonPod('mini-worker-0');
  // A fresh machine may first update the package lists and install the Python client.
}, 600_000);

afterAll(async () => {
  await sim?.stop({ removeData: true });
  rmSync(cacheDir, { recursive: true, force: true });
});

describe("Debian's kubectl 1.20 (SPDY-only exec)", () => {
  const run = (args: string[], stdin?: string) => {
    if (!kubectl120.ok) throw new Error(kubectl120.skip);
    // No KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 1.20 has no websocket exec to switch to anyway.
    const { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: _ws, ...env } = process.env;
    return runClient(kubectl120.path, ['--kubeconfig', sim.kubeconfigPath, '--cache-dir', cacheDir, ...args], {
      env,
      stdin,
    });
  };
  const exec = () => ['exec', '-n', NS, pod, '-c', 'machine-config-daemon', '--'];

  it('is the 1.20 client', async (ctx) => {
    if (!kubectl120.ok) return ctx.skip(kubectl120.skip);
    const v = await run(['version', '--client', '--short']);
    expect(v.stdout).toMatch(/Client Version: v1\.20\./);
  });

  it('execs with stdin, stdout and stderr', async (ctx) => {
    if (!kubectl120.ok) return ctx.skip(kubectl120.skip);
    const r = await run(['exec', '-i', ...exec().slice(1), 'cat'], 'from kubectl 1.20\n');
    expect(r).toMatchObject({ status: 0, stdout: 'from kubectl 1.20\n', stderr: '' });
    const file = await run([...exec(), 'cat', '/rootfs/etc/mco/proxy.env']);
    expect(file).toMatchObject({ status: 0, stdout: 'HTTP_PROXY=\nHTTPS_PROXY=\nNO_PROXY=\n' });
  });

  it("returns the command's exit code as its own", async (ctx) => {
    if (!kubectl120.ok) return ctx.skip(kubectl120.skip);
    const missing = await run([...exec(), 'cat', '/rootfs/etc/no-such-file']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('cat: /rootfs/etc/no-such-file: No such file or directory\n');
    expect(missing.stderr).toContain('command terminated with exit code 1');
    expect((await run([...exec(), 'frobnicate'])).status).toBe(127);
    expect((await run([...exec(), 'true'])).status).toBe(0);
  });
});

describe('the official Python client (python3-kubernetes)', () => {
  it('lists, watches a change and execs with stdout, stderr and exit codes', async (ctx) => {
    if (!python.ok) return ctx.skip(python.skip);
    const script = fileURLToPath(new URL('./python-client.py', import.meta.url));
    // PYTHONWARNINGS: the client warns on every request to a server whose certificate it does not verify.
    const r = await runClient(python.python, [script, sim.kubeconfigPath, NS, pod, 'machine-config-daemon'], {
      env: { ...process.env, PYTHONWARNINGS: 'ignore' },
      timeoutMs: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const got = JSON.parse(r.stdout);
    expect(got.nodes).toEqual(['mini-master-0', 'mini-worker-0', 'mini-worker-1']);
    expect(got.pools).toEqual(['master', 'worker']);
    expect(got.watch).toEqual({ type: 'MODIFIED', name: 'mini-master-0' });
    expect(got.exec_stdout).toBe('HTTP_PROXY=\nHTTPS_PROXY=\nNO_PROXY=\n');
    expect(got.exec_fail).toEqual({
      stdout: '',
      stderr: 'cat: /rootfs/etc/no-such-file: No such file or directory\n',
      returncode: 1,
    });
    expect(got.exec_ok).toEqual({ stdout: '', stderr: '', returncode: 0 });
  });
});
