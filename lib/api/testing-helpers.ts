// Small builders for lib/api tests (not used by the application).
import type { PoolNode } from './types';

/** A pool's node row: Done on rendered-worker-a, Ready, schedulable, unless `over` says otherwise. */
export const row = (name: string, over: Partial<PoolNode> = {}): PoolNode => ({
  name,
  state: 'Done',
  reason: '',
  currentConfig: 'rendered-worker-a',
  desiredConfig: 'rendered-worker-a',
  ready: true,
  unschedulable: false,
  drain: { desired: 'uncordon-rendered-worker-a', lastApplied: 'uncordon-rendered-worker-a' },
  phase: null,
  zone: 'us-east-1a',
  ...over,
});
