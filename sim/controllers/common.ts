// What the simulated controllers share: identities, the condition setter the MCO uses, store subscriptions.
import { isEmptySelector, matchesSelector, MCO_API_VERSION } from '@/lib/mco';
import type { Condition, LabelSelector } from '@/lib/mco/types';
import type { KubeObject, Store } from '../types';

/** The MCO git sha the simulated controllers claim to be (generated-by-controller-version). */
export const CONTROLLER_VERSION = '8f3c7d1e2b4a59606f1e0d9c8b7a6f5e4d3c2b1a';

export const Components = {
  render: 'machineconfigcontroller-rendercontroller',
  node: 'machineconfigcontroller-nodecontroller',
  drain: 'machineconfigcontroller-drain-controller',
} as const;

export interface ControllerOptions {
  store: Store;
  /** OpenShift version of the cluster, e.g. `4.16.0` (release-image-version, pool status message formats). */
  version: string;
  log?: (message: string) => void;
}

export interface Controller {
  /** Resolves once no work is queued or running. */
  idle(): Promise<void>;
  stop(): void;
}

/**
 * SetMachineConfigPoolCondition: a changed status removes the old condition and appends the new one (so the list
 * order changes); an unchanged status keeps lastTransitionTime.
 */
export function setCondition(conditions: Condition[] | undefined, next: Condition, now: string): Condition[] {
  const list = conditions ? [...conditions] : [];
  const i = list.findIndex((c) => c.type === next.type);
  const old = i >= 0 ? list[i] : undefined;
  if (
    old &&
    old.status === next.status &&
    (old.reason ?? '') === (next.reason ?? '') &&
    (old.message ?? '') === (next.message ?? '')
  ) {
    return list;
  }
  const lastTransitionTime = old && old.status === next.status ? old.lastTransitionTime : now;
  if (i >= 0) list.splice(i, 1);
  list.push({
    lastTransitionTime,
    message: next.message ?? '',
    reason: next.reason ?? '',
    status: next.status,
    type: next.type,
  });
  return list;
}

/** A Kubernetes timestamp (seconds precision, as the API server serialises metav1.Time). */
export function nowTimestamp(now = new Date()): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** labels.Selector String() of a LabelSelector (shared with the console's plans). */
export { selectorString } from '@/lib/mco/plan/render-pool';

export function involvedPool(pool: KubeObject) {
  return { kind: 'MachineConfigPool', name: pool.metadata.name, uid: pool.metadata.uid, apiVersion: MCO_API_VERSION };
}

export function involvedNode(node: KubeObject) {
  return { kind: 'Node', name: node.metadata.name, uid: node.metadata.uid, apiVersion: 'v1' };
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Whether a node with these labels is selected by the pool's nodeSelector (an empty selector selects none). */
export function matchesAnyPool(
  pool: { spec: { nodeSelector?: LabelSelector } },
  labels: Record<string, string> | undefined,
): boolean {
  const sel = pool.spec.nodeSelector;
  if (isEmptySelector(sel)) return false;
  return matchesSelector(sel, labels ?? {});
}
