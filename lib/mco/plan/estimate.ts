// How long a rollout may take, from the pool's own recent history: the node controller's pool Events
// `Updating` ("Pool <p> now targeting <config>") and `Completed` ("Pool <p> has completed update to <config>")
// (MCO pkg/controller/node/node_controller.go) bracket each past rollout. The time per batch of the last completed
// one, times the batches of this one. A past rollout that rebooted says little about one that only reloads a service
// (and the reverse): the basis says which rollout the figure comes from.
import type { MachineConfigPool } from '../types';
import type { RolloutPlan } from './rollout';

/** The fields of a Kubernetes Event the estimate reads. */
export interface PlanEvent {
  reason: string;
  message: string;
  involvedKind: string;
  involvedName: string;
  firstTimestamp: string | null;
  lastTimestamp: string | null;
}

export interface RolloutEstimate {
  seconds: number;
  /** In words: which past rollout the figure comes from. */
  basis: string;
}

const TARGETING = /^Pool (\S+) now targeting (\S+)$/;
const COMPLETED = /^Pool (\S+) has completed update to (\S+)$/;

export function estimateRollout(
  pool: MachineConfigPool,
  poolSize: number,
  rollout: RolloutPlan,
  events: PlanEvent[],
): RolloutEstimate | null {
  const name = pool.metadata.name;
  const started = new Map<string, number>();
  let best: { config: string; seconds: number; at: number } | null = null;
  for (const e of events) {
    if (e.involvedKind !== 'MachineConfigPool' || e.involvedName !== name) continue;
    const t = Date.parse((e.reason === 'Updating' ? e.firstTimestamp : e.lastTimestamp) ?? e.lastTimestamp ?? '');
    if (Number.isNaN(t)) continue;
    const s = TARGETING.exec(e.message);
    if (e.reason === 'Updating' && s && s[1] === name) started.set(s[2], t);
  }
  for (const e of events) {
    if (e.involvedKind !== 'MachineConfigPool' || e.involvedName !== name || e.reason !== 'Completed') continue;
    const c = COMPLETED.exec(e.message);
    const end = Date.parse(e.lastTimestamp ?? e.firstTimestamp ?? '');
    const begin = c ? started.get(c[2]) : undefined;
    if (!c || begin === undefined || Number.isNaN(end) || end < begin) continue;
    if (!best || end > best.at) best = { config: c[2], seconds: (end - begin) / 1000, at: end };
  }
  const batches = rollout.batches.length;
  if (!best || batches === 0 || poolSize === 0) return null;
  const pastBatches = Math.max(1, Math.ceil(poolSize / rollout.maxUnavailable));
  const perBatch = best.seconds / pastBatches;
  return {
    seconds: Math.round(perBatch * batches),
    basis: `the rollout to ${best.config} took ${Math.round(best.seconds)} s for ${poolSize} node(s), ${rollout.maxUnavailable} at a time`,
  };
}
