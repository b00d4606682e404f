'use client';
// The drift report of a node: every managed file, unit and dropin with its status (drifted first, filterable),
// and the chosen one side by side. The URL (?file=&view=) holds the selection, so a link restores it. The page
// opens on the problem: with no ?file= the first drifted file is shown, and the list shows only drifted files.
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useMemo, useState } from 'react';
import { useDrift, useMachineConfig, useWhoAmI } from '../data/hooks';
import { FileList } from '../FileList';
import { age, languageFor, modeDifference } from '../format';
import { FileViewer } from '../monaco';
import { Badge, Empty, ErrorBox, Loading } from '../ui';
import { FilePanel } from './FilePanel';
import { statusRank, statusTone } from './status';

/** Without exec a user may still read the rendered config: show what each file should be. */
function ExpectedOnly({ config, why }: { config: string | null; why: string }) {
  const q = useMachineConfig(config ?? '', !!config);
  const [chosen, setChosen] = useState<string | null>(null);
  const note = (
    <div data-testid="drift-forbidden" className="mb-3 rounded border border-line bg-soft px-3 py-2 text-sm">
      Reading the files on this node needs exec into its machine-config-daemon pod, and {why}. Below is what its config{' '}
      <span className="font-mono">{config ?? '—'}</span> says each file should be: the expected side only.
    </div>
  );
  if (!config) return note;
  if (q.isPending)
    return (
      <>
        {note}
        <Loading height={420} />
      </>
    );
  if (!q.data)
    return (
      <>
        {note}
        <ErrorBox error={q.error} what={`MachineConfig ${config}`} />
      </>
    );
  const files = [...q.data.files].sort((a, b) => a.path.localeCompare(b.path));
  const current = files.find((f) => f.path === chosen) ?? files[0] ?? null;
  return (
    <>
      {note}
      <div className="grid grid-cols-[340px_minmax(0,1fr)] gap-4">
        <div>
          <div className="mb-2 text-sm text-muted" data-testid="expected-summary">
            {files.length} managed paths in <span className="font-mono">{config}</span>; not compared with the node.
          </div>
          <FileList
            items={files}
            selected={current?.path ?? null}
            onSelect={setChosen}
            label="Managed files"
            testId="drift-files"
            row={(f) => ({
              after: f.kind !== 'file' ? <span className="text-[11px] text-muted">{f.kind}</span> : null,
            })}
          />
        </div>
        <div className="min-w-0">
          {current ? (
            <>
              <h3 className="mb-2 font-mono text-sm font-semibold" data-testid="selected-file">
                {current.path}
              </h3>
              <div className="mb-1 text-xs text-muted">Expected: {config}</div>
              {current.text == null ? (
                <Empty height={200}>
                  {current.sensitive
                    ? 'Sensitive content withheld.'
                    : current.binary
                      ? 'Binary content.'
                      : 'No content.'}
                </Empty>
              ) : (
                <FileViewer key={current.path} text={current.text} language={languageFor(current.path)} height={420} />
              )}
            </>
          ) : (
            <Empty height={420}>The config declares no files or units.</Empty>
          )}
        </div>
      </div>
    </>
  );
}

