'use client';
// Monaco from the local bundle, never a CDN (air-gapped clusters): the core editor, the few languages managed files
// use, and workers built by the bundler. Imported only from client-side (ssr: false) modules.
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/languages/definitions/ini/register';
import 'monaco-editor/languages/definitions/yaml/register';
import 'monaco-editor/languages/definitions/shell/register';
import 'monaco-editor/languages/features/json/register';
import { loader } from '@monaco-editor/react';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

self.MonacoEnvironment = {
  getWorker(_id: string, label: string) {
    if (label === 'json')
      return new Worker(new URL('monaco-editor/languages/features/json/json.worker', import.meta.url), { type: 'module' });
    return new Worker(new URL('monaco-editor/editor/editor.worker', import.meta.url), { type: 'module' });
  },
};

loader.config({ monaco });

export { monaco };

/** Follow the system colour scheme, as the rest of the page does. */
export function systemTheme(): 'vs' | 'vs-dark' {
  return typeof window !== 'undefined' && window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'vs-dark' : 'vs';
}
