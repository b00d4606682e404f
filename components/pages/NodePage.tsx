'use client';
// `/nodes/<node>` (the Details tab) and `/nodes/<node>/drift` (the Drift tab): the node's MCO state, its configs,
// the reason in words, MachineConfigNode phases, events, the drift report, and the actions that fix it. Each tab is
// its own URL, so a link opens the one it names.
import Link from 'next/link';
import { Suspense } from 'react';
import type { NodeReply } from '@/lib/api/types';
import { useDrift, useNode } from '../data/hooks';
import { Events } from '../Events';
import { when } from '../format';
import { DriftView } from '../node/DriftView';
import { FollowStrip } from '../node/FollowStrip';
import { useFollow } from '../node/follow';
import { ForceReconcile } from '../node/ForceReconcile';
import { Badge, ConfigLink, ErrorBox, Loading, NodeState, PageTitle, Section } from '../ui';

function Details({ n }: { n: NodeReply }) {
  const differs = n.currentConfig && n.desiredConfig && n.currentConfig !== n.desiredConfig;
  return (
    <div className="grid grid-cols-2 gap-6">
      <Section title="Machine Config Operator">
        <dl className="grid grid-cols-[190px_1fr] gap-x-2 gap-y-1 text-sm">
          <dt className="text-muted">State</dt>
          <dd>
            <NodeState state={n.state} phase={n.postConfigAction === 'Rebooting' || !n.ready ? 'rebooting' : null} />
          </dd>
          <dt className="text-muted">Current config</dt>
          <dd>
            <ConfigLink name={n.currentConfig} />
          </dd>
          <dt className="text-muted">Desired config</dt>
          <dd>
            <ConfigLink name={n.desiredConfig} />
            {differs ? (
              <Link
                className="ml-2 text-xs"
                href={`/compare?from=${encodeURIComponent(n.currentConfig!)}&to=${encodeURIComponent(n.desiredConfig!)}`}
              >
                compare
              </Link>
            ) : null}
          </dd>
          <dt className="text-muted">Drain</dt>
          <dd className="font-mono text-xs">
            desired {n.drain.desired ?? '—'} / applied {n.drain.lastApplied ?? '—'}
          </dd>
          <dt className="text-muted">Node</dt>
          <dd>
            {n.ready ? <Badge tone="ok">Ready</Badge> : <Badge tone="bad">NotReady</Badge>}
            {n.unschedulable ? (
              <span className="ml-1">
                <Badge tone="idle">SchedulingDisabled</Badge>
              </span>
            ) : null}
          </dd>
          <dt className="text-muted">Addresses</dt>
          <dd className="font-mono text-xs">{n.addresses.map((a) => `${a.type} ${a.address}`).join(', ') || '—'}</dd>
          {Object.entries(n.nodeInfo).map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-muted">{k}</dt>
              <dd className="text-xs">{v}</dd>
            </div>
          ))}
        </dl>
      </Section>
      <div>
        <Section title="MachineConfigNode">
          {n.machineConfigNode ? (
            <ol data-testid="mcn-phases" className="space-y-1 border-l border-line pl-3 text-sm">
              {n.machineConfigNode.phases.map((p) => (
                <li key={p.type}>
                  <Badge tone={p.status === 'True' ? (/Degraded/.test(p.type) ? 'bad' : 'busy') : 'idle'}>
                    {p.status}
                  </Badge>{' '}
                  <span className="font-medium">{p.type}</span>{' '}
                  <span className="text-xs text-muted">{when(p.lastTransitionTime)}</span>
                  {p.message ? <div className="text-xs text-muted">{p.message}</div> : null}
                </li>
              ))}
            </ol>
          ) : (
            <p className="text-sm text-muted">
              This cluster does not serve MachineConfigNodes (OpenShift 4.20 and later do).
            </p>
          )}
        </Section>
        <Services s={n.services} />
      </div>
    </div>
  );
}

function Tabs({ name, drift }: { name: string; drift: boolean }) {
  const base = `/nodes/${encodeURIComponent(name)}`;
  const tab = (href: string, selected: boolean, label: string, id: string) => (
    <Link
      href={href}
      role="tab"
      id={id}
      aria-selected={selected}
      aria-controls="node-tabpanel"
      data-testid={id}
      className={`-mb-px border-b-2 px-3 py-1.5 text-sm hover:no-underline ${selected ? 'border-accent font-medium text-fg' : 'border-transparent text-muted'}`}
    >
      {label}
    </Link>
  );
  return (
    <div role="tablist" aria-label="Node views" className="mb-4 flex gap-1 border-b border-line">
      {tab(`${base}/drift`, drift, 'Drift', 'tab-drift')}
      {tab(base, !drift, 'Details and events', 'tab-details')}
    </div>
  );
}

