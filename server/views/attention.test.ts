// A paused pool with a config waiting needs attention; a paused pool without one, or a running pool, does not.
import { describe, expect, it } from 'vitest';
import type { PoolSummary } from '../../lib/api/types';
import { poolAttention } from './pools';

const pool = (over: Partial<PoolSummary>): PoolSummary => ({
  name: 'infra',
  renderedConfig: 'rendered-infra-a',
  targetConfig: 'rendered-infra-a',
  paused: false,
  maxUnavailable: 1,
  machineCount: 2,
  readyMachineCount: 2,
  updatedMachineCount: 2,
  degradedMachineCount: 0,
  unavailableMachineCount: 0,
  conditions: [],
  creationTimestamp: null,
  ...over,
});

describe('poolAttention', () => {
  it('names a paused pool whose target differs from what its nodes run', () => {
    const [a] = poolAttention(pool({ paused: true, targetConfig: 'rendered-infra-b' }));
    expect(a).toMatchObject({
      pool: 'infra',
      kind: 'paused-pending',
      renderedConfig: 'rendered-infra-a',
      targetConfig: 'rendered-infra-b',
    });
    expect(a!.summary).toContain('paused with a new config waiting');
  });
  it('leaves out a paused pool with nothing waiting and a running pool mid-update', () => {
    expect(poolAttention(pool({ paused: true }))).toEqual([]);
    expect(poolAttention(pool({ targetConfig: 'rendered-infra-b' }))).toEqual([]);
  });
});
