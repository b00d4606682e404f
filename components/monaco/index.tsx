'use client';
// Monaco must not render on the server (it touches window): load it client-side only.
import dynamic from 'next/dynamic';

const placeholder = (height = 420) =>
  function Placeholder() {
    return (
      <div className="flex items-center justify-center rounded border border-line text-muted" style={{ height }}>
        Loading editor…
      </div>
    );
  };

export const FileDiff = dynamic(
  async () => {
    await import('./setup');
    return (await import('./Editors')).FileDiff;
  },
  { ssr: false, loading: placeholder() },
);

export const FileViewer = dynamic(
  async () => {
    await import('./setup');
    return (await import('./Editors')).FileViewer;
  },
  { ssr: false, loading: placeholder() },
);
