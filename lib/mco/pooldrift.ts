// Drift across a pool: the same hand edit on many nodes is one group (same path, same actual contents and mode),
// shown once, fixed once, reported once. Pure: grouping, masking and the CSV and Markdown reports, shared by the
// server (which scans) and the browser (which links to groups).
import { octalMode as chmodDigits } from './mode';
import type { FileCheckStatus, ManagedKind } from './types';

// ---------------------------------------------------------------------------------------------------------------
// What a scan finds (lib/api/pooldrift re-exports these in the /api contract, with the scan and restore jobs)

/** One side of a drifted file as a group shows it once for all its nodes. */
export interface PoolDriftSide {
  /** sha256 of the bytes (hex); null when there are none (missing, unreadable, not a regular file). */
  sha256: string | null;
  /** Permission bits (decimal); null when the file is missing. */
  mode: number | null;
  size: number | null;
  /** UTF-8 text; null when binary, too large to keep, absent, or withheld (`redacted`). */
  text: string | null;
  binary: boolean;
  /** The contents are withheld: the file is sensitive and the reader did not reveal it (or may not). */
  redacted?: boolean;
}

/**
 * The same drift on several nodes: one path whose actual contents (hash) and mode are the same on every node of
 * the group. Different contents of one path are different groups; a node is in as many groups as it has drifted
 * paths.
 */
export interface PoolDriftGroup {
  /** Stable for the same path, hash, mode and status: the key of deep links and restore requests. */
  id: string;
  path: string;
  /** The actual contents' sha256, or what stands for it: `missing`, `unreadable`, `symlink`, `directory`, `other`. */
  hash: string;
  /** The actual permission bits (decimal), or null when missing. */
  mode: number | null;
  kind: ManagedKind;
  status: Exclude<FileCheckStatus, 'ok'>;
  /** The daemon's reason string for this drift (the first node's; the same words on each). */
  reason: string;
  sensitive: boolean;
  /** Nodes that still have this drift, sorted. */
  nodes: string[];
  /** Nodes of the group restored through Plumb since the scan. */
  restoredNodes: string[];
  /** The rendered configs these nodes were compared with (more than one while a rollout is under way). */
  configs: string[];
  expected: PoolDriftSide;
  actual: PoolDriftSide | null;
}

export interface PoolDriftNodeError {
  node: string;
  message: string;
}

export type PoolDriftScope = 'degraded' | 'all';

/** What the latest finished scan found, kept in the console's memory until the next one finishes. */
export interface PoolDriftResult {
  scanId: string;
  scope: PoolDriftScope;
  scannedBy: string;
  /** When the scan finished (ISO). */
  checkedAt: string;
  /** False when the scan was cancelled before every node was read. */
  complete: boolean;
  /** Nodes read without error. */
  nodesScanned: number;
  /** Nodes read whose every file matches. */
  cleanNodes: number;
  errors: PoolDriftNodeError[];
  groups: PoolDriftGroup[];
}

/** The part of the /api reply the masking and the reports read: the pool and what its latest scan found. */
export interface PoolDriftFindings {
  pool: string;
  result: PoolDriftResult | null;
}

// ---------------------------------------------------------------------------------------------------------------
// Grouping

/** What one node has at one drifted path, as a scan found it. */
export interface NodeDriftFinding {
  node: string;
  /** The rendered config the node was compared with. */
  config: string;
  path: string;
  kind: ManagedKind;
  status: Exclude<FileCheckStatus, 'ok'>;
  reason: string;
  sensitive: boolean;
  /** sha256 of the actual bytes, or the word standing for them (see groupHash). */
  hash: string;
  expected: PoolDriftSide;
  actual: PoolDriftSide | null;
}

/**
 * The group hash of what a node has: the contents' sha256 for a regular file that was read; otherwise one word for
 * what is there instead, so that "missing on 5 nodes" is one group too.
 */
