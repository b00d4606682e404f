'use client';
// Monaco touches window: load the editable YAML editor client-side only, reserving its height meanwhile.
import dynamic from 'next/dynamic';
import type { ComponentProps } from 'react';
import type { YamlEditorImpl } from './YamlEditorImpl';

const Impl = dynamic(
  async () => {
    await import('../monaco/setup');
    return (await import('./YamlEditorImpl')).YamlEditorImpl;
  },
  {
    ssr: false,
    loading: () => (
      <div className="flex h-full items-center justify-center rounded border border-line text-muted">
        Loading editor…
      </div>
    ),
  },
);

export function YamlEditor(props: ComponentProps<typeof YamlEditorImpl>) {
  return (
    <div style={{ height: props.height }}>
      <Impl {...props} />
    </div>
  );
}
