// The machine's kubectl, with no environment variables and no --validate=false, against a simulator process:
// apply/create of a MachineConfig (client-side lookup of /openapi/v3, then server-side field validation), unknown
// fields refused (Strict) or warned, `explain` from the CRD schemas, `get --chunk-size`, and --dry-run=server.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlAs } from './real-clients';
import { MINI, startSim, type SimProcess } from './sim-process';
import { clients, MCO } from './sim-helpers';

const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
let sim: SimProcess | undefined;
let dir: string;
let skipReason: string | null = null;

/** kubectl as a newcomer runs it (tests/real-clients.ts kubectlAs). */
const kubectl = (args: string[]) => kubectlAs(KUBECTL, sim!.kubeconfigPath, dir, args, { timeoutMs: 45_000 });

const mc = (name: string, extra: Record<string, unknown> = {}) => `apiVersion: machineconfiguration.openshift.io/v1
kind: MachineConfig
metadata:
  name: ${name}
  labels:
    machineconfiguration.openshift.io/role: worker
spec:
  config:
    ignition:
      version: 3.4.0
    storage:
      files:
      - path: /etc/${name}.conf
        mode: 420
        contents:
          source: data:,hello
${Object.entries(extra)
  .map(([k, v]) => `  ${k}: ${JSON.stringify(v)}\n`)
  .join('')}`;

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'plumb-kubectl-schema-'));
  if (!existsSync(KUBECTL)) {
    skipReason = `no kubectl at ${KUBECTL}`;
    return;
  }
  sim = await startSim(MINI);
});

afterAll(async () => {
  await sim?.stop({ removeData: true });
  rmSync(dir, { recursive: true, force: true });
});

