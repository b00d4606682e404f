// HTTPS serving with a self-signed certificate: client-node (skipTLSVerify from the kubeconfig) lists and execs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { startHarness, type Harness } from './test-harness';
import { selfSignedCertificate } from './tls';

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasOpenssl)('TLS', () => {
  let h: Harness;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plumb-tls-'));
    const cert = selfSignedCertificate(join(dir, 'tls'));
    // Reused on the next call.
    expect(selfSignedCertificate(join(dir, 'tls'))).toEqual(cert);
    h = await startHarness({
      dir,
      server: { tls: cert },
      exec: async (r) => ({
        stdout: new TextEncoder().encode(r.command.join(' ')),
        stderr: new Uint8Array(),
        exitCode: 0,
      }),
    });
    h.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } });
    h.store.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'ns' },
      spec: { containers: [{ name: 'c' }] },
    });
  });
  afterAll(() => h?.close());

  it('serves https and websocket exec over TLS', async () => {
    expect(h.server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const core = h.kc().makeApiClient(k8s.CoreV1Api);
    expect((await core.listNamespace()).items.map((n) => n.metadata!.name)).toEqual(['ns']);
    const out = new PassThrough();
    let text = '';
    out.on('data', (d) => (text += d));
    let status: k8s.V1Status | undefined;
    await new Promise<void>((resolve, reject) => {
      new k8s.Exec(h.kc())
        .exec('ns', 'p', 'c', ['echo', 'over', 'tls'], out, null, null, false, (s) => (status = s))
        .then((ws) => ws.on('close', () => resolve()), reject);
    });
    expect(text).toBe('echo over tls');
    expect(status?.status).toBe('Success');
  });
});