export function DriftView({
  node,
  config,
  onAction,
}: {
  node: string;
  config: string | null;
  onAction: (label: string, path?: string) => void;
}) {
  // Reading a node's files means exec into its daemon pod, the same right the node actions need. A user with
  // neither action allowed (and no read-only console hiding them) would only get a 403: show the expected side.
  const who = useWhoAmI();
  const cannotRead = !!who.data && !who.data.readOnly && !who.data.can.restoreFile && !who.data.can.forceReconcile;
  const q = useDrift(node, (!!who.data || !!who.error) && !cannotRead);
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const sideBySide = params.get('view') !== 'inline';
  // null: not chosen yet, so "Drifted" when something drifted, else "All".
  const [chosenShow, setShow] = useState<'drifted' | 'all' | null>(null);
  const [text, setText] = useState('');

  const setParams = (file: string | null, view: 'split' | 'inline') => {
    const p = new URLSearchParams();
    if (file) p.set('file', file);
    p.set('view', view);
    router.replace(`${pathname}?${p.toString()}`, { scroll: false });
  };

  const all = q.data?.files;
  const drifted = all?.filter((f) => f.status !== 'ok').length ?? 0;
  const show = chosenShow ?? (drifted ? 'drifted' : 'all');
  const files = useMemo(() => {
    const t = text.trim().toLowerCase();
    return (all ?? [])
      .filter((f) => (show === 'all' || f.status !== 'ok') && (!t || f.path.toLowerCase().includes(t)))
      .sort((a, b) => statusRank[a.status] - statusRank[b.status] || a.path.localeCompare(b.path));
  }, [all, show, text]);
  // No ?file=: open on the first drifted file (the list is sorted drifted first).
  const firstDrifted = files.find((f) => f.status !== 'ok') ?? null;
  const selected = params.get('file') ?? firstDrifted?.path ?? null;
  const current = all?.find((f) => f.path === selected) ?? null;

  if (cannotRead) return <ExpectedOnly config={config} why={who.data!.why.restoreFile ?? 'you may not do that'} />;
  if (q.isPending) return <Loading height={460} label="Reading the node's managed files…" />;
  if (!q.data) return <ErrorBox error={q.error} what={`the drift report of ${node}`} />;
  const total = q.data.files.length;

  return (
    <div className="grid grid-cols-[340px_minmax(0,1fr)] gap-4">
      <div>
        <div className="mb-2 text-sm">
          {/* Green only where something was checked: a config with no managed paths (e.g. loaded from a dump
              without its contents) proves nothing. */}
          <span
            data-testid="drift-summary"
            className={
              drifted ? 'font-semibold text-bad' : total ? 'font-semibold text-ok' : 'font-semibold text-muted'
            }
          >
            {drifted
              ? `${drifted} of ${total} managed paths drifted`
              : total
                ? `All ${total} managed paths match`
                : 'Nothing was checked: the config declares no managed paths'}
          </span>
          <div className="text-xs text-muted">
            against <span className="font-mono">{q.data.config}</span>, read {age(q.data.checkedAt)} ago
            {q.isFetching ? ' (refreshing…)' : ''}
          </div>
        </div>
        <div className="mb-2 flex items-center gap-2">
          <div role="group" aria-label="Show files" className="flex">
            {(['drifted', 'all'] as const).map((s, i) => (
              <button
                key={s}
                type="button"
                aria-pressed={show === s}
                onClick={() => setShow(s)}
                className={`border px-2 py-0.5 text-xs ${i === 0 ? 'rounded-l' : 'rounded-r'} ${show === s ? 'border-accent bg-accent text-on-accent' : 'border-line bg-soft'}`}
              >
                {s === 'all' ? `All (${total})` : `Drifted (${drifted})`}
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
          <Empty>{show === 'drifted' && !text ? 'No file drifted.' : 'No files match.'}</Empty>
        ) : (
          <FileList
            items={files}
            selected={selected}
            onSelect={(p) => setParams(p, sideBySide ? 'split' : 'inline')}
            label="Managed files"
            testId="drift-files"
            title={(f) => (f.reason ? `${f.path}\n${f.reason}` : f.path)}
            row={(f) => ({
              before: <Badge tone={statusTone(f.status)}>{f.status}</Badge>,
              below:
                f.status === 'mode' && f.actualMode != null ? (
                  <span className="block text-[11px] text-bad">{modeDifference(f.expectedMode, f.actualMode)}</span>
                ) : null,
              after: f.kind !== 'file' ? <span className="text-[11px] text-muted">{f.kind}</span> : null,
            })}
          />
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
          <Empty height={420}>
            {total ? 'Every file matches. Choose one to see it beside its config.' : 'No managed paths to show.'}
          </Empty>
        )}
      </div>
    </div>
  );
}
