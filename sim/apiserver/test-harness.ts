// For tests: a store and an API server in this process on a free loopback port, a kubeconfig with the admin and
// viewer contexts, and real @kubernetes/client-node clients for it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { createStore, type SimStore, type StoreOptions } from '../store';
import { writeKubeconfig } from '../kubeconfig';
import type { ExecHandler } from '../types';
import { startApiServer, type ApiServer, type ApiServerOptions, type SimUser } from './http';

export const USERS: SimUser[] = [
  { name: 'admin', token: 'admin-token-for-tests', groups: ['system:cluster-admins'] },
  { name: 'viewer', token: 'viewer-token-for-tests', groups: ['system:cluster-readers'] },
];

export interface Harness {
  store: SimStore;
  server: ApiServer;
  dir: string;
  kubeconfigPath: string;
  kc(context?: 'admin' | 'viewer'): k8s.KubeConfig;
  /** fetch against the server with the admin token (or `token: null` for none). */
  fetch(path: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
  close(opts?: { keepDir?: boolean }): Promise<void>;
}

export async function startHarness(
  opts: { exec?: ExecHandler; store?: StoreOptions; dir?: string; server?: Partial<ApiServerOptions> } = {},
): Promise<Harness> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'plumb-apiserver-'));
  const store = createStore({ dataDir: join(dir, 'data'), ...opts.store });
  const server = await startApiServer({ store, users: USERS, exec: opts.exec, ...opts.server });
  const kubeconfigPath = join(dir, 'kubeconfig');
  writeKubeconfig(kubeconfigPath, { url: server.url, users: USERS });
  return {
    store,
    server,
    dir,
    kubeconfigPath,
    kc(context = 'admin') {
      const kc = new k8s.KubeConfig();
      kc.loadFromFile(kubeconfigPath);
      kc.setCurrentContext(context);
      return kc;
    },
    fetch(path, init = {}) {
      const { token = USERS[0].token, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (token) headers.set('Authorization', `Bearer ${token}`);
      return fetch(server.url + path, { ...rest, headers });
    },
    async close({ keepDir = false } = {}) {
      await server.close();
      await store.close();
      if (!keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The parsed Status body of a client-node ApiException. */
export async function apiError(p: Promise<unknown>): Promise<{ code: number; body: any }> {
  try {
    await p;
  } catch (e: any) {
    let body: any = e.body;
    try {
      body = typeof body === 'string' ? JSON.parse(body) : body;
    } catch {
      /* keep the text */
    }
    return { code: e.code, body };
  }
  throw new Error('expected the request to fail');
}

export const MCO = { group: 'machineconfiguration.openshift.io', version: 'v1' };

export function pool(name: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'machineconfiguration.openshift.io/v1',
    kind: 'MachineConfigPool',
    metadata: { name, labels: { [`pools.operator.machineconfiguration.openshift.io/${name}`]: '' } },
    spec: { paused: false, machineConfigSelector: { matchLabels: { 'machineconfiguration.openshift.io/role': name } } },
    ...extra,
  };
}
