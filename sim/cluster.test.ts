// The cluster wiring in-process, through the real API: a node registered through the API gets a kubelet's status,
// first-boot annotations, a daemon pod and its files; deleting it removes its pod.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from './cluster';
import { miniScenario } from './scenarios/mini';

let cluster: Cluster;
let dir: string;
let core: k8s.CoreV1Api;

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'plumb-cluster-'));
  cluster = await startCluster({ dataDir: dir, scenario: miniScenario, timings: { rebootMs: 100, drainMs: 50 } });
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
  core = kc.makeApiClient(k8s.CoreV1Api);
});

afterAll(async () => {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a node registered through the API', () => {
  it('joins its pool like a new machine: status, annotations, daemon pod, files', async () => {
    await cluster.idle();
    await core.createNode({
      body: { metadata: { name: 'mini-worker-2', labels: { 'node-role.kubernetes.io/worker': '' } } },
    });
    const node = await waitFor('the new node Done', async () => {
      const n = await core.readNode({ name: 'mini-worker-2' });
      return n.metadata?.annotations?.['machineconfiguration.openshift.io/state'] === 'Done' && n;
    });
    const target = (cluster.store.get('machineconfigpools', 'worker') as any).spec.configuration.name;
    expect(node.metadata!.annotations!['machineconfiguration.openshift.io/currentConfig']).toBe(target);
    expect(node.status!.conditions!.find((c) => c.type === 'Ready')!.status).toBe('True');
    expect(node.metadata!.labels!['kubernetes.io/hostname']).toBe('mini-worker-2');
    const pods = await core.listNamespacedPod({
      namespace: 'openshift-machine-config-operator',
      fieldSelector: 'spec.nodeName=mini-worker-2',
    });
    expect(pods.items.map((p) => p.metadata!.name)).toEqual([
      expect.stringMatching(/^machine-config-daemon-[bcdfghjklmnpqrstvwxz2456789]{5}$/),
    ]);
    expect(pods.items[0].spec!.containers.map((c) => c.name)).toEqual(['machine-config-daemon', 'kube-rbac-proxy']);
    await waitFor(
      'the node files',
      async () =>
        readFileSync(join(dir, 'nodes/mini-worker-2/rootfs/etc/mco/proxy.env'), 'utf8') ===
        'HTTP_PROXY=\nHTTPS_PROXY=\nNO_PROXY=\n',
    );
    await waitFor(
      'pool worker counting 3 machines',
      async () => (cluster.store.get('machineconfigpools', 'worker') as any).status.machineCount === 3,
    );

    await core.deleteNode({ name: 'mini-worker-2' });
    await waitFor(
      'its pod gone',
      async () =>
        (
          await core.listNamespacedPod({
            namespace: 'openshift-machine-config-operator',
            fieldSelector: 'spec.nodeName=mini-worker-2',
          })
        ).items.length === 0,
    );
    await waitFor(
      'pool worker back to 2 machines',
      async () => (cluster.store.get('machineconfigpools', 'worker') as any).status.machineCount === 2,
    );
  });
});

describe('the data folder', () => {
  const mode = (p: string) => (statSync(join(dir, p)).mode & 0o777).toString(8);
  it('holds its secrets for the owner only, also after a restart on files left with looser modes', async () => {
    await cluster.idle();
    await waitFor('state.json written', async () => existsSync(join(dir, 'state.json')));
    const secrets = ['state.json', 'cluster.json', 'kubeconfig', 'tls/tls.key'];
    expect(Object.fromEntries(['.', 'tls', ...secrets].map((p) => [p, mode(p)]))).toEqual({
      '.': '700',
      tls: '700',
      'state.json': '600',
      'cluster.json': '600',
      kubeconfig: '600',
      'tls/tls.key': '600',
    });
    await cluster.stop();
    for (const p of ['.', 'tls']) chmodSync(join(dir, p), 0o755);
    for (const p of secrets) chmodSync(join(dir, p), 0o644);
    cluster = await startCluster({ dataDir: dir, scenario: miniScenario, timings: { rebootMs: 100, drainMs: 50 } });
    expect(Object.fromEntries(['.', 'tls', ...secrets].map((p) => [p, mode(p)]))).toEqual({
      '.': '700',
      tls: '700',
      'state.json': '600',
      'cluster.json': '600',
      kubeconfig: '600',
      'tls/tls.key': '600',
    });
  });
});
