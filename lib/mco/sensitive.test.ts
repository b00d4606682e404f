import { describe, expect, it } from 'vitest';
import { fixturesDir, FIXTURES_MISSING, loadDump } from '@/tests/fixtures';
import { isSensitive } from './sensitive';

describe('isSensitive', () => {
  it('the pull secret and registry auth files', () => {
    expect(isSensitive('/var/lib/kubelet/config.json')).toBe(true);
    expect(isSensitive('/var/lib/kubelet/config.json', 0o644)).toBe(true);
    expect(isSensitive('/root/.docker/config.json', 0o644)).toBe(true);
    expect(isSensitive('/etc/containers/auth.json', 0o644)).toBe(true);
    expect(isSensitive('/etc/containers/policy.json', 0o644)).toBe(false);
  });

  it('private keys, but not certificates or public keys', () => {
    expect(isSensitive('/etc/kubernetes/static-pod-certs/secrets/tls.key', 0o644)).toBe(true);
    expect(isSensitive('/etc/pki/tls/private/server.pem', 0o644)).toBe(true);
    expect(isSensitive('/etc/ovn/ovnkube-node-key.pem', 0o644)).toBe(true);
    expect(isSensitive('/etc/ssh/ssh_host_ed25519_key', 0o644)).toBe(true);
    expect(isSensitive('/etc/ssh/ssh_host_ed25519_key.pub', 0o644)).toBe(false);
    expect(isSensitive('/etc/kubernetes/ca.crt', 0o644)).toBe(false);
    expect(isSensitive('/etc/pki/ca-trust/source/anchors/corp-ca.crt', 0o644)).toBe(false);
  });

  it('tokens and secrets by name, in any case', () => {
    expect(isSensitive('/etc/mco/internal-registry-pull-secret.json', 0o644)).toBe(true);
    expect(isSensitive('/var/lib/app/API_TOKEN', 0o644)).toBe(true);
    expect(isSensitive('/etc/kubernetes/credential-providers/ecr-credential-provider.yaml', 0o644)).toBe(false);
  });

  it('files only the owner may read', () => {
    expect(isSensitive('/etc/harmless.conf', 0o600)).toBe(true);
    expect(isSensitive('/etc/harmless.conf', 384)).toBe(true);
    expect(isSensitive('/etc/harmless.conf', 0o700)).toBe(true);
    expect(isSensitive('/etc/harmless.conf', 0o640)).toBe(false); // group-readable
    expect(isSensitive('/etc/harmless.conf', 0o604)).toBe(false); // others-readable
    expect(isSensitive('/etc/harmless.conf', 0o644)).toBe(false);
    expect(isSensitive('/etc/harmless.conf')).toBe(false);
    expect(isSensitive('/etc/harmless.conf', null)).toBe(false);
  });
});

describe.skipIf(!fixturesDir())('isSensitive on the real rendered configs', () => {
  it('hides the pull secret and the 0600 CA bundle, shows the ordinary files', () => {
    const mcs = loadDump('4.16.0-compact-mc.yaml');
    const rendered = mcs.find((m) => m.metadata.name.startsWith('rendered-worker-'));
    const files: { path: string; mode: number }[] = rendered.spec.config.storage.files;
    const hidden = files.filter((f) => isSensitive(f.path, f.mode)).map((f) => f.path);
    // The CA bundle is public data, but its 0600 mode makes it sensitive by policy (documented in sensitive.ts).
    expect(hidden.sort()).toEqual([
      '/etc/pki/ca-trust/source/anchors/openshift-config-user-ca-bundle.crt',
      '/var/lib/kubelet/config.json',
    ]);
    const shown = files.map((f) => f.path).filter((p) => !hidden.includes(p));
    expect(shown).toContain('/etc/mco/proxy.env');
    expect(shown).toContain('/etc/kubernetes/kubelet.conf');
    expect(shown).toContain('/usr/local/bin/configure-ovs.sh');
  });
});

if (!fixturesDir()) console.warn(FIXTURES_MISSING);
