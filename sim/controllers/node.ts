// The node controller (MCO pkg/controller/node/node_controller.go and status.go): pool status from the pool's
// nodes, first-boot annotations for new nodes, the UpdateInProgress taint, and the rollout of a new target config
// within maxUnavailable. The pool events name the target as `MachineConfig <name>` (MCO
// pkg/controller/node/status.go getPoolUpdateLine).
import { calculatePoolStatus, poolMembership } from '@/lib/mco';
import { NodeAnnotations as A, type MachineConfigNode, type MachineConfigPool, type Node } from '@/lib/mco/types';
import { recordEvent } from '../events';
import { asKind, at, type RawMachineConfigNode, type RawNode, type RawPool } from '../raw';
import type { KubeObject } from '../types';
import {
  Components,
  type Controller,
  type ControllerOptions,
  errorMessage,
  involvedPool,
  matchesAnyPool,
  nowTimestamp,
} from './common';
import { createWorkQueue } from './queue';
import { isNodeFailing, isNodeReady, isNodeUnavailable, maxUnavailable, rolloutOrder } from '@/lib/mco/plan/rollout';

export const UPDATE_IN_PROGRESS_TAINT = 'UpdateInProgress';

const ann = (n: Node, key: string): string => n.metadata.annotations?.[key] ?? '';

// Readiness, maxUnavailable and the candidate order are shared with the console's plans (lib/mco/plan/rollout.ts).
export { isNodeReady, maxUnavailable };
const isFailing = isNodeFailing;
const isUnavailable = isNodeUnavailable;

/** Which nodes to target now, and how many (getAllCandidateMachines). */
export function rolloutCandidates(pool: MachineConfigPool, nodes: Node[]): Node[] {
  const target = pool.spec.configuration?.name;
  if (!target || pool.spec.paused) return [];
  const managed = nodes.filter((n) => ann(n, A.currentConfig) !== '');
  const unavailable = managed.filter(isUnavailable).length;
  let capacity = maxUnavailable(pool, nodes.length) - unavailable;
  if (capacity <= 0) return [];
  const failingThisConfig = managed.filter((n) => ann(n, A.desiredConfig) === target && isFailing(n)).length;
  capacity -= failingThisConfig;
  if (capacity <= 0) return [];
  const candidates = managed.filter((n) => ann(n, A.desiredConfig) !== target && isNodeReady(n));
  return candidates.sort(rolloutOrder).slice(0, capacity);
}

