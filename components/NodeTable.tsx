'use client';
// The nodes of a pool (or of the cluster): sortable, filterable by state and name, and virtualised so a 5,000-node
// pool scrolls smoothly. Filter and sort live in the URL (?state=&q=&sort=), so a link or a reload keeps them.
import { useVirtualizer } from '@tanstack/react-virtual';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useMemo, useRef } from 'react';
import {
  filterCounts,
  filterSlug,
  NODE_FILTERS,
  nodeTableView,
  OVERSCAN,
  ROW_HEIGHT,
  tableRows,
  VIEWPORT_HEIGHT,
  type FilterCounts,
  type NodeFilter,
  type NodeRow,
  type NodeSortKey,
} from '@/lib/api/node-table';
import { Empty, NodeState } from './ui';

const colsPool =
  'grid grid-cols-[minmax(180px,1.4fr)_130px_minmax(200px,1.5fr)_minmax(200px,1.5fr)_70px_110px_minmax(160px,2fr)] gap-2 px-2';
const colsAll =
  'grid grid-cols-[minmax(180px,1.4fr)_90px_130px_minmax(200px,1.5fr)_minmax(200px,1.5fr)_70px_110px_minmax(160px,2fr)] gap-2 px-2';

export function NodeTable({
  nodes,
  showPool = false,
  counts: givenCounts,
  onView,
}: {
  nodes: NodeRow[];
  showPool?: boolean;
  /** The filter counts when `nodes` is not every node (a first screen: the first rows of the view, see PoolPage). */
  counts?: FilterCounts;
  /** Called with the names of the rows rendered (on screen and overscan) whenever they change. */
  onView?: (names: string[]) => void;
}) {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const cols = showPool ? colsAll : colsPool;
  const { filter, text, sort } = nodeTableView((name) => params.get(name));
  /** Replace one URL parameter (the default value leaves it out), keeping the others. */
  const setParam = (name: string, value: string, fallback: string) => {
    const p = new URLSearchParams(params.toString());
    if (value === fallback) p.delete(name);
    else p.set(name, value);
    const q = p.toString();
    router.replace(q ? `${pathname}?${q}` : pathname, { scroll: false });
  };
  const setFilter = (f: NodeFilter) => setParam('state', filterSlug(f), 'all');
  const setText = (t: string) => setParam('q', t, '');
  const setSort = (key: NodeSortKey) => setParam('sort', sort.key === key && sort.asc ? `-${key}` : key, 'name');
  const rows = useMemo(
    () => tableRows(nodes, { filter, text, sort: { key: sort.key, asc: sort.asc } }),
    [nodes, filter, text, sort.key, sort.asc],
  );
  const allCounts = useMemo(() => givenCounts ?? filterCounts(nodes), [nodes, givenCounts]);

  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual's API is not memoisable; this project does not use the React Compiler
  const v = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    // Before the scroller is measured (on the server, and in the browser's first render that hydrates it), the rows
    // of a viewport this tall are rendered: the first screen is in the document.
    initialRect: { width: 0, height: VIEWPORT_HEIGHT },
  });
  const inView = v
    .getVirtualItems()
    .map((i) => rows[i.index]?.name)
    .filter((n): n is string => !!n);
  const inViewKey = inView.join('\n');
  useEffect(() => {
    onView?.(inViewKey ? inViewKey.split('\n') : []);
  }, [inViewKey, onView]);

  const header = (key: NodeSortKey | null, label: string) => (
    <span role="columnheader" aria-sort={key && sort.key === key ? (sort.asc ? 'ascending' : 'descending') : undefined}>
      {headerControl(key, label)}
    </span>
  );
  const headerControl = (key: NodeSortKey | null, label: string) =>
    key ? (
      <button
        type="button"
        className="text-left text-xs font-semibold uppercase text-muted"
        title={`Sort by ${label}`}
        onClick={() => setSort(key)}
      >
        {label}
        {sort.key === key ? (sort.asc ? ' ▲' : ' ▼') : ''}
      </button>
    ) : (
      <span className="text-xs font-semibold uppercase text-muted">{label}</span>
    );

  return (
    <div>
      <div className="mb-2 flex flex-wrap items-center gap-2">
        <div role="group" aria-label="Filter nodes by state" className="flex gap-1">
          {NODE_FILTERS.map((f) => (
            <button
              key={f}
              type="button"
              aria-pressed={filter === f}
              onClick={() => setFilter(f)}
              className={`rounded border px-2 py-0.5 text-xs ${filter === f ? 'border-accent bg-accent text-on-accent' : 'border-line bg-soft'}`}
            >
              {f} ({allCounts[f]})
            </button>
          ))}
        </div>
        <label className="ml-auto flex items-center gap-1 text-xs text-muted">
          Name
          <input
            data-testid="node-filter"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="filter"
            className="rounded border border-line bg-bg px-2 py-0.5 text-sm text-fg"
          />
        </label>
      </div>
      <div className="rounded border border-line" role="table" aria-label="Nodes" aria-rowcount={rows.length}>
        <div role="row" className={`${cols} border-b border-line py-1.5`}>
          {header('name', 'Node')}
          {showPool ? header('pool', 'Pool') : null}
          {header('state', 'State')}
          {header('currentConfig', 'Current config')}
          {header(null, 'Desired config')}
          {header(null, 'Ready')}
          {header('zone', 'Zone')}
          {header(null, 'Reason')}
        </div>
        {rows.length === 0 ? (
          <Empty>No nodes match.</Empty>
        ) : (
          <div
            ref={scroller}
            className="overflow-auto"
            style={{ maxHeight: VIEWPORT_HEIGHT, minHeight: Math.min(rows.length * ROW_HEIGHT, VIEWPORT_HEIGHT) }}
          >
            <div style={{ height: v.getTotalSize(), position: 'relative' }}>
              {v.getVirtualItems().map((item) => {
                const n = rows[item.index]!;
                return (
                  <div
                    key={n.name}
                    role="row"
                    data-testid={`node-row-${n.name}`}
                    className={`${cols} items-center border-b border-line text-sm`}
                    style={{
                      position: 'absolute',
                      top: 0,
                      left: 0,
                      right: 0,
                      height: item.size,
                      transform: `translateY(${item.start}px)`,
                    }}
                  >
                    <span role="cell" className="truncate">
                      <Link href={`/nodes/${encodeURIComponent(n.name)}`} className="font-medium">
                        {n.name}
                      </Link>
                    </span>
                    {showPool ? (
                      <span role="cell" className="truncate text-xs">
                        {n.pool ? (
                          <Link href={`/pools/${encodeURIComponent(n.pool)}`}>{n.pool}</Link>
                        ) : (
                          <span className="text-muted">none</span>
                        )}
                      </span>
                    ) : null}
                    <span role="cell">
                      <NodeState state={n.state} phase={n.phase} />
                      {n.unschedulable ? <span className="ml-1 text-xs text-muted">cordoned</span> : null}
                    </span>
                    <span role="cell" className="truncate font-mono text-xs">
                      {n.currentConfig ?? '—'}
                    </span>
                    <span
                      role="cell"
                      className={`truncate font-mono text-xs ${n.desiredConfig !== n.currentConfig ? 'text-busy' : ''}`}
                    >
                      {n.desiredConfig ?? '—'}
                    </span>
                    <span role="cell">{n.ready ? 'Ready' : <span className="text-bad">NotReady</span>}</span>
                    <span role="cell" className="truncate text-xs">
                      {n.zone ?? '—'}
                    </span>
                    <span role="cell" className="truncate text-xs text-muted" title={n.reason}>
                      {n.reason || ''}
                    </span>
                  </div>
                );
              })}
            </div>
          </div>
        )}
      </div>
    </div>
  );
}
