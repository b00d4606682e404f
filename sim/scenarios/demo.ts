// The cluster `npm run demo` serves: OpenShift 4.20 (NodeDisruptionPolicy GA since 4.17, MachineConfigNode GA in
// 4.20, with that release's daemon and controller behaviour) with pools master (3 nodes), worker (3) and infra (2),
// MachineConfigs shaped like a real cluster's plus a few administrator configs, and one worker whose
// /etc/mco/proxy.env was edited by hand, so the first screen has drift to look at and fix. Older releases
// (4.14, 4.16) are a scenario file with `version:` away.
import type { Scenario } from './types';
import { builtInRoleConfigs } from './demo-content/generated-configs';
import { demoNodes, demoPools } from './demo-content/topology';
import { infraUserConfigs, workerUserConfigs } from './demo-content/user-configs';

export const DEMO_VERSION = '4.20.0';

/** The node and file the demo starts drifted on. */
export const DEMO_DRIFT = {
  node: 'worker-1',
  path: '/etc/mco/proxy.env',
  append: 'HTTPS_PROXY=http://proxy.example.com:3128\n',
} as const;

/**
 * `--scenario demo-pool-drift`: the same hand edit on two more workers, as a playbook run on every worker leaves it,
 * so the pool drift view (/pools/worker/drift) has a group of two nodes to fix beside worker-1's own drift.
 */
export const DEMO_SHARED_DRIFT = {
  nodes: ['worker-0', 'worker-2'],
  path: '/etc/sysctl.d/inotify.conf',
  append: 'fs.inotify.max_user_watches = 1048576\n',
} as const;

/** A fresh copy of the demo cluster's content on every call (callers may mutate what they get). */
export function demoScenario(opts: { sharedDrift?: boolean } = {}): Scenario {
  const shared = opts.sharedDrift
    ? DEMO_SHARED_DRIFT.nodes.map((node) => ({ node, path: DEMO_SHARED_DRIFT.path, append: DEMO_SHARED_DRIFT.append }))
    : [];
  const machineConfigs = [
    ...builtInRoleConfigs('master'),
    ...builtInRoleConfigs('worker'),
    ...workerUserConfigs(),
    ...infraUserConfigs(),
  ].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  return {
    machineConfigs,
    pools: demoPools(),
    nodes: demoNodes(),
    drift: [{ ...DEMO_DRIFT }, ...shared],
    version: DEMO_VERSION,
  };
}
