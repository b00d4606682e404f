// What the node table shows for its URL (`?state=&q=&sort=`): which rows, in which order, and how many each state
// filter holds. The browser's table and the server's first screen of a page with the table (the rows in the
// document, before the page's scripts run: a pool page, /nodes) both use it, so the two agree row for row.
import type { NodesReply, PoolNode, PoolReply } from './types';

export const NODE_FILTERS = ['All', 'Degraded', 'Working', 'Done', 'Not ready'] as const;
export type NodeFilter = (typeof NODE_FILTERS)[number];
export type NodeSortKey = 'name' | 'pool' | 'state' | 'currentConfig' | 'zone';
const sortKeys: readonly NodeSortKey[] = ['name', 'pool', 'state', 'currentConfig', 'zone'];

/** A row of the table: a pool's node, with its pool on the cluster-wide list. */
export type NodeRow = PoolNode & { pool?: string | null };

/** The table's geometry: the virtual list renders the rows in its viewport and this many more each side. */
export const ROW_HEIGHT = 32;
export const VIEWPORT_HEIGHT = 480;
export const OVERSCAN = 12;
/** The rows the table renders before it has measured its viewport: what a first screen must hold. */
export const FIRST_SCREEN_ROWS = Math.ceil(VIEWPORT_HEIGHT / ROW_HEIGHT) + OVERSCAN + 1;

/** The URL spelling of a filter: `?state=not-ready`. */
export const filterSlug = (f: NodeFilter) => f.toLowerCase().replace(' ', '-');

export interface NodeTableView {
  filter: NodeFilter;
  /** The name filter, as typed. */
  text: string;
  sort: { key: NodeSortKey; asc: boolean };
}

/** The view a URL's query asks for; unknown values fall back to the defaults (All, no text, by name). */
export function nodeTableView(get: (name: string) => string | null | undefined): NodeTableView {
  const filter = NODE_FILTERS.find((f) => filterSlug(f) === get('state')) ?? 'All';
  const sortParam = get('sort') ?? 'name';
  const key = sortParam.replace(/^-/, '') as NodeSortKey;
  return {
    filter,
    text: get('q') ?? '',
    sort: { key: sortKeys.includes(key) ? key : 'name', asc: !sortParam.startsWith('-') },
  };
}

function matchesFilter(n: PoolNode, f: NodeFilter): boolean {
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

// One collator for every sort: the same order in the browser and on the server whatever their locales, and much
// faster than String.localeCompare with options, which builds a collator per call.
const collator = new Intl.Collator('en', { numeric: true });

/** The rows the view shows, in its order (a new array; `nodes` is not changed). */
export function tableRows<R extends NodeRow>(nodes: readonly R[], view: NodeTableView): R[] {
  const t = view.text.trim().toLowerCase();
  const rows = nodes.filter((n) => matchesFilter(n, view.filter) && (!t || n.name.toLowerCase().includes(t)));
  const k = view.sort.key;
  rows.sort((a, b) => {
    const c = collator.compare(String(a[k] ?? ''), String(b[k] ?? ''));
    return view.sort.asc ? c : -c;
  });
  return rows;
}

export type FilterCounts = Record<NodeFilter, number>;

/** How many of `nodes` each state filter holds (the numbers on the filter buttons). */
export function filterCounts(nodes: readonly PoolNode[]): FilterCounts {
  return Object.fromEntries(
    NODE_FILTERS.map((f) => [f, nodes.filter((n) => matchesFilter(n, f)).length]),
  ) as FilterCounts;
}

/** The page's query as Next hands it to a server page (`searchParams`), read as the table reads the URL. */
export function nodeTableViewOf(query: Record<string, string | string[] | undefined>): NodeTableView {
  return nodeTableView((k) => {
    const v = query[k];
    return Array.isArray(v) ? v[0] : v;
  });
}

/**
 * A node table page's first screen, which the server renders into the document as the requesting user: the page's
 * reply holding only the first rows of the URL's view, and the filter counts of all its nodes. The page shows it
 * until its own fetch of the whole reply arrives.
 */
export interface FirstScreen<R> {
  reply: R;
  counts: FilterCounts;
}

/** `/pools/<pool>` (app/pools/[pool]/page.tsx), without events: their ages would read differently in the browser. */
export type PoolFirstScreen = FirstScreen<PoolReply>;
/** `/nodes` (app/nodes/page.tsx). */
export type NodesFirstScreen = FirstScreen<NodesReply>;

/** The first rows of the view, and the counts of every node. */
export function firstRows<R extends NodeRow>(
  nodes: readonly R[],
  view: NodeTableView,
): { rows: R[]; counts: FilterCounts } {
  return { rows: tableRows(nodes, view).slice(0, FIRST_SCREEN_ROWS), counts: filterCounts(nodes) };
}
