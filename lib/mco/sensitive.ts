// The redaction policy: which managed files Plumb never shows (content, line diffs) unless a user with the
// right to do so asks to reveal them. Deliberately conservative: a false positive hides a harmless file,
// a false negative leaks a credential.
//
// Rules, any of which makes a path sensitive:
// - the cluster pull secret `/var/lib/kubelet/config.json`, and other registry auth files
//   (`.docker/config.json`, `auth.json`);
// - private keys: `*.key`, `*-key.pem`, anything below a `private` folder under `/etc/pki`, ssh host keys
//   `ssh_host_*_key` (their `.pub` halves are public);
// - tokens and credentials: a path containing `token` or `secret` (any case), e.g.
//   `/etc/mco/internal-registry-pull-secret.json`;
// - files neither group nor others may read (`mode & 0o044 === 0`, e.g. 0600 = 384): the author of the
//   MachineConfig said only root should read it.
// The mode rule also hides some harmless files: the MCO writes the user CA bundle
// `/etc/pki/ca-trust/source/anchors/openshift-config-user-ca-bundle.crt` with mode 0600, so it counts as
// sensitive. That is accepted: certificates are public, but hiding one costs a click, not a leak.

const PULL_SECRET = '/var/lib/kubelet/config.json';

export function isSensitive(path: string, mode?: number | null): boolean {
  if (mode !== undefined && mode !== null && (mode & 0o044) === 0) return true;
  const p = path.toLowerCase();
  const base = p.slice(p.lastIndexOf('/') + 1);
  if (p === PULL_SECRET) return true;
  if (p.endsWith('/.docker/config.json') || base === 'auth.json') return true;
  if (base.endsWith('.key') || base.endsWith('-key.pem')) return true;
  if (p.startsWith('/etc/pki/') && p.includes('/private/')) return true;
  if (/^ssh_host_.*_key$/.test(base)) return true;
  if (p.includes('token') || p.includes('secret')) return true;
  return false;
}