/** Services reloaded or restarted since the last boot, and the last post-config action (from Events and the MCN). */
function Services({ s }: { s: NodeReply['services'] }) {
  return (
    <Section title="Services since the last boot">
      <dl className="grid grid-cols-[190px_1fr] gap-x-2 gap-y-1 text-sm">
        <dt className="text-muted">Last post-config action</dt>
        <dd data-testid="last-post-action">
          {s.lastPostConfigAction ? (
            <>
              {s.lastPostConfigAction.summary}{' '}
              <span className="text-xs text-muted">
                {when(s.lastPostConfigAction.time)} (
                {s.lastPostConfigAction.source === 'MachineConfigNode' ? 'MachineConfigNode' : 'Event'})
              </span>
            </>
          ) : (
            <span className="text-muted">none recorded</span>
          )}
        </dd>
        <dt className="text-muted">Last reboot</dt>
        <dd>{s.lastReboot ? when(s.lastReboot) : <span className="text-muted">none in the events kept</span>}</dd>
      </dl>
      {s.sinceBoot.length ? (
        <ul data-testid="services-since-boot" className="mt-2 space-y-1 text-sm">
          {s.sinceBoot.map((a, i) => (
            <li key={`${a.time}-${i}`}>
              <Badge tone="busy">{a.action}</Badge> <span className="font-mono text-xs">{a.unit ?? 'systemd'}</span>{' '}
              <span className="text-xs text-muted">
                {when(a.time)} · {a.source === 'plumb' ? 'through Plumb' : (a.source ?? a.reason)}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p data-testid="services-since-boot" className="mt-2 text-sm text-muted">
          No service reloaded or restarted since the last boot.
        </p>
      )}
    </Section>
  );
}

/** `first`: the node the server rendered into the document (app/nodes/[node]/page.tsx), events left out, if it could. */
export function NodePage({ name, driftFirst, first }: { name: string; driftFirst: boolean; first: NodeReply | null }) {
  const q = useNode(name, first ?? undefined);
  const f = useFollow(q.data);
  // The drift report DriftView reads (not fetched here): the follow strip says when a restored file is fixed.
  const drift = useDrift(name, false);
  if (q.isPending)
    return (
      <>
        <PageTitle>Node {name}</PageTitle>
        <Loading height={500} />
      </>
    );
  if (!q.data) return <ErrorBox error={q.error} what={`node ${name}`} />;
  const n = q.data;
  const bad = n.state === 'Degraded' || n.state === 'Unreconcilable';
  const driftPanel = (
    <Section title="Drift: the config vs the node" id="drift-h">
      <Suspense fallback={<Loading height={460} />}>
        <DriftView node={name} config={n.currentConfig} onAction={f.start} />
      </Suspense>
    </Section>
  );
  return (
    <>
      <div className="mb-3 flex items-start justify-between gap-4">
        <PageTitle
          sub={
            <span className="flex flex-wrap items-center gap-2">
              <NodeState state={n.state} phase={n.postConfigAction === 'Rebooting' || !n.ready ? 'rebooting' : null} />
              {n.pool ? (
                <span>
                  pool <Link href={`/pools/${encodeURIComponent(n.pool)}`}>{n.pool}</Link>
                </span>
              ) : (
                <span>in no pool</span>
              )}
            </span>
          }
        >
          Node {n.name}
        </PageTitle>
        <ForceReconcile node={name} config={n.currentConfig} onStarted={() => f.start('Force reconcile')} />
      </div>
      {f.follow ? <FollowStrip follow={f.follow} drift={drift.data} onDismiss={f.clear} /> : null}
      <div
        data-testid="reason"
        className={`mb-5 rounded border px-3 py-2 ${bad ? 'border-bad/40 bg-bad-bg' : 'border-line bg-soft'}`}
      >
        <div className={bad ? 'font-medium text-bad' : ''}>
          {n.explanation.summary || 'The node reports no problem.'}
        </div>
        {n.reason ? <div className="mt-1 font-mono text-xs text-muted">{n.reason}</div> : null}
      </div>
      <Tabs name={name} drift={driftFirst} />
      <div role="tabpanel" id="node-tabpanel" aria-labelledby={driftFirst ? 'tab-drift' : 'tab-details'}>
        {driftFirst ? (
          driftPanel
        ) : (
          <>
            <Details n={n} />
            <Section title="Events">
              {q.isPlaceholderData ? <Loading height={80} /> : <Events events={n.events} />}
            </Section>
          </>
        )}
      </div>
    </>
  );
}
