'use client';
// "Adopt this change" in the drift file panel: instead of throwing the node's edit away, declare it in a
// MachineConfig for the whole pool. A plain link: the plan page builds the MachineConfig and says what it will do.
import Link from 'next/link';

export function adoptHref(node: string, path: string): string {
  return `/plan?adoptNode=${encodeURIComponent(node)}&path=${encodeURIComponent(path)}`;
}

export function AdoptLink({ node, path, kind, status }: { node: string; path: string; kind: string; status: string }) {
  if (kind !== 'file' || status === 'ok' || status === 'missing') return null;
  return (
    <Link
      href={adoptHref(node, path)}
      data-testid="adopt"
      title="Build a MachineConfig that declares what this node has, and see what applying it does to the pool"
      className="rounded border border-line bg-soft px-2 py-0.5 text-xs text-fg hover:no-underline"
    >
      Adopt this change
    </Link>
  );
}
