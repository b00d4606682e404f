// Line diffs for file contents, shared by lib/mco/diff (config comparison) and the UI.
// Pure: runs in the browser, the server and the simulator alike.
import { diffLines } from 'diff';
import { bytesToText } from './text';

/** One line-level change of a file between two versions (the `diff` package's Change shape). */
export interface LineChange {
  value: string;
  added?: boolean;
  removed?: boolean;
  count?: number;
}

/**
 * The line-level changes turning `a` into `b`, in the `diff` package's Change shape (runs of unchanged,
 * removed and added lines; `count` is the number of lines in the run). Identical inputs give one unchanged run
 * (or none when both are empty).
 */
export function lineDiff(a: string, b: string): LineChange[] {
  return diffLines(a, b).map((c) => {
    const change: LineChange = { value: c.value, count: c.count };
    if (c.added) change.added = true;
    if (c.removed) change.removed = true;
    return change;
  });
}

/** How many lines were added and removed in a line diff. */
export function diffStats(changes: readonly LineChange[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const c of changes) {
    const n = c.count ?? countLines(c.value);
    if (c.added) added += n;
    else if (c.removed) removed += n;
  }
  return { added, removed };
}

/** The two texts a line diff was made of: `before` without the added runs, `after` without the removed ones. */
export function diffSides(changes: readonly LineChange[]): { before: string; after: string } {
  let before = '';
  let after = '';
  for (const c of changes) {
    if (!c.added) before += c.value;
    if (!c.removed) after += c.value;
  }
  return { before, after };
}

/** Lines in a run of text: a trailing newline ends the last line rather than starting a new one. */
function countLines(value: string): number {
  if (value === '') return 0;
  const breaks = value.split('\n').length - 1;
  return value.endsWith('\n') ? breaks : breaks + 1;
}

/**
 * The text of a file for diffing, or null when it is binary (not UTF-8, or contains NUL). Uses the same
 * detection (./text) as the rest of the console so a file is "binary" in one place only.
 */
export function textOf(bytes: Uint8Array | null | undefined): string | null {
  if (!bytes) return '';
  return bytesToText(bytes);
}

/**
 * A line diff of two byte strings, or `{ binary: true }` when either side is not text. An absent side (null)
 * counts as empty text, so an added file diffs against nothing.
 */
export function bytesLineDiff(
  a: Uint8Array | null | undefined,
  b: Uint8Array | null | undefined,
): { binary: true } | { binary: false; lines: LineChange[] } {
  const ta = textOf(a);
  const tb = textOf(b);
  if (ta === null || tb === null) return { binary: true };
  return { binary: false, lines: lineDiff(ta, tb) };
}
