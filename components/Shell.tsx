'use client';
// The frame around every page: the cluster's name, navigation, who is signed in, and the connectivity banner.
import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { useWhoAmI } from './data/hooks';
import { useConnectivity } from './data/LiveProvider';
import { Badge } from './ui';

const nav = [
  { href: '/', label: 'Overview', match: (p: string) => p === '/' },
  { href: '/pools', label: 'Pools', match: (p: string) => p.startsWith('/pools') },
  { href: '/nodes', label: 'Nodes', match: (p: string) => p.startsWith('/nodes') },
  { href: '/machineconfigs', label: 'MachineConfigs', match: (p: string) => p.startsWith('/machineconfigs') },
  { href: '/compare', label: 'Compare', match: (p: string) => p.startsWith('/compare') },
  { href: '/plan', label: 'Plan', match: (p: string) => p.startsWith('/plan') },
];

function Banner() {
  const c = useConnectivity();
  const client = useQueryClient();
  if (c.cluster && c.stream) return null;
  // "The last known state" only when some view holds data: before the first answer there is none to show.
  const known = client
    .getQueryCache()
    .getAll()
    .some((q) => q.state.data !== undefined && q.queryKey[0] !== 'whoami');
  const text = !c.cluster
    ? known
      ? 'The cluster is unreachable. Showing the last known state; this clears by itself when it is back.'
      : 'The cluster is unreachable, so there is nothing to show yet; this clears by itself when it is back.'
    : 'Live updates are interrupted (the Plumb server cannot be reached). Reconnecting…';
  return (
    <div
      role="alert"
      data-testid="banner"
      className="flex gap-3 border-b border-warn/40 bg-warn-bg px-4 py-1.5 text-sm text-warn"
    >
      <span className="shrink-0 font-medium">{text}</span>
      {!c.cluster && c.message ? (
        <span className="min-w-0 truncate font-mono text-xs leading-5 opacity-80" title={c.message}>
          {c.message}
        </span>
      ) : null}
    </div>
  );
}

function ClusterName() {
  const who = useWhoAmI();
  const c = who.data?.cluster;
  if (!c) return null;
  return (
    <span
      data-testid="cluster-name"
      title={c.server ?? undefined}
      className="rounded border border-line px-1.5 py-px font-mono text-xs text-muted"
    >
      {c.name}
    </span>
  );
}

function Who() {
  const who = useWhoAmI();
  if (!who.data) return <span className="min-w-24" />;
  return (
    <span className="flex items-center gap-2 text-xs text-muted">
      {who.data.readOnly ? <Badge tone="idle">read-only</Badge> : null}
      <span title="Acting as">{who.data.user}</span>
    </span>
  );
}

export function Shell({ children }: { children: ReactNode }) {
  const path = usePathname() ?? '/';
  return (
    <div className="min-h-screen">
      <header className="sticky top-0 z-10 border-b border-line bg-bg">
        <div className="mx-auto flex max-w-[1600px] items-center gap-6 px-4 py-2">
          <Link href="/" className="flex items-center gap-2 font-semibold text-fg hover:no-underline">
            {/* eslint-disable-next-line @next/next/no-img-element -- a 20px static SVG: next/image would gain nothing */}
            <img src="/icon.svg" alt="" width={20} height={20} />
            Plumb
          </Link>
          <ClusterName />
          <nav aria-label="Main" className="flex gap-1">
            {nav.map((n) => (
              <Link
                key={n.href}
                href={n.href}
                aria-current={n.match(path) ? 'page' : undefined}
                className={`rounded px-2 py-1 text-sm ${n.match(path) ? 'bg-soft font-medium text-fg' : 'text-muted'}`}
              >
                {n.label}
              </Link>
            ))}
          </nav>
          <div className="ml-auto">
            <Who />
          </div>
        </div>
        <Banner />
      </header>
      <main className="mx-auto max-w-[1600px] px-4 py-4">{children}</main>
    </div>
  );
}
