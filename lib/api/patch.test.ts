import { describe, expect, it } from 'vitest';
import {
  applyToPool,
  applyToPools,
  coveredBy,
  indexPatch,
  EVENTS_KEPT,
  mergePatch,
  poolPatch,
  rowPatch,
  upsertEvents,
} from './patch';
import { row } from './testing-helpers';
import type { EventItem, PoolReply, PoolSummary, StreamDelta } from './types';

const summary = (over: Partial<PoolSummary> = {}): PoolSummary => ({
  name: 'worker',
  renderedConfig: 'rendered-worker-a',
  targetConfig: 'rendered-worker-a',
  paused: false,
  maxUnavailable: 1,
  machineCount: 2,
  readyMachineCount: 2,
  updatedMachineCount: 2,
  degradedMachineCount: 0,
  unavailableMachineCount: 0,
  conditions: [{ type: 'Updated', status: 'True', reason: '', message: '', lastTransitionTime: null }],
  creationTimestamp: null,
  ...over,
});

const event = (id: string, last: string, over: Partial<EventItem> = {}): EventItem => ({
  id,
  type: 'Normal',
  reason: 'SetDesiredConfig',
  message: id,
  object: 'MachineConfigPool/worker',
  count: 1,
  firstTimestamp: last,
  lastTimestamp: last,
  source: null,
  ...over,
});

const reply = (gen = 10): PoolReply => ({
  rev: { epoch: 'e1', gen },
  pool: summary(),
  nodes: [row('worker-0'), row('worker-1')],
  sources: [],
  selectors: { machineConfigSelector: null, nodeSelector: null },
  events: [event('ns/b', '2026-01-01T00:00:02Z'), event('ns/a', '2026-01-01T00:00:01Z')],
});

describe('rowPatch and poolPatch', () => {
  it('carry only the fields that changed, objects compared by value', () => {
    expect(rowPatch(row('n'), row('n'))).toBeNull();
    expect(
      rowPatch(
        row('n'),
        row('n', { state: 'Working', drain: { desired: 'drain-x', lastApplied: 'uncordon-rendered-worker-a' } }),
      ),
    ).toEqual({
      state: 'Working',
      drain: { desired: 'drain-x', lastApplied: 'uncordon-rendered-worker-a' },
    });
    expect(poolPatch(summary(), summary({ updatedMachineCount: 1, conditions: [] }))).toEqual({
      updatedMachineCount: 1,
      conditions: [],
    });
  });
  it('carry every field of a new object but its name', () => {
    expect(Object.keys(rowPatch(undefined, row('n'))!)).not.toContain('name');
    expect(rowPatch(undefined, row('n'))).toMatchObject({ state: 'Done', ready: true });
  });
  it('merge in order: later values win, earlier fields stay', () => {
    expect(mergePatch({ state: 'Working', ready: false }, { state: 'Done' })).toEqual({ state: 'Done', ready: false });
    expect(mergePatch(undefined, { ready: true })).toEqual({ ready: true });
  });
});

