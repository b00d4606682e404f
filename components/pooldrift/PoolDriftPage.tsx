'use client';
// /pools/<pool>/drift: drift across a pool. Scan the degraded nodes (or all), watch the progress, see each distinct
// drift once with the nodes that have it, restore or adopt it, download the reports. `?path=&hash=` selects a group.
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import type { PoolDriftReply } from '@/lib/api/pooldrift';
import { ApiFailure } from '../data/fetcher';
import { usePermission } from '../data/permissions';
import { age, when } from '../format';
import { Button, Empty, ErrorBox, Loading, PageTitle, Section } from '../ui';
import { GroupCard } from './GroupCard';
import { usePoolDrift, usePoolDriftActions } from './hooks';

function Progress({ d, pool }: { d: PoolDriftReply; pool: string }) {
  const { cancel } = usePoolDriftActions(pool);
  const s = d.scan;
  if (!s) return null;
  const pct = s.total ? Math.round((100 * s.done) / s.total) : 100;
  return (
    <div data-testid="scan-progress" data-state={s.state} className="mb-4 rounded border border-line p-3 text-sm">
      <div className="flex items-center justify-between gap-2">
        <span>
          {s.state === 'running' ? 'Scanning' : `Scan ${s.state}`} (
          {s.scope === 'all' ? 'every node' : 'degraded nodes'}, by {s.startedBy}):{' '}
          <b data-testid="scan-count">
            {s.done}/{s.total}
          </b>{' '}
          nodes, {s.errors.length} error{s.errors.length === 1 ? '' : 's'}
          {s.finishedAt ? `, finished ${age(s.finishedAt)} ago` : ''}
        </span>
        {s.state === 'running' ? (
          <Button testId="scan-cancel" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
            Cancel
          </Button>
        ) : null}
      </div>
      <div
        className="mt-2 h-2 w-full overflow-hidden rounded bg-soft"
        role="progressbar"
        aria-valuenow={pct}
        aria-valuemin={0}
        aria-valuemax={100}
      >
        <div className="h-full bg-accent" style={{ width: `${pct}%` }} />
      </div>
      {s.message ? <div className="mt-2 text-bad">{s.message}</div> : null}
      {s.errors.length ? (
        <ul className="mt-2 text-xs text-bad" data-testid="scan-errors">
          {s.errors.slice(0, 20).map((e) => (
            <li key={e.node}>
              <span className="font-mono">{e.node}</span>: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function PoolDriftPage({ pool }: { pool: string }) {
  const params = useSearchParams();
  const wantPath = params.get('path');
  const wantHash = params.get('hash');
  const [reveal, setReveal] = useState(false);
  const [all, setAll] = useState(false);
  const revealPerm = usePermission('revealSensitive');
  const q = usePoolDrift(pool, reveal);
  const { scan } = usePoolDriftActions(pool);
  const d = q.data;
  const groups = d?.result?.groups ?? [];
  const selected = groups.find((g) => g.path === wantPath && (!wantHash || g.hash === wantHash)) ?? null;

  useEffect(() => {
    if (selected) document.getElementById(`group-${selected.id}`)?.scrollIntoView({ block: 'center' });
  }, [selected?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  const running = d?.scan?.state === 'running';
  const reportHref = (format: string) =>
    `/api/pools/${encodeURIComponent(pool)}/drift/report?format=${format}${reveal ? '&reveal=1' : ''}`;
  const scanError = scan.error instanceof ApiFailure ? scan.error.message : scan.error ? String(scan.error) : null;

  return (
    <>
      <div className="mb-2 text-sm">
        <Link href={`/pools/${encodeURIComponent(pool)}`}>← Pool {pool}</Link>
      </div>
      <PageTitle sub="The same hand edit on many nodes is one problem: shown once, fixed once, reported once.">
        Drift across pool {pool}
      </PageTitle>
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <Button
          testId="scan-start"
          tone="primary"
          disabled={running || scan.isPending}
          why="A scan is running."
          onClick={() => scan.mutate(all)}
        >
          {d?.result ? 'Scan again' : 'Scan the pool'}
        </Button>
        <label className="flex items-center gap-1 text-sm">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} data-testid="scan-all" />{' '}
          every node, not only the degraded ones
        </label>
        <label className="flex items-center gap-1 text-sm" title={revealPerm.allowed ? '' : revealPerm.why}>
          <input
            type="checkbox"
            checked={reveal}
            disabled={!revealPerm.allowed}
            onChange={(e) => setReveal(e.target.checked)}
          />{' '}
          reveal sensitive contents
        </label>
        <span className="text-sm">
          Reports:{' '}
          <a href={reportHref('json')} download data-testid="report-json">
            JSON
          </a>{' '}
          ·{' '}
          <a href={reportHref('csv')} download data-testid="report-csv">
            CSV
          </a>{' '}
          ·{' '}
          <a href={reportHref('md')} download data-testid="report-md">
            Markdown
          </a>
        </span>
      </div>
      {scanError ? (
        <div
          role="alert"
          data-testid="scan-error"
          className="mb-4 rounded border border-bad/40 bg-bad-bg p-2 text-sm text-bad"
        >
          {scanError}
        </div>
      ) : null}
      {q.isPending ? (
        <Loading height={200} />
      ) : !d ? (
        <ErrorBox error={q.error} what={`the drift of pool ${pool}`} />
      ) : (
        <>
          <Progress d={d} pool={pool} />
          {d.result ? (
            <Section
              title={`${groups.length} distinct drift${groups.length === 1 ? '' : 's'}`}
              actions={
                <span className="text-xs text-muted" data-testid="result-time" title={when(d.result.checkedAt)}>
                  scanned {age(d.result.checkedAt)} ago by {d.result.scannedBy}: {d.result.nodesScanned} node(s) read,{' '}
                  {d.result.cleanNodes} clean
                  {d.result.complete ? '' : ' (cancelled)'}
                </span>
              }
            >
              {groups.length ? (
                <ul className="space-y-3" data-testid="drift-groups">
                  {groups.map((g) => (
                    <GroupCard
                      key={g.id}
                      pool={pool}
                      g={g}
                      selected={selected?.id === g.id}
                      job={d.restores.find((r) => r.groupId === g.id) ?? null}
                    />
                  ))}
                </ul>
              ) : (
                <Empty>No drift on the nodes scanned.</Empty>
              )}
            </Section>
          ) : running ? null : (
            <Empty>
              No scan yet. Scan the pool to read every degraded node&apos;s files and group identical drift.
            </Empty>
          )}
        </>
      )}
    </>
  );
}
