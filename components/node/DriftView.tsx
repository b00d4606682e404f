'use client';
// The drift report of a node: every managed file, unit and dropin with its status (drifted first, filterable),
// and the chosen one side by side. The URL (?file=&view=) holds the selection, so a link restores it.
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useMemo, useState } from 'react';
import { useDrift, useWhoAmI } from '../data/hooks';
import { age, modeDifference } from '../format';
import { Badge, Empty, ErrorBox, Loading } from '../ui';
import { FilePanel } from './FilePanel';
import { statusRank, statusTone } from './status';

export function DriftView({ node, onAction }: { node: string; onAction: (label: string) => void }) {
  // Reading a node's files means exec into its daemon pod, the same right the node actions need. A user with
  // neither action allowed (and no read-only console hiding them) would only get a 403: say so instead.
  const who = useWhoAmI();
  const cannotRead = !!who.data && !who.data.readOnly && !who.data.can.restoreFile && !who.data.can.forceReconcile;
  const q = useDrift(node, (!!who.data || !!who.error) && !cannotRead);
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const selected = params.get('file');
  const sideBySide = params.get('view') !== 'inline';
  const [show, setShow] = useState<'drifted' | 'all'>('all');
  const [text, setText] = useState('');

  const setParams = (file: string | null, view: 'split' | 'inline') => {
    const p = new URLSearchParams();
    if (file) p.set('file', file);
    p.set('view', view);
    router.replace(`${pathname}?${p.toString()}`, { scroll: false });
  };

  const files = useMemo(() => {
    const all = q.data?.files ?? [];
    const t = text.trim().toLowerCase();
    return all
      .filter((f) => (show === 'all' || f.status !== 'ok') && (!t || f.path.toLowerCase().includes(t)))
      .sort((a, b) => statusRank[a.status] - statusRank[b.status] || a.path.localeCompare(b.path));
  }, [q.data, show, text]);
  const drifted = q.data?.files.filter((f) => f.status !== 'ok').length ?? 0;
  const current = q.data?.files.find((f) => f.path === selected) ?? null;

  if (cannotRead)
    return (
      <Empty height={200}>
        <span data-testid="drift-forbidden" className="max-w-xl text-center">
          Reading the files on this node needs exec into its machine-config-daemon pod, and {who.data!.why.restoreFile ?? 'you may not do that'}.
        </span>
      </Empty>
    );
  if (q.isPending) return <Loading height={460} label="Reading the node's managed files…" />;
  if (!q.data) return <ErrorBox error={q.error} what={`the drift report of ${node}`} />;

  return (
    <div className="grid grid-cols-[340px_minmax(0,1fr)] gap-4">
      <div>
        <div className="mb-2 text-sm">
          <span data-testid="drift-summary" className={drifted ? 'font-semibold text-bad' : 'font-semibold text-ok'}>
            {drifted ? `${drifted} of ${q.data.files.length} managed paths drifted` : `All ${q.data.files.length} managed paths match`}
          </span>
          <div className="text-xs text-muted">
            against <span className="font-mono">{q.data.config}</span>, read {age(q.data.checkedAt)} ago
            {q.isFetching ? ' (refreshing…)' : ''}
          </div>
        </div>
        <div className="mb-2 flex items-center gap-2">
          <div role="group" aria-label="Show files" className="flex">
            {(['all', 'drifted'] as const).map((s, i) => (
              <button
                key={s}
                type="button"
                aria-pressed={show === s}
                onClick={() => setShow(s)}
                className={`border px-2 py-0.5 text-xs ${i === 0 ? 'rounded-l' : 'rounded-r'} ${show === s ? 'border-accent bg-accent text-on-accent' : 'border-line bg-soft'}`}
              >
                {s === 'all' ? 'All' : 'Drifted'}
              </button>
            ))}
          </div>
          <input
            aria-label="Filter files by path"
            placeholder="filter paths"
            value={text}
            onChange={(e) => setText(e.target.value)}
            className="min-w-0 flex-1 rounded border border-line bg-bg px-2 py-0.5 text-sm"
          />
        </div>
        {files.length === 0 ? (
          <Empty>No files match.</Empty>
        ) : (
          <ul data-testid="drift-files" aria-label="Managed files" className="max-h-[560px] overflow-auto rounded border border-line">
            {files.map((f) => (
              <li key={f.path}>
                <button
                  type="button"
                  aria-current={f.path === selected ? 'true' : undefined}
                  onClick={() => setParams(f.path, sideBySide ? 'split' : 'inline')}
                  className={`flex w-full items-start gap-2 border-b border-line px-2 py-1 text-left ${f.path === selected ? 'bg-soft' : ''}`}
                  title={f.reason ?? f.path}
                >
                  <Badge tone={statusTone(f.status)}>{f.status}</Badge>
                  <span className="min-w-0 flex-1">
                    <span className="block truncate font-mono text-xs">{f.path}</span>
                    {f.status === 'mode' && f.actualMode != null ? (
                      <span className="block text-[11px] text-bad">{modeDifference(f.expectedMode, f.actualMode)}</span>
                    ) : null}
                  </span>
                  {f.kind !== 'file' ? <span className="text-[11px] text-muted">{f.kind}</span> : null}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="min-w-0">
        {current ? (
          <FilePanel
            node={node}
            file={current}
            config={q.data.config}
            sideBySide={sideBySide}
            setSideBySide={(v) => setParams(current.path, v ? 'split' : 'inline')}
            onAction={onAction}
          />
        ) : selected ? (
          <Empty height={420}>
            <span className="font-mono">{selected}</span>&nbsp;is not managed by {q.data.config}.
          </Empty>
        ) : (
          <Empty height={420}>Choose a file to compare what the config says with what the node has.</Empty>
        )}
      </div>
    </div>
  );
}
