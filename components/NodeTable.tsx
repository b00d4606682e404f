'use client';
// The nodes of a pool (or of the cluster): sortable, filterable by state and name, and virtualised so a 5,000-node
// pool scrolls smoothly. Filter and sort live in the URL (?state=&q=&sort=), so a link or a reload keeps them.
import { useVirtualizer } from '@tanstack/react-virtual';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useMemo, useRef } from 'react';
import type { PoolNode } from '@/lib/api/types';
import { Empty, NodeState } from './ui';

type SortKey = 'name' | 'pool' | 'state' | 'currentConfig' | 'zone';
const sortKeys: readonly SortKey[] = ['name', 'pool', 'state', 'currentConfig', 'zone'];
const filters = ['All', 'Degraded', 'Working', 'Done', 'Not ready'] as const;
type Filter = (typeof filters)[number];
/** The URL spelling of a filter: `?state=not-ready`. */
const slug = (f: Filter) => f.toLowerCase().replace(' ', '-');

const colsPool =
  'grid grid-cols-[minmax(180px,1.4fr)_130px_minmax(200px,1.5fr)_minmax(200px,1.5fr)_70px_110px_minmax(160px,2fr)] gap-2 px-2';
const colsAll =
  'grid grid-cols-[minmax(180px,1.4fr)_90px_130px_minmax(200px,1.5fr)_minmax(200px,1.5fr)_70px_110px_minmax(160px,2fr)] gap-2 px-2';

type Row = PoolNode & { pool?: string | null };

function matches(n: PoolNode, f: Filter): boolean {
  switch (f) {
    case 'All':
      return true;
    case 'Degraded':
      return n.state === 'Degraded' || n.state === 'Unreconcilable';
    case 'Working':
      return n.state === 'Working' || n.phase === 'rebooting';
    case 'Done':
      return n.state === 'Done';
    case 'Not ready':
      return !n.ready;
  }
}

export function NodeTable({
  nodes,
  showPool = false,
  onView,
}: {
  nodes: Row[];
  showPool?: boolean;
  /** Called with the names of the rows rendered (on screen and overscan) whenever they change. */
  onView?: (names: string[]) => void;
}) {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const cols = showPool ? colsAll : colsPool;
  const filter: Filter = filters.find((f) => slug(f) === params.get('state')) ?? 'All';
  const text = params.get('q') ?? '';
  const sortParam = params.get('sort') ?? 'name';
  const sortKey = sortParam.replace(/^-/, '') as SortKey;
  const sort = { key: sortKeys.includes(sortKey) ? sortKey : 'name', asc: !sortParam.startsWith('-') };
  /** Replace one URL parameter (the default value leaves it out), keeping the others. */
  const setParam = (name: string, value: string, fallback: string) => {
    const p = new URLSearchParams(params.toString());
    if (value === fallback) p.delete(name);
    else p.set(name, value);
    const q = p.toString();
    router.replace(q ? `${pathname}?${q}` : pathname, { scroll: false });
  };
  const setFilter = (f: Filter) => setParam('state', slug(f), 'all');
  const setText = (t: string) => setParam('q', t, '');
  const setSort = (key: SortKey) => setParam('sort', sort.key === key && sort.asc ? `-${key}` : key, 'name');
  const rows = useMemo(() => {
    const t = text.trim().toLowerCase();
    const r = nodes.filter((n) => matches(n, filter) && (!t || n.name.toLowerCase().includes(t)));
    const k = sort.key;
    r.sort((a, b) => {
      const c = String(a[k] ?? '').localeCompare(String(b[k] ?? ''), undefined, { numeric: true });
      return sort.asc ? c : -c;
    });
    return r;
  }, [nodes, filter, text, sort.key, sort.asc]);
  const counts = useMemo(
    () => Object.fromEntries(filters.map((f) => [f, nodes.filter((n) => matches(n, f)).length])),
    [nodes],
  );

  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual's API is not memoisable; this project does not use the React Compiler
  const v = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 32,
    overscan: 12,
  });
  const inView = v
    .getVirtualItems()
    .map((i) => rows[i.index]?.name)
    .filter((n): n is string => !!n);
  const inViewKey = inView.join('\n');
  useEffect(() => {
    onView?.(inViewKey ? inViewKey.split('\n') : []);
  }, [inViewKey, onView]);

  const header = (key: SortKey | null, label: string) => (
    <span role="columnheader" aria-sort={key && sort.key === key ? (sort.asc ? 'ascending' : 'descending') : undefined}>
      {headerControl(key, label)}
    </span>
  );
  const headerControl = (key: SortKey | null, label: string) =>
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
          {filters.map((f) => (
            <button
              key={f}
              type="button"
              aria-pressed={filter === f}
              onClick={() => setFilter(f)}
              className={`rounded border px-2 py-0.5 text-xs ${filter === f ? 'border-accent bg-accent text-on-accent' : 'border-line bg-soft'}`}
            >
              {f} ({counts[f]})
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
            style={{ maxHeight: 480, minHeight: Math.min(rows.length, 15) * 32 }}
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
