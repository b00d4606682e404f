// ClusterRole aggregation, as kube-controller-manager's clusterrole-aggregation controller does it
// (pkg/controller/clusterroleaggregation): a ClusterRole with an aggregationRule gets as its rules the rules of every
// other ClusterRole its selectors pick, in name order, without duplicates. It runs at start and after every
// ClusterRole change, so a role labelled later widens the aggregate at once.
import type { KubeObject, Store } from '../types';
import { labelSelectorMatches, type LabelSelector, type PolicyRule } from './rules';

const byName = (a: KubeObject, b: KubeObject) =>
  a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;

/** The rules `role` aggregates from `all` (undefined when it has no aggregationRule). */
export function aggregatedRules(role: KubeObject, all: readonly KubeObject[]): PolicyRule[] | undefined {
  const selectors = (role.aggregationRule as { clusterRoleSelectors?: LabelSelector[] } | undefined)
    ?.clusterRoleSelectors;
  if (!role.aggregationRule) return undefined;
  const sorted = all.slice().sort(byName);
  const out: PolicyRule[] = [];
  const seen = new Set<string>();
  for (const sel of selectors ?? []) {
    for (const other of sorted) {
      if (other.metadata.name === role.metadata.name || !labelSelectorMatches(sel, other.metadata.labels)) continue;
      for (const r of (other.rules as PolicyRule[] | undefined) ?? []) {
        const key = JSON.stringify(r);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(r);
      }
    }
  }
  return out;
}

/** One pass over every aggregated ClusterRole; repeats while a pass changed something (aggregates of aggregates). */
export function aggregateClusterRoles(store: Store): void {
  for (let pass = 0; pass < 10; pass++) {
    let changed = false;
    const all = store.list('clusterroles');
    for (const role of all) {
      const rules = aggregatedRules(role, all);
      if (!rules || JSON.stringify(rules) === JSON.stringify(role.rules ?? [])) continue;
      store.update('clusterroles', role.metadata.name, undefined, (o) => {
        o.rules = rules;
      });
      changed = true;
    }
    if (!changed) return;
  }
}

/** Keep aggregated ClusterRoles up to date; returns the stop function. */
export function startAggregation(store: Store): () => void {
  aggregateClusterRoles(store);
  let queued = false;
  const unsubscribe = store.subscribe((e) => {
    if (e.resource !== 'clusterroles' || queued) return;
    queued = true;
    // After the write that triggered it, outside the store's listener loop.
    queueMicrotask(() => {
      queued = false;
      try {
        aggregateClusterRoles(store);
      } catch (err) {
        console.error('simulator: clusterrole aggregation failed:', err);
      }
    });
  });
  return unsubscribe;
}
