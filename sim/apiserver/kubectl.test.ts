// kubectl against the simulated cluster (over TLS: client-go sends bearer tokens only to https servers).
// Skipped when no working kubectl or openssl is installed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pool, startHarness, type Harness } from './test-harness';
import { selfSignedCertificate } from './tls';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

const run = promisify(execFile);

function works(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'pipe', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}
const available = works('kubectl', ['version', '--client']) && works('openssl', ['version']);

describe.skipIf(!available)('kubectl', () => {
  let h: Harness;
  const kubectl = async (...args: string[]) => {
    const r = await run('kubectl', ['--kubeconfig', h.kubeconfigPath, '--cache-dir', join(h.dir, 'cache'), ...args], {
      timeout: 30_000,
    });
    return r.stdout;
  };

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plumb-kubectl-'));
    h = await startHarness({ dir, server: { tls: selfSignedCertificate(join(dir, 'tls')) } });
    h.store.create('machineconfigpools', {
      ...pool('worker'),
      status: {
        configuration: { name: 'rendered-worker-0123' },
        conditions: [
          { type: 'Updated', status: 'True' },
          { type: 'Updating', status: 'False' },
          { type: 'Degraded', status: 'False' },
        ],
        machineCount: 3,
        readyMachineCount: 3,
        updatedMachineCount: 3,
        degradedMachineCount: 0,
      },
    } as any);
  });
  afterAll(() => h?.close());

  it('prints `get mcp` with the exact oc header', async () => {
    const lines = (await kubectl('get', 'mcp')).trimEnd().split('\n');
    expect(lines[0].split(/\s+/).join(' ')).toBe(
      'NAME CONFIG UPDATED UPDATING DEGRADED MACHINECOUNT READYMACHINECOUNT UPDATEDMACHINECOUNT DEGRADEDMACHINECOUNT AGE',
    );
    expect(lines[1].split(/\s+/).slice(0, 9).join(' ')).toBe('worker rendered-worker-0123 True False False 3 3 3 0');
  });

  it('patches with --type merge and reports a strategic patch on a CR as unsupported', async () => {
    await kubectl('patch', 'mcp', 'worker', '--type', 'merge', '-p', '{"spec":{"paused":true}}');
    expect((h.store.get('machineconfigpools', 'worker') as any).spec.paused).toBe(true);
    await expect(kubectl('patch', 'mcp', 'worker', '-p', '{"spec":{"paused":false}}')).rejects.toThrow(
      /UnsupportedMediaType|unknown format/,
    );
  });
});
