// A 4.20 cluster (MachineConfigNodes served): the simulator's daemon reports drift on the node's
// MachineConfigNode, the pool's NodeDegraded message lists the node twice as the 4.20 controller does
// (MCO pkg/controller/node/status.go calculateStatus), and the console shows the MachineConfigNode phases on the node view.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { NodeReply, PoolReply } from '@/lib/api/types';
import { startConsole, type ConsoleProcess } from './console-process';
import { waitFor } from './sim-helpers';
import { MINI, startSim, type SimProcess } from './sim-process';

let sim: SimProcess;
let con: ConsoleProcess;
const NODE = 'mini-worker-0';

beforeAll(async () => {
  sim = await startSim([...MINI, '--ocp-version', '4.20.0']);
  con = await startConsole({ kubeconfig: sim.kubeconfigPath });
});

afterAll(async () => {
  await con?.stop();
  await sim?.stop({ removeData: true });
});

const get = async <T>(path: string): Promise<T> => {
  const r = await fetch(`${con.url}${path}`);
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
};

it('shows the MachineConfigNode phases and the 4.20 degraded messages for a drifted node', async () => {
  const file = join(sim.dataDir, 'nodes', NODE, 'rootfs/etc/mco/proxy.env');
  const settled = await waitFor(
    'phases served',
    async () => {
      const n = await get<NodeReply>(`/api/nodes/${NODE}`);
      return n.state === 'Done' && n.machineConfigNode?.phases.length ? n : undefined;
    },
    20_000,
    200,
  );
  expect(settled.machineConfigNode!.currentConfig).toBe(settled.currentConfig);
  expect(settled.machineConfigNode!.phases.find((p) => p.type === 'NodeDegraded')?.status).toBe('False');

  const original = readFileSync(file, 'utf8');
  appendFileSync(file, 'NO_PROXY=oops\n');
  // The reason that stays: the preflight retry's wrapped form, within seconds of the monitor's bare one.
  const reason = `unexpected on-disk state validating against ${settled.currentConfig}: content mismatch for file "/etc/mco/proxy.env"`;
  const node = await waitFor(
    'MCN NodeDegraded',
    async () => {
      const n = await get<NodeReply>(`/api/nodes/${NODE}`);
      const degraded = n.machineConfigNode?.phases.find((p) => p.type === 'NodeDegraded');
      return degraded?.status === 'True' && degraded.message.endsWith(reason) ? n : undefined;
    },
    20_000,
    200,
  );
  expect(node.state).toBe('Degraded');
  expect(node.reason).toBe(reason);
  expect(node.machineConfigNode!.phases.find((p) => p.type === 'NodeDegraded')!.message).toBe(
    `Node ${NODE} upgrade failure. ${reason}`,
  );

  const pool = await waitFor(
    'pool NodeDegraded',
    async () => {
      const p = await get<PoolReply>('/api/pools/worker');
      const c = p.pool.conditions.find((x) => x.type === 'NodeDegraded');
      return c?.status === 'True' && c.message?.includes(JSON.stringify(reason)) ? p : undefined;
    },
    10_000,
    200,
  );
  const nodeDegraded = pool.pool.conditions.find((c) => c.type === 'NodeDegraded')!;
  expect(nodeDegraded.reason).toBe('1 nodes are reporting degraded status on sync');
  const quoted = (s: string) => JSON.stringify(s); // Go's %q of these ASCII strings
  expect(nodeDegraded.message).toBe(
    `Node ${NODE} is reporting: ${quoted(`Node ${NODE} upgrade failure. ${reason}`)}, Node ${NODE} is reporting: ${quoted(reason)}`,
  );
  // From 4.19 the pool's Degraded condition carries the NodeDegraded message too.
  expect(pool.pool.conditions.find((c) => c.type === 'Degraded')!.message).toBe(nodeDegraded.message);

  writeFileSync(file, original);
  await waitFor(
    'MCN recovered',
    async () => {
      const n = await get<NodeReply>(`/api/nodes/${NODE}`);
      return (
        n.state === 'Done' && n.machineConfigNode?.phases.find((p) => p.type === 'NodeDegraded')?.status === 'False'
      );
    },
    10_000,
    200,
  );
}, 90_000);