describe('kubectl with validation (no flags, no environment)', () => {
  it('applies and creates a MachineConfig', async (ctx) => {
    if (skipReason) return ctx.skip();
    const a = await kubectl(['apply', '-f', file('a.yaml', mc('99-worker-apply'))]);
    expect(a.stderr).toBe('');
    expect(a.stdout.trim()).toBe('machineconfig.machineconfiguration.openshift.io/99-worker-apply created');
    const again = await kubectl(['apply', '-f', file('a.yaml', mc('99-worker-apply'))]);
    expect(again.stdout.trim()).toBe('machineconfig.machineconfiguration.openshift.io/99-worker-apply unchanged');
    const c = await kubectl(['create', '-f', file('c.yaml', mc('99-worker-create'))]);
    expect(c.stderr).toBe('');
    expect(c.stdout.trim()).toBe('machineconfig.machineconfiguration.openshift.io/99-worker-create created');
  });

  it('refuses an unknown field (Strict, the default of --validate) and only warns with --validate=warn', async (ctx) => {
    if (skipReason) return ctx.skip();
    const bad = file('bad.yaml', mc('99-worker-bad', { foo: 1 }));
    const strict = await kubectl(['apply', '-f', bad]);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toContain('strict decoding error: unknown field "spec.foo"');
    const created = await kubectl(['create', '-f', bad]);
    expect(created.stderr).toContain('unknown field "spec.foo"');
    const c = clients(sim!.kubeConfig());
    await expect(
      c.custom.getClusterCustomObject({ ...MCO, plural: 'machineconfigs', name: '99-worker-bad' }),
    ).rejects.toMatchObject({ code: 404 });
    const warn = await kubectl(['apply', '--validate=warn', '-f', bad]);
    expect(warn.status).toBe(0);
    expect(warn.stderr).toContain('Warning: unknown field "spec.foo"');
    const stored: any = await c.custom.getClusterCustomObject({
      ...MCO,
      plural: 'machineconfigs',
      name: '99-worker-bad',
    });
    expect(stored.spec.foo).toBeUndefined();
  });

  it('explains MachineConfig and MachineConfigPool fields from the CRD schemas', async (ctx) => {
    if (skipReason) return ctx.skip();
    const spec = await kubectl(['explain', 'machineconfig.spec']);
    expect(spec.stderr).toBe('');
    expect(spec.stdout).toMatch(/KIND:\s+MachineConfig/);
    expect(spec.stdout).toMatch(/kernelArguments/);
    const mu = await kubectl(['explain', 'mcp.spec.maxUnavailable']);
    expect(mu.stderr).toBe('');
    expect(mu.stdout).toMatch(/FIELD:\s+maxUnavailable/);
    const mcfg = await kubectl(['explain', 'machineconfiguration.spec.nodeDisruptionPolicy']);
    expect(mcfg.stdout).toMatch(/KIND:\s+MachineConfiguration/);
  });

  it('pages `get nodes --chunk-size=2` through every node', async (ctx) => {
    if (skipReason) return ctx.skip();
    const all = await kubectl(['get', 'nodes', '-o', 'name', '--chunk-size=0']);
    const paged = await kubectl(['get', 'nodes', '-o', 'name', '--chunk-size=2', '-v=6']);
    const names = paged.stdout.trim().split('\n');
    expect(names.length).toBeGreaterThan(2);
    expect(names).toEqual(all.stdout.trim().split('\n'));
    expect(paged.stderr).toMatch(/nodes\?continue=[^&]+&limit=2 200/);
    // The table form (what `kubectl get nodes` prints) pages the same way.
    const table = await kubectl(['get', 'nodes', '--chunk-size=2', '--no-headers']);
    expect(
      table.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/)[0]),
    ).toEqual(names.map((n) => n.replace('node/', '')));
  });

  it('stores nothing on --dry-run=server, for create, apply, patch and delete', async (ctx) => {
    if (skipReason) return ctx.skip();
    const c = clients(sim!.kubeConfig());
    const created = await kubectl(['create', '--dry-run=server', '-f', file('d.yaml', mc('99-worker-dry'))]);
    expect(created.stdout.trim()).toBe(
      'machineconfig.machineconfiguration.openshift.io/99-worker-dry created (server dry run)',
    );
    await expect(
      c.custom.getClusterCustomObject({ ...MCO, plural: 'machineconfigs', name: '99-worker-dry' }),
    ).rejects.toMatchObject({ code: 404 });
    const before: any = await c.custom.getClusterCustomObject({ ...MCO, plural: 'machineconfigpools', name: 'worker' });
    const patched = await kubectl([
      'patch',
      'mcp',
      'worker',
      '--type',
      'merge',
      '-p',
      '{"spec":{"paused":true}}',
      '--dry-run=server',
      '-o',
      'json',
    ]);
    expect(JSON.parse(patched.stdout).spec.paused).toBe(true);
    const deleted = await kubectl(['delete', 'mc', '99-worker-create', '--dry-run=server']);
    expect(deleted.stdout.trim()).toBe(
      'machineconfig.machineconfiguration.openshift.io "99-worker-create" deleted (server dry run)',
    );
    const after: any = await c.custom.getClusterCustomObject({ ...MCO, plural: 'machineconfigpools', name: 'worker' });
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(after.spec.paused).toBe(before.spec.paused);
    await c.custom.getClusterCustomObject({ ...MCO, plural: 'machineconfigs', name: '99-worker-create' });
    const bad = await kubectl(['create', '--dry-run=server', '-f', file('db.yaml', mc('99-worker-dry', { foo: 1 }))]);
    expect(bad.stderr).toContain('unknown field "spec.foo"');
  });

  it('serves the cluster MachineConfiguration and the new MCO kinds', async (ctx) => {
    if (skipReason) return ctx.skip();
    const r = await kubectl(['get', 'machineconfiguration', 'cluster', '-o', 'name']);
    expect(r.stdout.trim()).toBe('machineconfiguration.operator.openshift.io/cluster');
    for (const kind of ['machineosconfigs', 'machineosbuilds', 'pinnedimagesets']) {
      const g = await kubectl(['get', kind]);
      expect(g.stderr.trim()).toBe('No resources found');
    }
  });
});
