// The cache against a real simulator: it syncs, and a watch from a resourceVersion the server no longer has
// (410 Expired) makes the informer relist instead of failing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type SimProcess } from '../tests/sim-process';
import { ClusterCache } from './cache';
import { readConfig } from './config';

let sim: SimProcess;
let cache: ClusterCache;

beforeAll(async () => {
  // Restart once on the same data folder and port: the new process's watch history starts at its current
  // resourceVersion, so older resourceVersions are gone (as after an etcd compaction).
  const first = await startSim(['--scenario', 'mini']);
  const port = new URL(first.url).port;
  await first.stop();
  sim = await startSim(['--port', port], { dataDir: first.dataDir });
  (globalThis as any)[Symbol.for('plumb.config')] = readConfig({
    PLUMB_KUBECONFIG: sim.kubeconfigPath,
  } as unknown as NodeJS.ProcessEnv);
  cache = new ClusterCache();
  cache.start();
  await cache.requireConnected(30_000);
}, 120_000);

afterAll(async () => {
  await cache?.stop();
  await sim?.stop({ removeData: true });
});

describe('ClusterCache against the simulator', () => {
  it('syncs every kind it watches', () => {
    expect(cache.getStatus()).toEqual({ connected: true, message: null });
    expect(cache.pools.has('worker')).toBe(true);
    expect(cache.poolNodeNames('worker').length).toBeGreaterThan(0);
    expect(cache.machineConfigs.size).toBeGreaterThan(2);
    const n = cache.poolNodeNames('worker')[0];
    expect(cache.daemonPodFor(n)?.name).toMatch(/^machine-config-daemon-/);
  });

  it('relists after a watch gets 410 Expired', async () => {
    const node = (cache as any).watch.informers.find((s: any) => s.kind === 'Node');
    const listsBefore = node.lists;
    const names = [...cache.nodes.keys()].sort();
    // Pretend the last event seen was long ago, and drop the current watch: the informer re-watches from there.
    node.informer.resourceVersion = '1';
    node.informer._stop();
    const deadline = Date.now() + 20_000;
    while (node.lists === listsBefore || !cache.getStatus().connected) {
      if (Date.now() > deadline) throw new Error('no relist after the 410');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(node.lists).toBe(listsBefore + 1);
    expect(node.informer.resourceVersion).not.toBe('1');
    expect([...cache.nodes.keys()].sort()).toEqual(names);
  });
});
