// A kubeconfig for the simulated cluster: contexts `admin` (current) and `viewer`, each with its own bearer token.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';
import type { SimUser } from './apiserver/auth';

export function kubeconfigYaml(opts: { url: string; users: SimUser[] }): string {
  // Contexts are named by role (`admin`, `viewer`); a second user of the same role gets its own name.
  const seen = new Set<string>();
  const contexts = opts.users.map((u) => {
    const name = seen.has(u.role) ? u.name : u.role;
    seen.add(u.role);
    return { name, context: { cluster: 'sim', user: u.name } };
  });
  const current = contexts.find((c) => c.name === 'admin') ?? contexts[0];
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [{ name: 'sim', cluster: { server: opts.url, 'insecure-skip-tls-verify': true } }],
    users: opts.users.map((u) => ({ name: u.name, user: { token: u.token } })),
    contexts,
    'current-context': current?.name ?? '',
  });
}

/** Write the kubeconfig with mode 0600 (it holds tokens). */
export function writeKubeconfig(path: string, opts: { url: string; users: SimUser[] }): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, kubeconfigYaml(opts), { mode: 0o600 });
  chmodSync(path, 0o600);
}
