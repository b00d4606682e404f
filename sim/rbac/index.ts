// RBAC in the simulated cluster: the default policy, ClusterRole aggregation, and the authorizer over stored roles.
import type { Store } from '../types';
import { startAggregation } from './aggregation';
import { ensureBootstrapPolicy } from './bootstrap';

export { decide, rulesFor, type Decision } from './authorizer';

/** Create the missing default roles and bindings, then keep aggregated ClusterRoles current until stop(). */
export function startRbac(store: Store): { stop(): void } {
  ensureBootstrapPolicy(store);
  const stop = startAggregation(store);
  return { stop };
}
