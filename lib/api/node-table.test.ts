import { elementScroll, observeElementOffset, observeElementRect, Virtualizer } from '@tanstack/react-virtual';
import { describe, expect, it } from 'vitest';
import {
  filterCounts,
  FIRST_SCREEN_ROWS,
  nodeTableView,
  OVERSCAN,
  ROW_HEIGHT,
  tableRows,
  VIEWPORT_HEIGHT,
} from './node-table';
import { row } from './testing-helpers';

const view = (q: Record<string, string>) => nodeTableView((k) => q[k]);

describe('the node table view of a URL', () => {
  it('reads ?state=, ?q= and ?sort=, and falls back on unknown values', () => {
    expect(view({ state: 'not-ready', q: 'w-1', sort: '-zone' })).toEqual({
      filter: 'Not ready',
      text: 'w-1',
      sort: { key: 'zone', asc: false },
    });
    expect(view({ state: 'bogus', sort: 'secret' })).toEqual({
      filter: 'All',
      text: '',
      sort: { key: 'name', asc: true },
    });
  });

  it('filters, then orders names as a person reads them (worker-2 before worker-10)', () => {
    const nodes = [
      row('worker-10'),
      row('worker-2', { state: 'Degraded' }),
      row('worker-1', { state: 'Unreconcilable' }),
      row('infra-0', { ready: false }),
    ];
    expect(tableRows(nodes, view({})).map((n) => n.name)).toEqual(['infra-0', 'worker-1', 'worker-2', 'worker-10']);
    expect(tableRows(nodes, view({ state: 'degraded', sort: '-name' })).map((n) => n.name)).toEqual([
      'worker-2',
      'worker-1',
    ]);
    expect(tableRows(nodes, view({ q: 'WORKER-1' })).map((n) => n.name)).toEqual(['worker-1', 'worker-10']);
    expect(nodes[0].name).toBe('worker-10'); // the input is left as it was
    expect(filterCounts(nodes)).toEqual({ All: 4, Degraded: 2, Working: 0, Done: 2, 'Not ready': 1 });
  });
});

describe("a pool page's first screen", () => {
  it('holds every row the virtual table renders before it has measured its viewport', () => {
    const v = new Virtualizer<HTMLDivElement, Element>({
      count: 5000,
      getScrollElement: () => null,
      estimateSize: () => ROW_HEIGHT,
      overscan: OVERSCAN,
      initialRect: { width: 0, height: VIEWPORT_HEIGHT },
      scrollToFn: elementScroll,
      observeElementRect,
      observeElementOffset,
    });
    const items = v.getVirtualItems();
    expect(items[0].index).toBe(0);
    expect(items.length).toBeGreaterThan(VIEWPORT_HEIGHT / ROW_HEIGHT);
    expect(items.length).toBeLessThanOrEqual(FIRST_SCREEN_ROWS);
  });
});
