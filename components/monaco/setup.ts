'use client';
// Monaco from the local bundle, never a CDN (air-gapped clusters): the core editor plus the few Monarch
// tokenizers managed files need. Language *features* (the JSON service, outline, code lens) are left out on
// purpose: they need services only the full `editor.main` registers. JSON is highlighted with the JavaScript
// tokenizer. Imported only from client-side (ssr: false) modules.
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/languages/definitions/ini/register';
import 'monaco-editor/languages/definitions/yaml/register';
import 'monaco-editor/languages/definitions/shell/register';
import 'monaco-editor/languages/definitions/javascript/register';
import { loader } from '@monaco-editor/react';
// The icon font (diff +/- gutter, folding arrows): `editor` alone does not pull it in, and the package's exports
// map only resolves .js files, hence the relative path.
import '../../node_modules/monaco-editor/esm/vs/base/browser/ui/codicons/codicon/codicon.css';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

// The diff is computed in the editor worker; without it no diff is ever shown.
self.MonacoEnvironment = {
  getWorker() {
    return new Worker(new URL('monaco-editor/editor/editor.worker', import.meta.url), { type: 'module' });
  },
};

loader.config({ monaco });

export { monaco };

/** Follow the system colour scheme, as the rest of the page does. */
export function systemTheme(): 'vs' | 'vs-dark' {
  return typeof window !== 'undefined' && window.matchMedia?.('(prefers-color-scheme: dark)').matches
    ? 'vs-dark'
    : 'vs';
}
