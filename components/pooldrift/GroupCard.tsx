'use client';
// One group of identical drift: the path, how many nodes have it, its diff shown once, and its actions (restore on
// all its nodes with one confirmation that lists them; adopt it as a MachineConfig through the plan page).
import Link from 'next/link';
import { useState } from 'react';
import type { PoolDriftGroup, PoolRestoreJob } from '@/lib/api/pooldrift';
import { adoptLink, groupLink, octalMode } from '@/lib/mco/pooldrift';
import { ApiFailure } from '../data/fetcher';
import { usePathPolicy } from '../data/hooks';
import { PermissionNote, usePermission } from '../data/permissions';
import { ConfirmDialog } from '../Dialog';
import { editorHeight, languageFor, modeText } from '../format';
import { FileDiff } from '../monaco';
import { Badge, Button } from '../ui';
import { usePoolDriftActions } from './hooks';

const BATCH = 5;

function Diff({ g }: { g: PoolDriftGroup }) {
  if (g.status === 'mode')
    return (
      <div className="text-sm">
        Mode {g.expected.mode === null ? '—' : modeText(g.expected.mode)} expected,{' '}
        {g.mode === null ? '—' : modeText(g.mode)} on the nodes; contents match.
      </div>
    );
  if (g.status !== 'content') return <div className="text-sm text-muted">{g.reason}</div>;
  if (g.actual?.redacted || g.expected.redacted)
    return (
      <div data-testid="group-redacted" className="text-sm text-muted">
        Contents withheld: this file is sensitive. Reveal it with the button above if you may read secrets.
      </div>
    );
  if (g.expected.text === null || g.actual?.text == null)
    return <div className="text-sm text-muted">Binary or too large to show (sha256 {g.hash}).</div>;
  return (
    <FileDiff
      original={g.expected.text}
      modified={g.actual.text}
      language={languageFor(g.path)}
      sideBySide={false}
      height={Math.min(360, editorHeight(g.expected.text, g.actual.text))}
    />
  );
}

