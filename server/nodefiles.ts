// Reading a node's files through exec into its machine-config-daemon pod, where the node's root filesystem is
// mounted at /rootfs: few exec calls per node (one stat over every path, one sha256sum over every regular file, one
// cat over the files that differ; each split in a few when the paths would make a long exec URL), then the drift
// report and the file view built from what was read.
import 'server-only';
import { createHash } from 'node:crypto';
import type * as k8s from '@kubernetes/client-node';
import type { DriftFile, DriftReply, FileReply, FileSide } from '../lib/api/types';
import type { ActualFile, MachineConfig, ManagedPath } from '../lib/mco/types';
import { bytesToText, checkFile, isSensitive } from '../lib/mco';
import type { ClusterCache, DaemonPod } from './cache';
import { HOST_ROOT as ROOT } from '../lib/mco/constants';
import { DEV_NULL, evalSymlinks, type LinkReader } from '../lib/mco/symlinks';
import { expectedSha256, managedPathsOf } from './decoded';
import { nodeUnreachable, notFound } from './errors';
import { execBatched, execInPod, semaphore } from './exec';
import { recordDrift } from './metrics';
import { processSingleton } from './singleton';
import { nodeCurrentConfig } from './views/common';

/** Files larger than this are compared by hash only and never shipped to the browser. */
const MAX_READ_BYTES = 8 * 1024 * 1024;

const S_IFMT = 0o170000;

interface Inspected {
  actual: ActualFile | null;
  size: number;
  sha256: string | null;
}

function fileType(raw: number): ActualFile['type'] {
  switch (raw & S_IFMT) {
    case 0o100000:
      return 'file';
    case 0o120000:
      return 'symlink';
    case 0o040000:
      return 'directory';
    default:
      return 'other';
  }
}

/** `stat: cannot statx '/rootfs/x': Permission denied` → ['/x', 'Permission denied']. */
function parseToolErrors(stderr: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of stderr.split('\n')) {
    const m = /^\S+: (?:cannot statx |cannot stat |cannot open )?'?(\/rootfs\/[^':]*)'?: (.+)$/.exec(line.trim());
    if (m) out.set(m[1].slice(ROOT.length), m[2]);
  }
  return out;
}

/** Go's error text for a failed open, as the daemon would report it. */
function goOpenError(path: string, message: string): string {
  if (/permission denied/i.test(message)) return `open ${path}: permission denied`;
  if (/no such file/i.test(message)) return `open ${path}: no such file or directory`;
  if (/is a directory/i.test(message)) return `read ${path}: is a directory`;
  return `open ${path}: ${message.toLowerCase()}`;
}

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

/** lstat and readlink of node paths through exec in the daemon pod, for lib/mco/symlinks evalSymlinks. */
function podLinkReader(kc: k8s.KubeConfig, pod: DaemonPod): LinkReader {
  return {
    lstat: async (p) => {
      const r = await execInPod(kc, pod, ['stat', '-c', '%f', ROOT + p]);
      if (r.exitCode === 0) {
        const type = fileType(parseInt(r.stdout.toString('utf8').trim(), 16));
        return type === 'symlink' || type === 'directory' ? type : 'other';
      }
      const err = parseToolErrors(r.stderr).get(p);
      if (!err) throw nodeUnreachable(`stat failed on the node (exit ${r.exitCode}): ${r.stderr.trim().slice(0, 300)}`);
      return { errno: err.charAt(0).toLowerCase() + err.slice(1) }; // Go's errno text is lower case
    },
    readlink: async (p) => {
      const r = await execInPod(kc, pod, ['readlink', ROOT + p]);
      if (r.exitCode !== 0) throw nodeUnreachable(`readlink ${p} failed on the node (exit ${r.exitCode})`);
      return r.stdout.toString('utf8').replace(/\n$/, '');
    },
  };
}

/**
 * Inspect `paths` on the node. `readAll` reads the bytes of every regular file (the file view); otherwise bytes are
 * read only for files whose sha256 differs from the expected contents (the drift report).
 */
