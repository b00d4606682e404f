// Start one simulated cluster (the demo scenario, 1 s reboots) and two consoles against it: the admin context and
// the viewer context (who may not act). Their URLs reach the tests through the environment; teardown stops all three.
import type { FullConfig } from '@playwright/test';
import { startConsole, type ConsoleProcess } from '../tests/console-process';
import { startSim, type SimProcess } from '../tests/sim-process';

export default async function globalSetup(_config: FullConfig) {
  const sim: SimProcess = await startSim(['--scenario', 'demo', '--reboot-seconds', '1', '--drain-seconds', '0.2']);
  const consoles: ConsoleProcess[] = [];
  const stopAll = async () => {
    await Promise.allSettled(consoles.map((c) => c.stop()));
    await sim.stop({ removeData: true });
  };
  try {
    const [admin, viewer] = await Promise.all([
      startConsole({ kubeconfig: sim.kubeconfigPath, context: 'admin' }),
      startConsole({ kubeconfig: sim.kubeconfigPath, context: 'viewer' }),
    ]);
    consoles.push(admin, viewer);
    process.env.PLUMB_E2E_ADMIN_URL = admin.url.replace(/\/$/, '');
    process.env.PLUMB_E2E_VIEWER_URL = viewer.url.replace(/\/$/, '');
    process.env.PLUMB_E2E_SIM_DATA = sim.dataDir;
    process.env.PLUMB_E2E_KUBECONFIG = sim.kubeconfigPath;
  } catch (e) {
    await stopAll();
    throw e;
  }
  return stopAll;
}