export function groupHash(status: FileCheckStatus, actual: { type?: string; sha256: string | null } | null): string {
  if (!actual || status === 'missing') return 'missing';
  if (status === 'unreadable') return 'unreadable';
  if (actual.type && actual.type !== 'file') return actual.type;
  return actual.sha256 ?? 'unreadable';
}

/** FNV-1a (32 bits) in base 36: short stable ids without a crypto library (the inputs hold sha256 already). */
function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

/** The id of the group of `path` with this hash, mode and status. */
export function groupId(path: string, hash: string, mode: number | null, status: string): string {
  return `${fnv(`${path}\0${hash}\0${mode ?? '-'}\0${status}`)}-${hash.slice(0, 12)}`;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Group identical drift: one group per (path, actual hash, actual mode, status). Groups are ordered by how many
 * nodes they cover (most first), then path; nodes by name.
 */
export function groupDrift(findings: readonly NodeDriftFinding[]): PoolDriftGroup[] {
  const groups = new Map<string, PoolDriftGroup>();
  for (const f of findings) {
    const mode = f.actual?.mode ?? null;
    const id = groupId(f.path, f.hash, mode, f.status);
    let g = groups.get(id);
    if (!g) {
      g = {
        id,
        path: f.path,
        hash: f.hash,
        mode,
        kind: f.kind,
        status: f.status,
        reason: f.reason,
        sensitive: f.sensitive,
        nodes: [],
        restoredNodes: [],
        configs: [],
        expected: f.expected,
        actual: f.actual,
      };
      groups.set(id, g);
    }
    if (!g.nodes.includes(f.node)) g.nodes.push(f.node);
    if (!g.configs.includes(f.config)) g.configs.push(f.config);
  }
  const out = [...groups.values()];
  for (const g of out) {
    g.nodes.sort(byText);
    g.configs.sort(byText);
  }
  return out.sort((a, b) => b.nodes.length - a.nodes.length || byText(a.path, b.path) || byText(a.hash, b.hash));
}

function maskSide(s: PoolDriftSide): PoolDriftSide {
  return s.text === null && !s.binary ? { ...s, redacted: true } : { ...s, text: null, redacted: true };
}

/** The reply as a reader may see it: sensitive contents withheld unless revealed. Never mutates `reply`. */
export function maskReply<R extends PoolDriftFindings & { revealed: boolean }>(reply: R, reveal: boolean): R {
  if (reveal || !reply.result) return { ...reply, revealed: reveal && !!reply.result };
  const groups = reply.result.groups.map((g) =>
    g.sensitive ? { ...g, expected: maskSide(g.expected), actual: g.actual ? maskSide(g.actual) : null } : g,
  );
  return { ...reply, revealed: false, result: { ...reply.result, groups } };
}

/** `/pools/<pool>/drift?path=...&hash=...`: the deep link to one group. */
export function groupLink(pool: string, g: Pick<PoolDriftGroup, 'path' | 'hash'>): string {
  return `/pools/${encodeURIComponent(pool)}/drift?path=${encodeURIComponent(g.path)}&hash=${encodeURIComponent(g.hash)}`;
}

/**
 * Adopt a group: the plan page builds one MachineConfig for the pool from a node's drifted file
 * (`/plan?adoptNode=<node>&path=<path>`); every node of the group has the same contents, so any one of them will do.
 */
export function adoptLink(g: Pick<PoolDriftGroup, 'path' | 'nodes'>): string | null {
  const node = g.nodes[0];
  return node ? `/plan?adoptNode=${encodeURIComponent(node)}&path=${encodeURIComponent(g.path)}` : null;
}

/** ./mode's octalMode (four digits, as `chmod` takes it), or '' for no mode (a missing file). */
export function octalMode(mode: number | null): string {
  return mode === null ? '' : chmodDigits(mode);
}

// ---------------------------------------------------------------------------------------------------------------
// Reports

/** RFC 4180: quote a field holding a comma, quote or line break; double the quotes inside. */
function csvField(v: string | number | boolean | null): string {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_COLUMNS = [
  'pool',
  'group',
  'path',
  'node',
  'restored',
  'status',
  'kind',
  'expected_sha256',
  'actual_hash',
  'expected_mode',
  'actual_mode',
  'expected_size',
  'actual_size',
  'sensitive',
  'reason',
] as const;

/**
 * One row per node of each group (restored nodes included, marked), for spreadsheets: sort and filter by node or
 * by path. No file contents, so nothing to mask.
 */
export function driftCsv(reply: PoolDriftFindings): string {
  const rows: string[] = [CSV_COLUMNS.join(',')];
  for (const g of reply.result?.groups ?? []) {
    const each = [...g.nodes.map((n) => [n, false] as const), ...g.restoredNodes.map((n) => [n, true] as const)];
    for (const [node, restored] of each) {
      rows.push(
        [
          reply.pool,
          g.id,
          g.path,
          node,
          restored,
          g.status,
          g.kind,
          g.expected.sha256,
          g.hash,
          octalMode(g.expected.mode),
          octalMode(g.mode),
          g.expected.size,
          g.actual?.size ?? null,
          g.sensitive,
          g.reason,
        ]
          .map(csvField)
          .join(','),
      );
    }
  }
  return rows.join('\r\n') + '\r\n';
}

/** A fence longer than any run of backticks in the text, so the text cannot close it. */
function fence(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  return '`'.repeat(longest + 1);
}

function block(title: string, s: PoolDriftSide | null): string {
  if (!s) return `${title}: absent\n`;
  if (s.redacted) return `${title}: withheld (sensitive; reveal it in Plumb with the right to read secrets)\n`;
  if (s.text === null)
    return `${title}: ${s.binary ? 'binary' : 'not shown'} (${s.size ?? 0} bytes, sha256 ${s.sha256 ?? '-'})\n`;
  const f = fence(s.text);
  return `${title}:\n\n${f}\n${s.text}${s.text.endsWith('\n') ? '' : '\n'}${f}\n`;
}

/** A summary for a support case: what was scanned, each group with its nodes and its contents (masked). */
export function driftMarkdown(reply: PoolDriftFindings): string {
  const r = reply.result;
  const out: string[] = [`# Drift in MachineConfigPool ${reply.pool}`, ''];
  if (!r) return [...out, 'No scan has finished yet.', ''].join('\n');
  out.push(
    `Scanned ${r.scope === 'all' ? 'every node' : 'the degraded nodes'} by ${r.scannedBy}, finished ${r.checkedAt}${r.complete ? '' : ' (cancelled before every node was read)'}.`,
    `${r.nodesScanned} node(s) read, ${r.cleanNodes} without drift, ${r.errors.length} could not be read; ${r.groups.length} distinct drift(s).`,
    '',
  );
  if (r.errors.length) {
    out.push('## Nodes that could not be read', '');
    for (const e of r.errors) out.push(`- ${e.node}: ${e.message}`);
    out.push('');
  }
  for (const g of r.groups) {
    const n = g.nodes.length + g.restoredNodes.length;
    out.push(`## ${g.path}: the same ${g.status} drift on ${n} node(s)`, '');
    out.push(`- Reason: \`${g.reason}\``);
    out.push(
      `- Nodes: ${g.nodes.join(', ') || 'none left'}${g.restoredNodes.length ? `; restored through Plumb: ${g.restoredNodes.join(', ')}` : ''}`,
    );
    out.push(
      `- Expected: mode ${octalMode(g.expected.mode)}, sha256 ${g.expected.sha256 ?? '-'} (${g.configs.join(', ')})`,
    );
    out.push(`- Actual: ${g.actual ? `mode ${octalMode(g.actual.mode)}, ${g.hash}` : 'missing'}`, '');
    if (g.status === 'content') out.push(block('Expected contents', g.expected), block('Actual contents', g.actual));
  }
  return out.join('\n');
}
