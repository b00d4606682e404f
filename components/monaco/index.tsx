'use client';
// Monaco must not render on the server (it touches window): load it client-side only. The wrapper reserves the
// editor's height while the bundle loads, so nothing below it moves when it appears.
import dynamic from 'next/dynamic';
import type { ComponentProps } from 'react';
import type * as E from './Editors';

function Placeholder() {
  return (
    <div className="flex h-full items-center justify-center rounded border border-line text-muted">Loading editor…</div>
  );
}

const Diff = dynamic(
  async () => {
    await import('./setup');
    return (await import('./Editors')).FileDiff;
  },
  { ssr: false, loading: Placeholder },
);

const Viewer = dynamic(
  async () => {
    await import('./setup');
    return (await import('./Editors')).FileViewer;
  },
  { ssr: false, loading: Placeholder },
);

// The diff's toolbar (previous/next change, wrap) sits above the editor: reserve its height too.
const TOOLBAR_PX = 30;

export function FileDiff(props: ComponentProps<typeof E.FileDiff>) {
  return (
    <div style={{ height: (props.height ?? 420) + TOOLBAR_PX }}>
      <Diff {...props} />
    </div>
  );
}

export function FileViewer(props: ComponentProps<typeof E.FileViewer>) {
  return (
    <div style={{ height: props.height ?? 420 }}>
      <Viewer {...props} />
    </div>
  );
}
