'use client';
// One managed file: expected (rendered config) vs actual (on the node) in a Monaco diff, the mode difference in
// words, a missing file explained, and sensitive content masked until revealed.
import { useState } from 'react';
import type { DriftFile, FileReply } from '@/lib/api/types';
import { useNodeFile } from '../data/hooks';
import { bytes, editorHeight, languageFor, modeDifference, modeText } from '../format';
import { FileDiff } from '../monaco';
import { Badge, Button, ErrorBox, Loading } from '../ui';
import { PermissionNote, usePermission } from '../data/permissions';
import { AdoptLink } from '../plan/AdoptLink';
import { RestoreFile } from './RestoreFile';
import { statusTone } from './status';

function ModeLine({ f }: { f: FileReply }) {
  if (!f.actual) return null;
  if (f.actual.mode === f.expected.mode)
    return <div className="text-xs text-muted">Mode {modeText(f.expected.mode)} on both sides.</div>;
  return (
    <div data-testid="mode-difference" className="rounded border border-bad/40 bg-bad-bg px-2 py-1 text-sm text-bad">
      Mode differs: {modeDifference(f.expected.mode, f.actual.mode)}
    </div>
  );
}

export function FilePanel({
  node,
  file,
  config,
  sideBySide,
  setSideBySide,
  onAction,
}: {
  node: string;
  file: DriftFile;
  config: string;
  sideBySide: boolean;
  setSideBySide: (v: boolean) => void;
  onAction: (label: string, path?: string) => void;
}) {
  const [reveal, setReveal] = useState(false);
  const perm = usePermission('revealSensitive');
  const q = useNodeFile(node, file.path, reveal);
  const f = q.data;
  const redacted = !!f && (f.expected.redacted || f.actual?.redacted);

  let body;
  if (q.isPending) body = <Loading height={420} label="Reading the file from the node…" />;
  else if (!f) body = <ErrorBox error={q.error} what={file.path} />;
  else if (redacted)
    body = (
      <div className="flex min-h-[200px] flex-col items-center justify-center gap-3 rounded border border-dashed border-line p-4 text-center">
        <div>
          <b>Sensitive file.</b> Its content is hidden ({bytes(f.expected.size)} expected
          {f.actual ? `, ${bytes(f.actual.size)} on the node` : ''};{' '}
          {f.status === 'content' ? 'they differ' : f.status === 'ok' ? 'they match' : f.status}).
        </div>
        <Button testId="reveal" disabled={!perm.allowed} why={perm.why} onClick={() => setReveal(true)}>
          Reveal
        </Button>
        <PermissionNote perm={perm} />
      </div>
    );
  else if (f.expected.binary || f.actual?.binary)
    body = (
      <div className="rounded border border-dashed border-line p-4 text-muted">
        Binary content: no text diff. sha256 expected {f.expected.sha256.slice(0, 16)}…
        {f.actual ? `, node ${f.actual.sha256.slice(0, 16)}…` : ''}
      </div>
    );
  else
    body = (
      <>
        {/* Inline mode is one column: one title naming both sides. */}
        <div data-testid="diff-titles" className={`mb-1 text-xs text-muted ${sideBySide ? 'grid grid-cols-2' : ''}`}>
          {sideBySide ? (
            <>
              <span>Expected: {config}</span>
              <span>{f.actual ? `Actual: on ${node}` : `Actual: missing on ${node}`}</span>
            </>
          ) : (
            <span>
              Expected ({config}, removed lines) → actual {f.actual ? `on ${node}` : `(missing on ${node})`} (added
              lines)
            </span>
          )}
        </div>
        <FileDiff
          key={`${file.path}-${sideBySide}`}
          original={f.expected.text ?? ''}
          modified={f.actual?.text ?? ''}
          language={languageFor(file.path)}
          sideBySide={sideBySide}
          height={editorHeight(f.expected.text, f.actual?.text)}
        />
      </>
    );

  return (
    <div>
      <div className="mb-2 flex flex-wrap items-center gap-2">
        <h3 className="font-mono text-sm font-semibold" data-testid="selected-file">
          {file.path}
        </h3>
        <Badge tone={statusTone(file.status)}>{file.status}</Badge>
        <span className="text-xs text-muted">{file.kind}</span>
        <div className="ml-auto flex items-center gap-2">
          <div role="group" aria-label="Diff layout" className="flex">
            <button
              type="button"
              aria-pressed={sideBySide}
              onClick={() => setSideBySide(true)}
              className={`rounded-l border px-2 py-0.5 text-xs ${sideBySide ? 'border-accent bg-accent text-on-accent' : 'border-line bg-soft'}`}
            >
              Split
            </button>
            <button
              type="button"
              aria-pressed={!sideBySide}
              onClick={() => setSideBySide(false)}
              className={`rounded-r border px-2 py-0.5 text-xs ${!sideBySide ? 'border-accent bg-accent text-on-accent' : 'border-line bg-soft'}`}
            >
              Inline
            </button>
          </div>
          <AdoptLink node={node} path={file.path} kind={file.kind} status={file.status} />
          <RestoreFile
            node={node}
            file={file}
            config={config}
            onStarted={() => onAction(`Restore ${file.path}`, file.path)}
          />
        </div>
      </div>
      <div className="mb-2 space-y-1">
        {file.reason ? (
          <div className="font-mono text-xs text-muted" data-testid="file-reason">
            reason: {file.reason}
          </div>
        ) : null}
        {f && !f.actual ? (
          <div data-testid="missing-note" className="rounded border border-bad/40 bg-bad-bg px-2 py-1 text-sm text-bad">
            The file is missing on the node. The config expects it with mode {modeText(f.expected.mode)} and{' '}
            {bytes(f.expected.size)}; restoring writes it back.
          </div>
        ) : null}
        {f && f.status === 'unreadable' ? (
          <div className="rounded border border-bad/40 bg-bad-bg px-2 py-1 text-sm text-bad">
            The daemon could not read this file on the node (not a regular file, or no permission).
          </div>
        ) : null}
        {f ? <ModeLine f={f} /> : null}
      </div>
      {body}
    </div>
  );
}
