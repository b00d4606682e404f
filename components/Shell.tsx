'use client';
// The frame around every page: navigation, who is signed in, and the connectivity banner.
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { useWhoAmI } from './data/hooks';
import { useConnectivity } from './data/LiveProvider';
import { Badge } from './ui';

const nav = [
  { href: '/', label: 'Overview', match: (p: string) => p === '/' || p.startsWith('/pools') || p.startsWith('/nodes') },
  { href: '/machineconfigs', label: 'MachineConfigs', match: (p: string) => p.startsWith('/machineconfigs') },
  { href: '/compare', label: 'Compare', match: (p: string) => p.startsWith('/compare') },
  { href: '/plan', label: 'Plan', match: (p: string) => p.startsWith('/plan') },
];

function Banner() {
  const c = useConnectivity();
  if (c.cluster && c.stream) return null;
  const text = !c.cluster
    ? 'The cluster is unreachable. Showing the last known state; this clears by itself when it is back.'
    : 'Live updates are interrupted (the Plumb server cannot be reached). Reconnecting…';
  return (
    <div role="alert" data-testid="banner" className="flex gap-3 border-b border-warn/40 bg-warn-bg px-4 py-1.5 text-sm text-warn">
      <span className="shrink-0 font-medium">{text}</span>
      {!c.cluster && c.message ? (
        <span className="min-w-0 truncate font-mono text-xs leading-5 opacity-80" title={c.message}>
          {c.message}
        </span>
      ) : null}
    </div>
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
            <img src="/icon.svg" alt="" width={20} height={20} />
            Plumb
          </Link>
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