describe('applyToPool', () => {
  const d = (over: Partial<StreamDelta>): StreamDelta => ({ seq: 1, gen: 11, ...over });

  it('patches the rows of its pool, its counts and its events; the rows not named are the same objects', () => {
    const r = reply();
    const out = applyToPool(
      r,
      d({
        rows: [
          { name: 'worker-1', pool: 'worker', gen: 11, set: { state: 'Working', unschedulable: true } },
          { name: 'infra-0', pool: 'infra', gen: 11, set: { state: 'Working' } },
        ],
        pools: [
          { name: 'worker', gen: 11, set: { updatedMachineCount: 1 } },
          { name: 'master', gen: 11, set: { machineCount: 9 } },
        ],
        events: [{ pool: 'worker', gen: 11, item: event('ns/a', '2026-01-01T00:00:03Z', { count: 2 }) }],
      }),
      'e1',
    );
    expect(out.nodes[0]).toBe(r.nodes[0]);
    expect(out.nodes[1]).toEqual(row('worker-1', { state: 'Working', unschedulable: true }));
    expect(out.pool).toEqual(summary({ updatedMachineCount: 1 }));
    expect(out.events.map((e) => [e.id, e.count])).toEqual([
      ['ns/a', 2],
      ['ns/b', 1],
    ]);
    expect(out.rev).toEqual(r.rev); // only a fetch claims a newer generation
    expect(r.nodes[1].state).toBe('Done'); // the held reply is not mutated
  });

  it('returns the same reply when nothing of it changed', () => {
    const r = reply();
    expect(applyToPool(r, d({ rows: [{ name: 'x', pool: 'infra', gen: 11, set: { ready: false } }] }), 'e1')).toBe(r);
  });

  it('skips what the reply already holds (fetched after the change), from the same cache only', () => {
    const r = reply(20);
    const delta = d({ gen: 25, rows: [{ name: 'worker-0', pool: 'worker', gen: 15, set: { state: 'Working' } }] });
    expect(applyToPool(r, delta, 'e1')).toBe(r);
    expect(applyToPool(r, delta, 'e2').nodes[0].state).toBe('Working');
    expect(coveredBy(undefined, 'e1', 1)).toBe(false);
  });

  it("patches the page's sources when a pool's sources change, and cuts a row to its index fields", () => {
    const r = reply(10);
    const page = { sources: ['00-worker', '99-new'], selectors: { machineConfigSelector: null, nodeSelector: null } };
    const out = applyToPool(r, d({ gen: 12, pools: [{ name: 'worker', gen: 12, page }] }), 'e1');
    expect(out.sources).toEqual(['00-worker', '99-new']);
    expect(out.pool).toBe(r.pool);
    expect(indexPatch({ state: 'Working', reason: '', drain: { desired: 'x', lastApplied: null } })).toEqual({
      set: { state: 'Working' },
      dropped: true,
    });
    expect(indexPatch({ ready: false, zone: 'a' })).toEqual({ set: { ready: false, zone: 'a' }, dropped: false });
  });

  it('applies a pool count held back by its window after a later row, in the same generation', () => {
    // The lost patch of issue 13: a row (change 50) went out first; the pool's count (change 48) was held by its
    // coalescing window and went out next, with no cache change in between. Both must land.
    const r = reply(40);
    const first = applyToPool(
      r,
      d({ seq: 1, gen: 50, rows: [{ name: 'worker-0', pool: 'worker', gen: 50, set: { state: 'Done' } }] }),
      'e1',
    );
    const second = applyToPool(
      first,
      d({ seq: 2, gen: 50, pools: [{ name: 'worker', gen: 48, set: { degradedMachineCount: 1 } }] }),
      'e1',
    );
    expect(second.nodes[0].state).toBe('Done');
    expect(second.pool.degradedMachineCount).toBe(1);
  });
});

describe('applyToPools and upsertEvents', () => {
  it('patches the overview pool summaries', () => {
    const r = {
      rev: { epoch: 'e1', gen: 1 },
      pools: [summary(), summary({ name: 'master' })],
      attention: [],
      poolAttention: [],
    };
    const out = applyToPools(r, { seq: 1, gen: 2, pools: [{ name: 'master', gen: 2, set: { paused: true } }] }, 'e1');
    expect(out.pools[0]).toBe(r.pools[0]);
    expect(out.pools[1].paused).toBe(true);
    expect(applyToPools(r, { seq: 1, gen: 2 }, 'e1')).toBe(r);
  });
  it('derives the pool attention again from the patched summaries (paused with a new config waiting)', () => {
    const r = {
      rev: { epoch: 'e1', gen: 1 },
      pools: [summary(), summary({ name: 'master' })],
      attention: [],
      poolAttention: [],
    };
    const set = { paused: true, renderedConfig: 'rendered-master-a', targetConfig: 'rendered-master-b' };
    const out = applyToPools(r, { seq: 1, gen: 2, pools: [{ name: 'master', gen: 2, set }] }, 'e1');
    expect(out.poolAttention.map((a) => [a.pool, a.kind])).toEqual([['master', 'paused-pending']]);
    const resumed = applyToPools(
      out,
      { seq: 2, gen: 3, pools: [{ name: 'master', gen: 3, set: { paused: false } }] },
      'e1',
    );
    expect(resumed.poolAttention).toEqual([]);
  });
  it('keeps events newest first and at most EVENTS_KEPT', () => {
    const many = Array.from({ length: EVENTS_KEPT }, (_, i) =>
      event(`ns/${i}`, `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`),
    ).reverse();
    const out = upsertEvents(many, [event('ns/new', '2026-01-01T00:01:00Z')]);
    expect(out).toHaveLength(EVENTS_KEPT);
    expect(out[0].id).toBe('ns/new');
    expect(out.at(-1)!.id).toBe('ns/1');
  });
});
