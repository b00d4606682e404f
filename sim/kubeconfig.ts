// A kubeconfig for the simulated cluster: one context per user, named after it (`admin`, the current one, `viewer`,
// and any the scenario declares), each with its own bearer token.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';
import type { SimUser } from './apiserver/auth';

export function kubeconfigYaml(opts: { url: string; users: SimUser[] }): string {
  const contexts = opts.users.map((u) => ({ name: u.name, context: { cluster: 'sim', user: u.name } }));
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