export async function inspectPaths(
  kc: k8s.KubeConfig,
  pod: DaemonPod,
  expected: ManagedPath[],
  readAll: boolean,
): Promise<Map<string, Inspected>> {
  const result = new Map<string, Inspected>();
  if (!expected.length) return result;
  const rooted = (p: string) => ROOT + p;

  // 1. lstat everything at once: raw mode (hex, with the type bits), size, name.
  const st = await execBatched(
    kc,
    pod,
    ['stat', '-c', '%f %s %n'],
    expected.map((e) => rooted(e.path)),
  );
  const stats = new Map<string, { raw: number; size: number }>();
  for (const line of st.stdout.toString('utf8').split('\n')) {
    const m = /^([0-9a-fA-F]+) (\d+) (\/rootfs\/.*)$/.exec(line);
    if (m) stats.set(m[3].slice(ROOT.length), { raw: parseInt(m[1], 16), size: Number(m[2]) });
  }
  const statErrors = parseToolErrors(st.stderr);
  if (st.exitCode !== 0 && stats.size === 0 && statErrors.size === 0) {
    throw nodeUnreachable(`stat failed on the node (exit ${st.exitCode}): ${st.stderr.trim().slice(0, 300)}`);
  }

  const regular: string[] = [];
  const symlinks: string[] = [];
  for (const e of expected) {
    const s = stats.get(e.path);
    if (!s) {
      result.set(e.path, { actual: null, size: 0, sha256: null });
      continue;
    }
    const type = fileType(s.raw);
    result.set(e.path, { actual: { type, mode: s.raw & 0o7777, contents: null }, size: s.size, sha256: null });
    if (type === 'file') regular.push(e.path);
    if (type === 'symlink') symlinks.push(e.path);
  }

  // 2. Link targets (masked units are links to /dev/null).
  if (symlinks.length) {
    const rl = await execBatched(kc, pod, ['readlink'], symlinks.map(rooted));
    const targets = rl.stdout.toString('utf8').split('\n');
    symlinks.forEach((p, i) => {
      const a = result.get(p)!.actual!;
      if (targets[i]) a.linkTarget = targets[i];
    });
    // A masked unit whose link does not name /dev/null itself: the daemon follows the whole chain (EvalSymlinks),
    // so a link to a link to /dev/null is masked. Rare, so read link by link.
    for (const e of expected) {
      const a = result.get(e.path)!.actual;
      if (e.masked && a?.type === 'symlink' && a.linkTarget !== DEV_NULL)
        a.evaluated = await evalSymlinks(e.path, podLinkReader(kc, pod));
    }
  }

  // 3. Hashes of every regular file (unless all are read anyway).
  const expectedByPath = new Map(expected.map((e) => [e.path, e]));
  let toRead = regular;
  if (!readAll && regular.length) {
    const hs = await execBatched(kc, pod, ['sha256sum'], regular.map(rooted));
    const errors = parseToolErrors(hs.stderr);
    toRead = [];
    for (const line of hs.stdout.toString('utf8').split('\n')) {
      const m = /^\\?([0-9a-f]{64}) [ *](\/rootfs\/.*)$/.exec(line);
      if (m) result.get(m[2].slice(ROOT.length))!.sha256 = m[1];
    }
    for (const p of regular) {
      const r = result.get(p)!;
      const exp = expectedByPath.get(p)!;
      if (!r.sha256) {
        r.actual!.readError = goOpenError(p, errors.get(p) ?? 'cannot be read');
        continue;
      }
      if (exp.contents && expectedSha256(exp.contents) === r.sha256) r.actual!.contents = exp.contents;
      else toRead.push(p);
    }
  }

  // 4. Bytes of the files that differ (or all, for the file view): one cat, split by the sizes from stat.
  const big = toRead.filter((p) => result.get(p)!.size > MAX_READ_BYTES);
  for (const p of big) {
    const r = result.get(p)!;
    // Too big to ship: the hash already says it differs; an empty stand-in makes checkFile report `content`.
    r.actual!.contents = new Uint8Array(0);
  }
  toRead = toRead.filter((p) => result.get(p)!.size <= MAX_READ_BYTES);
  if (toRead.length) {
    const cat = await execBatched(kc, pod, ['cat'], toRead.map(rooted));
    const total = toRead.reduce((n, p) => n + result.get(p)!.size, 0);
    if (cat.exitCode === 0 && cat.stdout.length === total) {
      let off = 0;
      for (const p of toRead) {
        const r = result.get(p)!;
        r.actual!.contents = new Uint8Array(cat.stdout.subarray(off, off + r.size));
        off += r.size;
      }
    } else {
      // A file changed between stat and cat, or one is unreadable: read them one by one.
      for (const p of toRead) {
        const one = await execInPod(kc, pod, ['cat', rooted(p)]);
        const r = result.get(p)!;
        if (one.exitCode === 0) {
          r.actual!.contents = new Uint8Array(one.stdout);
          r.size = one.stdout.length;
        } else {
          r.actual!.readError = goOpenError(p, parseToolErrors(one.stderr).get(p) ?? one.stderr.trim());
        }
      }
    }
  }
  for (const r of result.values()) {
    if (r.actual?.contents && !r.sha256) r.sha256 = sha256(r.actual.contents);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// The node's rendered config and its daemon pod

export interface NodeTarget {
  node: string;
  config: MachineConfig;
  pod: DaemonPod;
  paths: ManagedPath[];
}

export function nodeTarget(cache: ClusterCache, node: string): NodeTarget {
  const mc = nodeCurrentConfig(cache, node);
  const pod = cache.daemonPodFor(node);
  if (!pod)
    throw nodeUnreachable(
      `no machine-config-daemon pod runs on node ${node} (namespace openshift-machine-config-operator, label k8s-app=machine-config-daemon)`,
    );
  if (pod.phase && pod.phase !== 'Running')
    throw nodeUnreachable(`the machine-config-daemon pod ${pod.name} on ${node} is ${pod.phase}`);
  return { node, config: mc, pod, paths: managedPathsOf(mc) };
}

/** The managed path of the node's config at `path`, or 404. */
export function managedEntry(t: NodeTarget, path: string): ManagedPath {
  const e = t.paths.find((p) => p.path === path);
  if (!e) throw notFound(`${path} is not managed by ${t.config.metadata.name}, the current config of node ${t.node}`);
  return e;
}

// ---------------------------------------------------------------------------------------------------------------
// Drift report and file view

/** Drift reads in flight, shared by concurrent requests of one identity for one node. */
const inflight = () => processSingleton('driftInflight', () => new Map<string, Promise<DriftReply>>());

export function driftReport(
  cache: ClusterCache,
  kc: k8s.KubeConfig,
  identityKey: string,
  node: string,
): Promise<DriftReply> {
  const t = nodeTarget(cache, node);
  // Concurrent requests by the same identity for the same node share one read.
  const key = `${identityKey}\0${node}\0${t.config.metadata.name}`;
  const running = inflight().get(key);
  if (running) return running;
  const p = semaphore()
    .run(async () => {
      const found = await inspectPaths(kc, t.pod, t.paths, false);
      const files: DriftFile[] = t.paths.map((e) => {
        const check = checkFile(e, found.get(e.path)?.actual ?? null);
        return { ...check, sensitive: isSensitive(e.path, e.mode) };
      });
      recordDrift(node, files);
      return { node, config: t.config.metadata.name, files, checkedAt: new Date().toISOString() };
    })
    .finally(() => inflight().delete(key));
  inflight().set(key, p);
  return p;
}

function side(bytes: Uint8Array, mode: number, sensitive: boolean, reveal: boolean): FileSide {
  const text = bytesToText(bytes);
  const s: FileSide = { text, binary: text === null, mode, sha256: sha256(bytes), size: bytes.length };
  if (sensitive && !reveal) {
    s.text = null;
    s.redacted = true;
  }
  return s;
}

export async function fileView(
  cache: ClusterCache,
  kc: k8s.KubeConfig,
  node: string,
  path: string,
  opts: { reveal: boolean },
): Promise<FileReply> {
  const t = nodeTarget(cache, node);
  const e = managedEntry(t, path);
  const found = await semaphore().run(() => inspectPaths(kc, t.pod, [e], true));
  const got = found.get(path);
  const check = checkFile(e, got?.actual ?? null);
  const sensitive = isSensitive(path, e.mode);
  const expectedBytes = e.contents ?? new Uint8Array(0);
  const a = got?.actual ?? null;
  let actual: FileSide | null = null;
  if (a) {
    if (a.contents) actual = side(a.contents, a.mode, sensitive, opts.reveal);
    else actual = { text: null, binary: a.type !== 'file', mode: a.mode, sha256: '', size: got!.size };
  }
  return {
    path,
    kind: e.kind,
    sensitive,
    status: check.status,
    reason: check.reason,
    expected: side(expectedBytes, e.mode, sensitive, opts.reveal),
    actual,
  };
}
