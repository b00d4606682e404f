'use client';
// The editable Monaco editor of the plan page (YAML). Loaded through ./YamlEditor with ssr: false.
import { Editor } from '@monaco-editor/react';
import { systemTheme } from '../monaco/setup';

export function YamlEditorImpl({
  value,
  onChange,
  height,
}: {
  value: string;
  onChange: (v: string) => void;
  height: number;
}) {
  return (
    <div data-testid="plan-editor" className="overflow-hidden rounded border border-line" style={{ height }}>
      <Editor
        value={value}
        language="yaml"
        theme={systemTheme()}
        onChange={(v) => onChange(v ?? '')}
        loading={<div className="p-3 text-muted">Loading editor…</div>}
        options={{
          minimap: { enabled: false },
          scrollBeyondLastLine: false,
          fontSize: 13,
          automaticLayout: true,
          tabSize: 2,
        }}
      />
    </div>
  );
}
