// Small display helpers shared by the pages.
import { octalModeText } from '@/lib/mco/mode';

/** 420 → `0644`. */
export const octal = octalModeText;

/** 420 → `-rw-r--r--` (setuid/setgid/sticky shown as ls does). */
export function symbolic(mode: number): string {
  const rwx = (bits: number, special: boolean, ch: string) =>
    (bits & 4 ? 'r' : '-') +
    (bits & 2 ? 'w' : '-') +
    (special ? (bits & 1 ? ch : ch.toUpperCase()) : bits & 1 ? 'x' : '-');
  return (
    '-' +
    rwx((mode >> 6) & 7, !!(mode & 0o4000), 's') +
    rwx((mode >> 3) & 7, !!(mode & 0o2000), 's') +
    rwx(mode & 7, !!(mode & 0o1000), 't')
  );
}

export const modeText = (mode: number) => `${octal(mode)} (${symbolic(mode)})`;

/** `expected 0644 (-rw-r--r--), node has 0666 (-rw-rw-rw-)` */
export function modeDifference(expected: number, actual: number): string {
  return `expected ${modeText(expected)}, node has ${modeText(actual)}`;
}

export function age(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** `2026-11-30 12:42:27Z`: ISO 8601 in UTC, the same in every browser (never the browser's locale). */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 19).replace('T', ' ') + 'Z';
}

/** Milliseconds since the epoch of an ISO time, 0 when absent or unparseable (sorts last in newest-first order). */
export function epoch(iso: string | null | undefined): number {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

export function bytes(n: number | null | undefined): string {
  if (n == null) return '—';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** Monaco language for a managed path. */
export function languageFor(path: string): string {
  const base = path.split('/').pop() ?? path;
  if (/\.(service|socket|timer|mount|target|path|slice|conf)$/.test(base) && path.includes('/systemd/')) return 'ini';
  if (/\.ya?ml$/.test(base)) return 'yaml';
  // JSON: the JavaScript tokenizer (the JSON language service is not bundled).
  if (/\.json$/.test(base)) return 'javascript';
  if (/\.toml$/.test(base) || path.includes('/crio/') || base === 'registries.conf') return 'ini';
  if (/\.(sh|bash)$/.test(base) || path.includes('/dispatcher.d/') || path.startsWith('/usr/local/bin/'))
    return 'shell';
  if (/\.(ini|conf|env|service|cfg)$/.test(base)) return 'ini';
  return 'plaintext';
}

/** An editor height that fits the text (Monaco lines are 18 px) within sensible bounds, so short files leave no gap. */
export function editorHeight(...texts: (string | null | undefined)[]): number {
  const lines = Math.max(1, ...texts.map((t) => (t ? t.split('\n').length : 1)));
  return Math.min(560, Math.max(160, lines * 18 + 48));
}
