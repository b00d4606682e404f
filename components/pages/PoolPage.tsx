'use client';
// `/pools/<pool>`: counts, conditions, selectors, configs (rendered vs target), sources in merge order, nodes,
// events, pause/resume, and the pool's config history (each rendered config with "compare with previous").
import Link from 'next/link';
import { useCallback, useState } from 'react';
import type { PoolFirstScreen } from '@/lib/api/node-table';
import type { PausePoolRequest, PoolReply } from '@/lib/api/types';
import { ApiFailure } from '../data/fetcher';
import { poolHistory } from '../configHistory';
import { useAction, useMachineConfigs, usePool } from '../data/hooks';
import { PermissionNote, usePermission } from '../data/permissions';
import { keys } from '../data/keys';
import { useStreamView } from '../data/LiveProvider';
import { ConfirmDialog } from '../Dialog';
import { Events } from '../Events';
import { age, when } from '../format';
import { NodeTable } from '../NodeTable';
import { Badge, Button, ConfigLink, Empty, ErrorBox, Loading, PageTitle, PoolHealthBadge, Section } from '../ui';

/** The pool's rendered configs, newest first; each links to what changed since the one before it. */
function ConfigHistory({ data }: { data: PoolReply }) {
  const mcs = useMachineConfigs();
  const p = data.pool;
  if (!mcs.data) return mcs.isPending ? <Loading height={80} /> : <ErrorBox error={mcs.error} what="MachineConfigs" />;
  const history = poolHistory(p.name, mcs.data.machineConfigs);
  if (history.length === 0) return <Empty>No rendered configs for this pool.</Empty>;
  return (
    <table className="dense w-full rounded border border-line" aria-label="Config history">
      <thead>
        <tr>
          <th>Rendered config</th>
          <th>Created (UTC)</th>
          <th className="w-full">Change</th>
        </tr>
      </thead>
      <tbody>
        {history.map((m, i) => {
          const prev = history[i + 1];
          return (
            <tr key={m.name} data-testid={`history-${m.name}`}>
              <td>
                <ConfigLink name={m.name} />
                {m.name === p.renderedConfig ? (
                  <span className="ml-1">
                    <Badge tone="ok">current</Badge>
                  </span>
                ) : null}
                {m.name === p.targetConfig && m.name !== p.renderedConfig ? (
                  <span className="ml-1">
                    <Badge tone="busy">target</Badge>
                  </span>
                ) : null}
              </td>
              <td className="whitespace-nowrap font-mono text-xs">
                {when(m.creationTimestamp)} <span className="text-muted">({age(m.creationTimestamp)} ago)</span>
              </td>
              <td>
                {prev ? (
                  <Link
                    data-testid="compare-previous"
                    href={`/compare?from=${encodeURIComponent(prev.name)}&to=${encodeURIComponent(m.name)}`}
                    className="text-sm"
                  >
                    compare with previous
                  </Link>
                ) : (
                  <span className="text-xs text-muted">the first</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

function selectorText(sel: unknown): string {
  if (!sel || typeof sel !== 'object') return '(none)';
  const s = sel as Selector;
  const parts = [
    ...Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(s.matchExpressions ?? []).map((e) => `${e.key} ${e.operator}${e.values ? ` (${e.values.join(', ')})` : ''}`),
  ];
  return parts.length ? parts.join(', ') : '(everything)';
}

function Stat({ label, value, tone }: { label: string; value: number | string; tone?: string }) {
  return (
    <div className="rounded border border-line px-3 py-2">
      <div className="text-xs uppercase text-muted">{label}</div>
      <div className={`text-lg font-semibold ${tone ?? ''}`}>{value}</div>
    </div>
  );
}

function PauseAction({ data }: { data: PoolReply }) {
  const pool = data.pool;
  const perm = usePermission('pausePool');
  const [open, setOpen] = useState(false);
  const act = useAction<PausePoolRequest>(`/api/pools/${encodeURIComponent(pool.name)}/pause`, [
    keys.pool(pool.name),
    keys.pools,
  ]);
  const next = !pool.paused;
  return (
    <div className="flex items-center gap-2">
      <Button testId="pause-button" disabled={!perm.allowed} why={perm.why} onClick={() => setOpen(true)}>
        {pool.paused ? 'Resume pool' : 'Pause pool'}
      </Button>
      <PermissionNote perm={perm} testId="pause-why" />
      <ConfirmDialog
        open={open}
        title={next ? `Pause pool ${pool.name}?` : `Resume pool ${pool.name}?`}
        confirmLabel={next ? 'Pause' : 'Resume'}
        busy={act.isPending}
        error={act.error instanceof ApiFailure ? act.error.message : act.error ? String(act.error) : null}
        command={`oc patch mcp/${pool.name} --type merge --patch '{"spec":{"paused":${next}}}'`}
        onClose={() => {
          setOpen(false);
          act.reset();
        }}
        onConfirm={() => act.mutate({ paused: next }, { onSuccess: () => setOpen(false) })}
      >
        {next ? (
          <>
            <p>
              Pausing stops the Machine Config Operator from rolling out new configurations to the nodes of{' '}
              <b>{pool.name}</b>: changes to MachineConfigs are rendered but not applied, and no node is drained or
              rebooted for them until the pool is resumed.
            </p>
            <p className="text-warn">
              Pausing also delays certificate rotation: the kube-apiserver-to-kubelet CA is pushed to nodes through this
              pool. Do not leave a pool paused for long.
            </p>
          </>
        ) : (
          <p>
            Resuming lets the Machine Config Operator roll out the target configuration to the nodes of{' '}
            <b>{pool.name}</b>, up to {String(pool.maxUnavailable)} at a time; nodes whose config changes are drained
            and rebooted.
          </p>
        )}
      </ConfirmDialog>
    </div>
  );
}

/** `first`: the first screen the server rendered into the document (app/pools/[pool]/page.tsx), if it could. */
export function PoolPage({ name, first }: { name: string; first: PoolFirstScreen | null }) {
  const q = usePool(name, first?.reply);
  // Until the whole reply is in, the table holds the first rows of its view and the counts of all the pool's nodes.
  const partial = q.isPlaceholderData && first ? first : null;
  const setView = useStreamView();
  const onView = useCallback((names: string[]) => setView(name, names), [setView, name]);
  if (q.isPending)
    return (
      <>
        <PageTitle>Pool {name}</PageTitle>
        <Loading height={400} />
      </>
    );
  if (!q.data) return <ErrorBox error={q.error} what={`pool ${name}`} />;
  const d = q.data;
  const p = d.pool;
  const differs = p.targetConfig && p.renderedConfig && p.targetConfig !== p.renderedConfig;
  return (
    <>
      <div className="mb-4 flex items-start justify-between gap-4">
        <PageTitle
          sub={
            <span className="flex items-center gap-2">
              <PoolHealthBadge pool={p} /> created {when(p.creationTimestamp)}
            </span>
          }
        >
          Pool {p.name}
        </PageTitle>
        <div className="flex items-center gap-2">
          <Link
            href={`/pools/${encodeURIComponent(p.name)}/drift`}
            className="rounded border border-line bg-soft px-3 py-1 text-sm font-medium"
            data-testid="pool-drift-link"
          >
            Drift across the pool
          </Link>
          <PauseAction data={d} />
        </div>
      </div>
      <div className="mb-6 grid grid-cols-6 gap-2">
        <Stat label="Machines" value={p.machineCount} />
        <Stat label="Ready" value={p.readyMachineCount} />
        <Stat
          label="Updated"
          value={p.updatedMachineCount}
          tone={p.updatedMachineCount === p.machineCount ? 'text-ok' : 'text-busy'}
        />
        <Stat label="Degraded" value={p.degradedMachineCount} tone={p.degradedMachineCount ? 'text-bad' : ''} />
        <Stat
          label="Unavailable"
          value={p.unavailableMachineCount}
          tone={p.unavailableMachineCount ? 'text-busy' : ''}
        />
        <Stat label="Max unavailable" value={String(p.maxUnavailable)} />
      </div>
      <div className="grid grid-cols-2 gap-6">
        <Section title="Configuration">
          <dl className="grid grid-cols-[160px_1fr] gap-y-1 text-sm">
            <dt className="text-muted">Current (status)</dt>
            <dd>
              <ConfigLink name={p.renderedConfig} />
            </dd>
            <dt className="text-muted">Target (spec)</dt>
            <dd>
              <ConfigLink name={p.targetConfig} />
              {differs ? (
                <Link
                  className="ml-2 text-xs"
                  href={`/compare?from=${encodeURIComponent(p.renderedConfig!)}&to=${encodeURIComponent(p.targetConfig!)}`}
                >
                  compare
                </Link>
              ) : null}
            </dd>
            <dt className="text-muted">MachineConfig selector</dt>
            <dd className="font-mono text-xs">{selectorText(d.selectors.machineConfigSelector)}</dd>
            <dt className="text-muted">Node selector</dt>
            <dd className="font-mono text-xs">{selectorText(d.selectors.nodeSelector)}</dd>
            <dt className="text-muted">Paused</dt>
            <dd>{p.paused ? 'yes' : 'no'}</dd>
          </dl>
        </Section>
        <Section title={`Source MachineConfigs (${d.sources.length}, merge order)`}>
          <ol className="list-decimal pl-6 text-sm">
            {d.sources.map((s) => (
              <li key={s}>
                <ConfigLink name={s} />
              </li>
            ))}
          </ol>
        </Section>
      </div>
      <Section title="Conditions">
        <table className="dense w-full rounded border border-line" aria-label="Conditions">
          <thead>
            <tr>
              <th>Type</th>
              <th>Status</th>
              <th>Reason</th>
              <th className="w-full">Message</th>
              <th>Since</th>
            </tr>
          </thead>
          <tbody>
            {p.conditions.map((c) => (
              <tr key={c.type}>
                <td className="font-medium">{c.type}</td>
                <td className={c.status === 'True' && /Degraded/.test(c.type) ? 'font-semibold text-bad' : ''}>
                  {c.status}
                </td>
                <td>{c.reason}</td>
                <td className="!whitespace-normal">{c.message}</td>
                <td>{when(c.lastTransitionTime)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section title={`Nodes (${partial ? partial.counts.All : d.nodes.length})`}>
        <NodeTable nodes={d.nodes} counts={partial?.counts} onView={onView} />
      </Section>
      <Section title="Config history" id="history-h">
        <ConfigHistory data={d} />
      </Section>
      <Section title="Events">{partial ? <Loading height={80} /> : <Events events={d.events} />}</Section>
    </>
  );
}
