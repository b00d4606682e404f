// Building blocks every page uses: status badges in the one colour language, sections, and the
// loading / empty / error states (each reserves its space so data arriving does not make the page jump).
import Link from 'next/link';
import type { ReactNode } from 'react';
import type { PoolSummary } from '@/lib/api/types';
import { ApiFailure } from './data/fetcher';

export type Tone = 'ok' | 'bad' | 'busy' | 'idle' | 'warn';

const toneClass: Record<Tone, string> = {
  ok: 'bg-ok-bg text-ok border-ok/40',
  bad: 'bg-bad-bg text-bad border-bad/40',
  busy: 'bg-busy-bg text-busy border-busy/40',
  idle: 'bg-idle-bg text-idle border-idle/40',
  warn: 'bg-warn-bg text-warn border-warn/40',
};

export function Badge({ tone, children, title }: { tone: Tone; children: ReactNode; title?: string }) {
  return (
    <span
      title={title}
      className={`inline-flex items-center gap-1 rounded border px-1.5 py-px text-xs font-medium ${toneClass[tone]}`}
    >
      {children}
    </span>
  );
}

/** The daemon's state annotation (Done, Working, Degraded, Unreconcilable) and the node's reboot phase. */
export function nodeTone(state: string | null, phase?: string | null): Tone {
  if (state === 'Degraded' || state === 'Unreconcilable') return 'bad';
  if (state === 'Working' || phase === 'rebooting') return 'busy';
  if (state === 'Done') return 'ok';
  return 'idle';
}

export function NodeState({ state, phase }: { state: string | null; phase?: string | null }) {
  const label = phase === 'rebooting' ? 'Rebooting' : (state ?? 'Unknown');
  return (
    <span data-testid="node-state">
      <Badge tone={nodeTone(state, phase)}>{label}</Badge>
    </span>
  );
}

export type PoolHealth = 'Degraded' | 'Updating' | 'Updated' | 'Paused' | 'Unknown';

export function cond(pool: PoolSummary, type: string): string {
  return pool.conditions.find((c) => c.type === type)?.status ?? '';
}

export function poolHealth(pool: PoolSummary): PoolHealth {
  if (cond(pool, 'Degraded') === 'True' || cond(pool, 'NodeDegraded') === 'True' || pool.degradedMachineCount > 0)
    return 'Degraded';
  if (pool.paused) return 'Paused';
  if (cond(pool, 'Updating') === 'True') return 'Updating';
  if (cond(pool, 'Updated') === 'True') return 'Updated';
  return 'Unknown';
}

const healthTone: Record<PoolHealth, Tone> = {
  Degraded: 'bad',
  Updating: 'busy',
  Updated: 'ok',
  Paused: 'idle',
  Unknown: 'idle',
};

export function PoolHealthBadge({ pool }: { pool: PoolSummary }) {
  const h = poolHealth(pool);
  return (
    <span data-testid="pool-health">
      <Badge tone={healthTone[h]}>{h}</Badge>
      {pool.paused && h !== 'Paused' ? (
        <span className="ml-1">
          <Badge tone="idle">Paused</Badge>
        </span>
      ) : null}
    </span>
  );
}

export function Section({
  title,
  children,
  actions,
  id,
}: {
  title: string;
  children: ReactNode;
  actions?: ReactNode;
  id?: string;
}) {
  return (
    <section className="mb-6" aria-labelledby={id}>
      <div className="mb-2 flex items-center justify-between gap-2">
        <h2 id={id} className="text-base font-semibold">
          {title}
        </h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function Loading({ label = 'Loading…', height = 120 }: { label?: string; height?: number }) {
  return (
    <div
      role="status"
      className="flex items-center justify-center rounded border border-dashed border-line text-muted"
      style={{ minHeight: height }}
    >
      {label}
    </div>
  );
}

export function Empty({ children, height = 60 }: { children: ReactNode; height?: number }) {
  return (
    <div
      className="flex items-center justify-center rounded border border-dashed border-line text-muted"
      style={{ minHeight: height }}
    >
      {children}
    </div>
  );
}

export function ErrorBox({ error, what }: { error: unknown; what: string }) {
  const msg = error instanceof ApiFailure ? error.message : error instanceof Error ? error.message : String(error);
  const notFound = error instanceof ApiFailure && error.status === 404;
  if (error instanceof ApiFailure && error.code === 'cluster_unreachable')
    return (
      <div role="alert" className="rounded border border-warn/40 bg-warn-bg p-3 text-warn">
        The cluster is unreachable, so {what} cannot be shown yet. This fills in by itself when it is back.
      </div>
    );
  return (
    <div role="alert" className="rounded border border-bad/40 bg-bad-bg p-3 text-bad">
      {/* A 404's message already says "… not found": say it once. */}
      <strong>{notFound ? `${what} not found.` : `Could not load ${what}.`}</strong>{' '}
      {notFound && /not found/i.test(msg) ? null : msg}
    </div>
  );
}

export function Mono({ children }: { children: ReactNode }) {
  return <span className="font-mono text-[13px]">{children}</span>;
}

export function ConfigLink({ name }: { name: string | null }) {
  if (!name) return <span className="text-muted">—</span>;
  return (
    <Link href={`/machineconfigs/${encodeURIComponent(name)}`} className="font-mono text-[13px]">
      {name}
    </Link>
  );
}

export function PageTitle({ children, sub }: { children: ReactNode; sub?: ReactNode }) {
  return (
    <div className="mb-4">
      <h1 className="text-xl font-semibold">{children}</h1>
      {sub ? <div className="mt-1 text-muted">{sub}</div> : null}
    </div>
  );
}

export function Button({
  children,
  onClick,
  disabled,
  why,
  tone = 'default',
  type = 'button',
  testId,
}: {
  children: ReactNode;
  onClick?: () => void;
  disabled?: boolean;
  why?: string;
  tone?: 'default' | 'primary' | 'danger';
  type?: 'button' | 'submit';
  testId?: string;
}) {
  const cls =
    tone === 'danger'
      ? 'bg-bad text-on-accent border-bad'
      : tone === 'primary'
        ? 'bg-accent text-on-accent border-accent'
        : 'bg-soft text-fg border-line';
  return (
    <button
      type={type}
      data-testid={testId}
      onClick={onClick}
      disabled={disabled}
      title={disabled ? why : undefined}
      className={`rounded border px-3 py-1 text-sm font-medium ${cls} disabled:cursor-not-allowed disabled:opacity-50`}
    >
      {children}
    </button>
  );
}
