'use client';
// The Monaco views: a side-by-side (or inline) diff and a read-only viewer. Loaded through ./index with ssr: false.
// The diff opens on its first change with unchanged stretches folded away (Monaco's hideUnchangedRegions), and has
// previous/next-change buttons and a wrap toggle, so a change on line 35 of a long unit is on screen without scrolling.
import { DiffEditor, Editor } from '@monaco-editor/react';
import type { editor } from 'monaco-editor/editor';
import { useEffect, useRef, useState } from 'react';
import { systemTheme } from './setup';

const common = {
  readOnly: true,
  domReadOnly: true,
  minimap: { enabled: false },
  scrollBeyondLastLine: false,
  fontSize: 13,
  automaticLayout: true,
  renderWhitespace: 'boundary' as const,
};

/** Height of the toolbar above the diff (kept in step with ./index, which reserves the space). */
export const DIFF_TOOLBAR_PX = 30;

const toolButton = 'rounded border border-line bg-soft px-2 py-0.5 text-xs disabled:opacity-50';

export function FileDiff({
  original,
  modified,
  language,
  sideBySide,
  height = 420,
}: {
  original: string;
  modified: string;
  language: string;
  sideBySide: boolean;
  height?: number;
}) {
  // @monaco-editor/react disposes the models before the diff widget lets go of them on unmount, which throws
  // ("TextModel got disposed before DiffEditorWidget model got reset"). Keep them, then release them ourselves
  // after the widget is gone.
  const models = useRef<editor.IDiffEditorModel | null>(null);
  const ed = useRef<editor.IStandaloneDiffEditor | null>(null);
  const [changes, setChanges] = useState<number | null>(null);
  const [wrap, setWrap] = useState(false);
  useEffect(
    () => () => {
      const m = models.current;
      if (m) setTimeout(() => (m.original.dispose(), m.modified.dispose()), 0);
    },
    [],
  );
  useEffect(
    () => ed.current?.updateOptions({ diffWordWrap: wrap ? 'on' : 'off', wordWrap: wrap ? 'on' : 'off' }),
    [wrap],
  );

  const onMount = (e: editor.IStandaloneDiffEditor) => {
    ed.current = e;
    models.current = e.getModel();
    let revealed = false;
    // The diff is computed in a worker after mount: land on the first change once it is known.
    e.onDidUpdateDiff(() => {
      const lc = e.getLineChanges() ?? [];
      setChanges(lc.length);
      if (!revealed && lc.length) {
        revealed = true;
        const first = lc[0]!;
        const line = Math.max(1, first.modifiedStartLineNumber);
        e.getModifiedEditor().revealLineInCenterIfOutsideViewport(line);
        e.getModifiedEditor().setPosition({ lineNumber: line, column: 1 });
      }
    });
  };
  const go = (target: 'next' | 'previous') => {
    ed.current?.goToDiff(target);
  };

  return (
    <div>
      <div className="mb-1 flex items-center gap-2 text-xs" style={{ height: DIFF_TOOLBAR_PX - 4 }}>
        <button
          type="button"
          className={toolButton}
          data-testid="diff-prev"
          disabled={!changes}
          onClick={() => go('previous')}
        >
          ↑ Previous change
        </button>
        <button
          type="button"
          className={toolButton}
          data-testid="diff-next"
          disabled={!changes}
          onClick={() => go('next')}
        >
          ↓ Next change
        </button>
        <span className="text-muted" data-testid="diff-count">
          {changes == null
            ? ''
            : changes === 0
              ? 'no line changes'
              : `${changes} change${changes === 1 ? '' : 's'}; unchanged lines folded`}
        </span>
        <label className="ml-auto flex items-center gap-1 text-muted">
          <input type="checkbox" data-testid="diff-wrap" checked={wrap} onChange={(e) => setWrap(e.target.checked)} />
          Wrap lines
        </label>
      </div>
      <div data-testid="diff-editor" className="overflow-hidden rounded border border-line" style={{ height }}>
        <DiffEditor
          original={original}
          modified={modified}
          language={language}
          theme={systemTheme()}
          keepCurrentOriginalModel
          keepCurrentModifiedModel
          onMount={onMount}
          loading={<div className="p-3 text-muted">Loading editor…</div>}
          options={{
            ...common,
            originalEditable: false,
            renderSideBySide: sideBySide,
            // Keep the chosen layout at 1280 px: Monaco otherwise switches to inline when space is short.
            useInlineViewWhenSpaceIsLimited: false,
            ignoreTrimWhitespace: false,
            renderOverviewRuler: false,
            renderMarginRevertIcon: false,
            // Fold long unchanged stretches (3 lines of context kept); the fold bar unfolds them on click.
            hideUnchangedRegions: { enabled: true, contextLineCount: 3, minimumLineCount: 3, revealLineCount: 20 },
            diffWordWrap: 'off',
          }}
        />
      </div>
    </div>
  );
}

export function FileViewer({ text, language, height = 420 }: { text: string; language: string; height?: number }) {
  return (
    <div data-testid="file-viewer" className="overflow-hidden rounded border border-line" style={{ height }}>
      <Editor
        value={text}
        language={language}
        theme={systemTheme()}
        loading={<div className="p-3 text-muted">Loading editor…</div>}
        options={common}
      />
    </div>
  );
}
