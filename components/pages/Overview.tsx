'use client';
// `/`: what is wrong first (degraded and unreconcilable nodes, in words), then every pool as `oc get mcp` shows it.
import Link from 'next/link';
import type { AttentionItem, PoolAttentionItem, PoolsReply, PoolSummary } from '@/lib/api/types';
import { usePools } from '../data/hooks';
import {
  Badge,
  cond,
  ConfigLink,
  Empty,
  ErrorBox,
  Loading,
  NodeState,
  PageTitle,
  PoolHealthBadge,
  Section,
} from '../ui';

function driftHref(a: AttentionItem): string {
  const base = `/nodes/${encodeURIComponent(a.node)}/drift`;
  return a.explanation.path ? `${base}?file=${encodeURIComponent(a.explanation.path)}&view=split` : base;
}

function Attention({ items, pools }: { items: AttentionItem[]; pools: PoolAttentionItem[] }) {
  if (items.length === 0 && pools.length === 0)
    return (
      <div
        data-testid="all-healthy"
        className="flex min-h-[52px] items-center gap-2 rounded border border-ok/40 bg-ok-bg px-3 text-ok"
      >
        Every node matches its configuration. Nothing needs attention.
      </div>
    );
  return (
    <ul data-testid="attention" className="divide-y divide-line rounded border border-bad/40">
      {pools.map((p) => (
        <li
          key={`pool/${p.pool}`}
          data-testid={`attention-pool-${p.pool}`}
          className="flex items-start gap-3 px-3 py-2"
        >
          <Badge tone="warn">Paused</Badge>
          <div className="min-w-0 flex-1">
            <div>
              pool{' '}
              <Link href={`/pools/${encodeURIComponent(p.pool)}`} className="font-medium">
                {p.pool}
              </Link>
            </div>
            <div className="text-sm">{p.summary}</div>
          </div>
          {p.renderedConfig && p.targetConfig ? (
            <Link
              href={`/compare?from=${encodeURIComponent(p.renderedConfig)}&to=${encodeURIComponent(p.targetConfig)}`}
              className="shrink-0 self-center rounded border border-line px-2 py-1 text-sm"
            >
              What is waiting
            </Link>
          ) : null}
        </li>
      ))}
      {items.map((a) => (
        <li key={a.node} className="flex items-start gap-3 px-3 py-2">
          <NodeState state={a.state} />
          <div className="min-w-0 flex-1">
            <div>
              <Link href={driftHref(a)} className="font-medium">
                {a.node}
              </Link>
              {a.pool ? (
                <span className="text-muted">
                  {' '}
                  in pool <Link href={`/pools/${encodeURIComponent(a.pool)}`}>{a.pool}</Link>
                </span>
              ) : null}
            </div>
            <div className="text-sm">{a.explanation.summary}</div>
            {a.reason ? (
              <div className="truncate font-mono text-xs text-muted" title={a.reason}>
                {a.reason}
              </div>
            ) : null}
          </div>
          <Link href={driftHref(a)} className="shrink-0 self-center rounded border border-line px-2 py-1 text-sm">
            Show drift
          </Link>
        </li>
      ))}
    </ul>
  );
}

function num(n: number, tone?: 'bad' | 'busy') {
  if (n > 0 && tone) return <span className={`font-semibold ${tone === 'bad' ? 'text-bad' : 'text-busy'}`}>{n}</span>;
  return <span>{n}</span>;
}

function PoolRow({ p }: { p: PoolSummary }) {
  const tf = (t: string) => {
    const v = cond(p, t);
    return (
      <span
        className={
          v === 'True' && t !== 'Updated' ? 'font-semibold ' + (t === 'Degraded' ? 'text-bad' : 'text-busy') : ''
        }
      >
        {v || '—'}
      </span>
    );
  };
  return (
    <tr data-testid={`pool-row-${p.name}`}>
      <td>
        <Link href={`/pools/${encodeURIComponent(p.name)}`} className="font-medium">
          {p.name}
        </Link>
      </td>
      <td>
        <PoolHealthBadge pool={p} />
      </td>
      <td className="max-w-[330px] truncate" title={p.renderedConfig ?? ''}>
        <ConfigLink name={p.renderedConfig} />
        {p.targetConfig && p.targetConfig !== p.renderedConfig ? (
          <div className="text-xs text-busy">
            → <ConfigLink name={p.targetConfig} />
          </div>
        ) : null}
      </td>
      <td>{tf('Updated')}</td>
      <td>{tf('Updating')}</td>
      <td>{tf('Degraded')}</td>
      <td className="text-right">{p.machineCount}</td>
      <td className="text-right">{p.readyMachineCount}</td>
      <td className="text-right">{p.updatedMachineCount}</td>
      <td className="text-right">{num(p.degradedMachineCount, 'bad')}</td>
      <td className="text-right">{num(p.unavailableMachineCount, 'busy')}</td>
      <td>{p.paused ? <Badge tone="idle">paused</Badge> : 'false'}</td>
    </tr>
  );
}

/** Every pool, with the `oc get mcp` columns. */
export function PoolTable({ pools }: { pools: PoolSummary[] }) {
  if (pools.length === 0) return <Empty>No MachineConfigPools in this cluster.</Empty>;
  return (
    <div className="overflow-x-auto rounded border border-line">
      <table className="dense w-full" aria-label="Machine config pools">
        <thead>
          <tr>
            <th>Name</th>
            <th>Health</th>
            <th>Config</th>
            <th>Updated</th>
            <th>Updating</th>
            <th>Degraded</th>
            <th className="text-right" title="Machine count">
              Machines
            </th>
            <th className="text-right" title="Ready machine count">
              Ready
            </th>
            <th className="text-right" title="Updated machine count">
              Upd.
            </th>
            <th className="text-right" title="Degraded machine count">
              Degr.
            </th>
            <th className="text-right" title="Unavailable machine count">
              Unavail.
            </th>
            <th>Paused</th>
          </tr>
        </thead>
        <tbody>
          {pools.map((p) => (
            <PoolRow key={p.name} p={p} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** `first`: the pools the server rendered into the document (app/page.tsx), if it could. */
export function Overview({ first }: { first: PoolsReply | null }) {
  const q = usePools(first ?? undefined);
  return (
    <>
      <PageTitle sub="Machine config pools and the nodes that do not match their configuration.">Overview</PageTitle>
      <Section title="Needs attention" id="attention-h">
        {q.isPending ? (
          <Loading height={52} />
        ) : q.error && !q.data ? (
          <ErrorBox error={q.error} what="pools" />
        ) : (
          <Attention items={q.data!.attention} pools={q.data!.poolAttention ?? []} />
        )}
      </Section>
      <Section title="Machine config pools" id="pools-h">
        {q.isPending ? (
          <Loading height={160} />
        ) : !q.data ? (
          <ErrorBox error={q.error} what="pools" />
        ) : q.data.pools.length === 0 ? (
          <Empty>No MachineConfigPools in this cluster.</Empty>
        ) : (
          <PoolTable pools={q.data.pools} />
        )}
      </Section>
    </>
  );
}