export function GroupCard({
  pool,
  g,
  selected,
  job,
}: {
  pool: string;
  g: PoolDriftGroup;
  selected: boolean;
  job: PoolRestoreJob | null;
}) {
  const perm = usePermission('restoreFile');
  const { restore } = usePoolDriftActions(pool);
  const [open, setOpen] = useState(false);
  const [showDiff, setShowDiff] = useState(selected);
  // What the MCO does for this path (the cluster's NodeDisruptionPolicy), asked for the group's first node.
  const policy = usePathPolicy(g.nodes[0] ?? '', g.path, open && g.nodes.length > 0);
  const offer = policy.data?.status === 'decided' ? policy.data.offer : [];
  const offerWords = offer
    .map((a) =>
      a.type === 'DaemonReload'
        ? 'systemctl daemon-reload'
        : `${a.type === 'Reload' ? 'reload' : 'restart'} ${a.serviceName}`,
    )
    .join(', then ');
  const [withPolicy, setWithPolicy] = useState(true);
  const total = g.nodes.length + g.restoredNodes.length;
  const adopt = adoptLink(g);
  const running = job?.state === 'running';
  const close = () => {
    setOpen(false);
    restore.reset();
  };
  return (
    <li
      id={`group-${g.id}`}
      data-testid="drift-group"
      data-path={g.path}
      data-hash={g.hash}
      className={`rounded border p-3 ${selected ? 'border-accent' : 'border-line'}`}
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div>
          <Link href={groupLink(pool, g)} className="font-mono text-[13px] font-semibold" data-testid="group-link">
            {g.path}
          </Link>
          <span className="ml-2 text-sm">
            the same {g.status === 'content' ? 'change' : g.status} on <b data-testid="group-count">{total}</b> node
            {total === 1 ? '' : 's'}
          </span>
          {g.sensitive ? (
            <span className="ml-2">
              <Badge tone="warn">sensitive</Badge>
            </span>
          ) : null}
        </div>
        <div className="flex items-center gap-2">
          <Button onClick={() => setShowDiff(!showDiff)}>{showDiff ? 'Hide diff' : 'Show diff'}</Button>
          {adopt ? (
            // Not prefetched: the plan page may not be served by this console version yet, and a prefetch 404 is noise.
            <Link
              prefetch={false}
              href={adopt}
              className="rounded border border-line bg-soft px-3 py-1 text-sm font-medium"
              data-testid="group-adopt"
              title="Make this content the pool's configuration: one MachineConfig, planned before it is applied"
            >
              Adopt as a MachineConfig
            </Link>
          ) : null}
          <Button
            testId="group-restore"
            tone="primary"
            disabled={!perm.allowed || g.nodes.length === 0 || running}
            why={perm.why || (running ? 'A restore is running.' : 'No node left.')}
            onClick={() => setOpen(true)}
          >
            Restore on {g.nodes.length} node{g.nodes.length === 1 ? '' : 's'}
          </Button>
        </div>
      </div>
      <div className="mt-1 text-xs text-muted">
        <span className="font-mono">{g.reason}</span> · expected mode {octalMode(g.expected.mode)}, actual{' '}
        {octalMode(g.mode) || '—'} · compared with <span className="font-mono">{g.configs.join(', ')}</span>
      </div>
      <div className="mt-2 flex flex-wrap gap-1 text-xs" data-testid="group-nodes">
        {g.nodes.map((n) => (
          <Link
            key={n}
            href={`/nodes/${encodeURIComponent(n)}/drift?file=${encodeURIComponent(g.path)}`}
            className="rounded bg-soft px-1.5 py-0.5 font-mono"
          >
            {n}
          </Link>
        ))}
        {g.restoredNodes.map((n) => (
          <span key={n} className="rounded bg-ok-bg px-1.5 py-0.5 font-mono text-ok" title="restored through Plumb">
            {n} ✓
          </span>
        ))}
      </div>
      <PermissionNote perm={perm} />
      {job ? (
        <div className="mt-2" data-testid="restore-progress">
          <div className="text-xs font-semibold">
            Restore by {job.startedBy}: {job.nodes.filter((n) => n.state === 'restored').length}/{job.nodes.length}{' '}
            restored
            {job.state === 'stopped' ? ' — stopped after a failure' : job.state === 'done' ? ' — finished' : '…'}
          </div>
          <ul className="mt-1 grid grid-cols-3 gap-1 text-xs">
            {job.nodes.map((n) => (
              <li key={n.node} data-testid="restore-node" data-state={n.state} title={n.message ?? ''}>
                <Badge
                  tone={
                    n.state === 'restored'
                      ? 'ok'
                      : n.state === 'failed'
                        ? 'bad'
                        : n.state === 'running'
                          ? 'busy'
                          : 'idle'
                  }
                >
                  {n.state}
                </Badge>{' '}
                <span className="font-mono">{n.node}</span>
                {n.state === 'failed' ? <div className="text-bad">{n.message}</div> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {showDiff ? (
        <div className="mt-2">
          <Diff g={g} />
        </div>
      ) : null}
      <ConfirmDialog
        open={open}
        title={`Restore ${g.path} on ${g.nodes.length} node${g.nodes.length === 1 ? '' : 's'}?`}
        confirmLabel={`Restore on ${g.nodes.length} node${g.nodes.length === 1 ? '' : 's'}`}
        busy={restore.isPending}
        error={
          restore.error instanceof ApiFailure ? restore.error.message : restore.error ? String(restore.error) : null
        }
        command={g.nodes
          .slice(0, 3)
          .map(
            (n) =>
              `oc debug node/${n} -- chroot /host sh -c 'cat > ${g.path}.new && chmod ${octalMode(g.expected.mode)} ${g.path}.new && mv ${g.path}.new ${g.path}' < ./expected`,
          )
          .concat(g.nodes.length > 3 ? [`# … and the same on ${g.nodes.length - 3} more node(s)`] : [])
          .join('\n')}
        onClose={close}
        onConfirm={() =>
          restore.mutate(
            {
              group: g.id,
              nodes: g.nodes,
              batchSize: BATCH,
              maxFailures: 1,
              policyAction: withPolicy && offer.length > 0,
            },
            { onSuccess: close },
          )
        }
      >
        <p>
          Plumb writes the contents and mode ({octalMode(g.expected.mode)}) that each node&apos;s current config gives{' '}
          <span className="font-mono">{g.path}</span> back onto these nodes, {BATCH} at a time, and stops at the first
          failure (the nodes not yet started are left as they are):
        </p>
        <ul data-testid="confirm-nodes" className="max-h-40 overflow-y-auto rounded bg-soft p-2 font-mono text-xs">
          {g.nodes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
        <p data-testid="group-policy">
          {policy.data ? (
            <>For this path {policy.data.sentence}.</>
          ) : policy.isPending ? (
            'Reading what the MCO does for this path…'
          ) : null}
        </p>
        {offer.length ? (
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={withPolicy}
              onChange={(e) => setWithPolicy(e.target.checked)}
              data-testid="group-policy-action"
            />{' '}
            then {offerWords} on each node, as the MCO would
          </label>
        ) : null}
        <p>
          No drain and no reboot: once every managed file of a node matches, its daemon marks it Done by itself.
          {offer.length && withPolicy ? '' : ' Running services keep the hand-edited settings until they restart.'} Each
          node&apos;s result is recorded as an Event on that node.
        </p>
      </ConfirmDialog>
    </li>
  );
}
