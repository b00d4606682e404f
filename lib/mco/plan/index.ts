// lib/mco/plan: what a proposed MachineConfig change would do, before anything is written. Pure.
//   planChange({version, machineConfigs, pools, nodes, machineConfiguration, events, change: {apply, delete}}) → Plan:
//     per pool whose selector the change touches: the new rendered config (named as the MCO names it), its diff,
//     the daemon's actions and drain, the render controller's refusal, the rollout batches, a time estimate.
//   renderPool(pool, configs, version, current): one render controller pass (the simulator's render controller uses it).
//   planRollout(pool, nodes, target), rolloutOrder, maxUnavailable, isNodeReady: the node controller's order
//     (the simulator's node controller uses them).
//   adoptFile(...): a MachineConfig that declares what a drifted node has (adopt drift).
export {
  planChange,
  checkProposed,
  clusterVersionOf,
  PlanInputError,
  MC_API_VERSION,
  type Plan,
  type PoolPlan,
  type PlanAction,
  type PlanItem,
  type PlanInput,
  type ProposedChange,
} from './plan';
export { renderPool, selectorString, type PoolRender } from './render-pool';
export { planRollout, rolloutOrder, maxUnavailable, isNodeReady, type RolloutPlan } from './rollout';
export { estimateRollout, type PlanEvent, type RolloutEstimate } from './estimate';
export { adoptFile, toDataUrl, pathSlug, poolRole, type Adoption, type AdoptInput } from './adopt';