export function startNodeController(opts: ControllerOptions & { debounceMs?: number; mcn?: boolean }): Controller {
  const { store, version } = opts;
  const log = opts.log ?? (() => {});

  let reported = new Set<string>();
  const getNode = (name: string) => store.get('nodes', name) as unknown as Node | undefined;

  const updateNode = (name: string, mutate: (n: RawNode) => void) => {
    try {
      store.update('nodes', name, undefined, (o) => mutate(asKind<RawNode>(o)));
    } catch (err) {
      log(`node ${name}: ${errorMessage(err)}`);
    }
  };

  const syncPool = (poolObj: KubeObject, members: Node[]) => {
    const pool = poolObj as unknown as MachineConfigPool;
    const name = pool.metadata.name;
    const target = pool.spec.configuration?.name;

    if (target) {
      // New nodes: the MCS serves the pool's target at first boot and writes these annotations.
      for (const n of members) {
        if (ann(n, A.currentConfig) !== '' || ann(n, A.desiredConfig) !== '') continue;
        updateNode(n.metadata.name, (o) => {
          o.metadata.annotations = {
            ...(o.metadata.annotations ?? {}),
            [A.currentConfig]: target,
            [A.desiredConfig]: target,
            [A.state]: 'Done',
            [A.reason]: '',
          };
        });
      }

      const before = members.map((n) => getNode(n.metadata.name)).filter((n): n is Node => !!n);
      const chosen = rolloutCandidates(pool, before);
      if (chosen.length > 0) {
        const firstOfRollout = !before.some((n) => ann(n, A.desiredConfig) === target);
        for (const n of chosen) {
          updateNode(n.metadata.name, (o) => {
            o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [A.desiredConfig]: target };
          });
          if (opts.mcn && store.get('machineconfignodes', n.metadata.name)) {
            try {
              store.update('machineconfignodes', n.metadata.name, undefined, (raw) => {
                const m = asKind<RawMachineConfigNode>(raw);
                m.spec = { ...m.spec, configVersion: { ...m.spec?.configVersion, desired: target } };
              });
            } catch (err) {
              log(`mcn ${n.metadata.name}: ${errorMessage(err)}`);
            }
          }
        }
        if (firstOfRollout) {
          recordEvent(store, {
            ...involvedPool(poolObj),
            type: 'Normal',
            reason: 'Updating',
            message: `Pool ${name} now targeting MachineConfig ${target}`,
            component: Components.node,
          });
        }
        recordEvent(store, {
          ...involvedPool(poolObj),
          type: 'Normal',
          reason: 'SetDesiredConfig',
          message:
            chosen.length === 1
              ? `Targeted node ${chosen[0].metadata.name} to MachineConfig: ${target}`
              : `Set target for ${chosen.length} nodes to MachineConfig: ${target}`,
          component: Components.node,
        });
        log(`pool ${name}: targeted ${chosen.map((n) => n.metadata.name).join(', ')} to ${target}`);
      }

      // UpdateInProgress taint on every node not yet targeted at the pool's config.
      for (const n of members) {
        const fresh = getNode(n.metadata.name);
        if (!fresh) continue;
        const tainted = (fresh.spec?.taints ?? []).some((t) => t.key === UPDATE_IN_PROGRESS_TAINT);
        const wants = ann(fresh, A.desiredConfig) !== target;
        if (tainted === wants) continue;
        updateNode(n.metadata.name, (o) => {
          o.spec = o.spec ?? {};
          const rest = (o.spec.taints ?? []).filter((t) => t.key !== UPDATE_IN_PROGRESS_TAINT);
          if (wants) rest.push({ key: UPDATE_IN_PROGRESS_TAINT, effect: 'PreferNoSchedule' });
          if (rest.length > 0) o.spec.taints = rest;
          else delete o.spec.taints;
        });
      }
    }

    const nodes = members.map((n) => getNode(n.metadata.name)).filter((n): n is Node => !!n);
    const machineConfigNodes = opts.mcn
      ? (store.list('machineconfignodes') as unknown as MachineConfigNode[]).filter((m) => m.spec?.pool?.name === name)
      : undefined;
    const result = calculatePoolStatus(pool, nodes, { version, machineConfigNodes, now: nowTimestamp() });
    const previousConfig = pool.status?.configuration?.name;
    store.update('machineconfigpools', name, undefined, (raw) => {
      const p = asKind<RawPool>(raw);
      const status = { ...(p.status ?? {}) };
      status.observedGeneration = result.observedGeneration ?? p.metadata.generation;
      if (result.configuration) status.configuration = result.configuration;
      status.machineCount = result.machineCount;
      status.updatedMachineCount = result.updatedMachineCount;
      status.readyMachineCount = result.readyMachineCount;
      status.unavailableMachineCount = result.unavailableMachineCount;
      status.degradedMachineCount = result.degradedMachineCount;
      status.conditions = result.conditions;
      p.status = status;
    });
    const doneWith = result.configuration?.name;
    if (target && doneWith === target && previousConfig && previousConfig !== target) {
      recordEvent(store, {
        ...involvedPool(poolObj),
        type: 'Normal',
        reason: 'Completed',
        message: `Pool ${name} has completed update to MachineConfig ${target}`,
        component: Components.node,
      });
    }
  };

  // Each pass walks every node of the dirty pools: batch more changes per pass in large clusters.
  const debounce = opts.debounceMs ?? (store.list('nodes').length > 1000 ? 250 : 75);
  const queue = createWorkQueue(
    debounce,
    (keys) => {
      const pools = store.list('machineconfigpools') as unknown as MachineConfigPool[];
      const nodes = store.list('nodes') as unknown as Node[];
      const { byPool, errors } = poolMembership(pools, nodes);
      for (const e of errors) {
        if (!reported.has(e.message)) log(e.message);
      }
      reported = new Set(errors.map((e) => e.message));
      for (const pool of pools) {
        if (!keys.has(pool.metadata.name)) continue;
        try {
          syncPool(pool as unknown as KubeObject, byPool[pool.metadata.name] ?? []);
        } catch (err) {
          log(`node controller, pool ${pool.metadata.name}: ${errorMessage(err)}`);
        }
      }
    },
    (err) => log(`node controller: ${errorMessage(err)}`),
  );

  const markPoolsOf = (labels: Record<string, string> | undefined) => {
    for (const pool of store.list('machineconfigpools') as unknown as MachineConfigPool[]) {
      if (matchesAnyPool(pool, labels)) queue.add(pool.metadata.name);
    }
  };

  const renderDegraded = (o: KubeObject | undefined) =>
    JSON.stringify(
      ((o && asKind<RawPool>(o).status?.conditions) ?? []).find((c) => c.type === 'RenderDegraded') ?? null,
    );

  const unsubscribe = store.subscribe((e) => {
    if (e.resource === 'nodes') {
      markPoolsOf(e.object.metadata.labels);
      if (e.previous) markPoolsOf(e.previous.metadata.labels);
    } else if (e.resource === 'machineconfigpools') {
      if (e.type === 'DELETED') return;
      const prev = e.previous;
      if (
        !prev ||
        JSON.stringify(prev.spec) !== JSON.stringify(e.object.spec) ||
        renderDegraded(prev) !== renderDegraded(e.object)
      ) {
        queue.add(e.object.metadata.name);
      }
    } else if (e.resource === 'machineconfignodes' && opts.mcn) {
      const pool = at(e.object, 'spec', 'pool', 'name');
      if (typeof pool === 'string') queue.add(pool);
    }
  });
  for (const pool of store.list('machineconfigpools')) queue.add(pool.metadata.name);

  return {
    idle: () => queue.idle(),
    stop() {
      unsubscribe();
      queue.stop();
    },
  };
}
