'use client';
// The Monaco views: a side-by-side (or inline) diff and a read-only viewer. Loaded through ./index with ssr: false.
import { DiffEditor, Editor } from '@monaco-editor/react';
import type { editor } from 'monaco-editor/editor';
import { useEffect, useRef } from 'react';
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
  useEffect(
    () => () => {
      const m = models.current;
      if (m) setTimeout(() => (m.original.dispose(), m.modified.dispose()), 0);
    },
    [],
  );
  return (
    <div data-testid="diff-editor" className="overflow-hidden rounded border border-line" style={{ height }}>
      <DiffEditor
        original={original}
        modified={modified}
        language={language}
        theme={systemTheme()}
        keepCurrentOriginalModel
        keepCurrentModifiedModel
        onMount={(ed) => (models.current = ed.getModel())}
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
        }}
      />
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
