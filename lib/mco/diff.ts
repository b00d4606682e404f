// What changes between two MachineConfigs (typically two rendered configs of a pool): managed files, units
// and dropins, kernel arguments, extensions, OS image, kernel type, FIPS.
import { bytesLineDiff } from '../diff';
import { bytesEqual } from './bytes';
import { decodeFileContents, parseIgnition } from './ignition';
import { DEFAULT_FILE_MODE, IGNORED_FILES, managedPaths } from './managed';
import { isSensitive } from './sensitive';
import { McoError, type ConfigDiff, type FileDiff, type ListDiff, type MachineConfig, type ManagedPath } from './types';

/** Same expected content: equal bytes, or both undecodable with the same error. */
function sameContents(a: ManagedPath, b: ManagedPath): boolean {
  if (a.contents && b.contents) return bytesEqual(a.contents, b.contents);
  return a.contents === b.contents && a.decodeError === b.decodeError;
}

/** Multiset difference: what `to` has beyond `from` (in `to`'s order) and what it lacks (in `from`'s order). */
export function listDiff(from: readonly string[], to: readonly string[]): ListDiff {
  const minus = (a: readonly string[], b: readonly string[]) => {
    const left = new Map<string, number>();
    for (const x of b) left.set(x, (left.get(x) ?? 0) + 1);
    const out: string[] = [];
    for (const x of a) {
      const n = left.get(x) ?? 0;
      if (n > 0) left.set(x, n - 1);
      else out.push(x);
    }
    return out;
  };
  return { added: minus(to, from), removed: minus(from, to) };
}

function byPath(mc: MachineConfig): Map<string, ManagedPath> {
  if (!mc.spec) {
    throw new McoError(`MachineConfig ${mc.metadata?.name ?? '(unnamed)'} has no spec: only its metadata is known`);
  }
  const m = new Map<string, ManagedPath>();
  for (const p of managedPaths(mc)) m.set(p.path, p);
  // The daemon does not validate the certificate writer's files, but the config still writes them, and a
  // comparison of two configs should show them (a rotated kubelet CA is a real difference).
  if (mc.spec.config) {
    for (const f of parseIgnition(mc.spec.config).storage?.files ?? []) {
      if (!IGNORED_FILES.includes(f.path)) continue;
      const entry: ManagedPath = { path: f.path, kind: 'file', mode: f.mode ?? DEFAULT_FILE_MODE, contents: null };
      try {
        entry.contents = decodeFileContents(f.contents?.source, f.contents?.compression);
      } catch (e) {
        entry.decodeError = (e as Error).message;
      }
      m.set(f.path, entry);
    }
  }
  return m;
}

function fileDiff(path: string, before: ManagedPath | undefined, after: ManagedPath | undefined): FileDiff | null {
  const kind = (after ?? before)!.kind;
  const modeBefore = before ? before.mode : null;
  const modeAfter = after ? after.mode : null;
  let change: FileDiff['change'];
  let contentChanged: boolean;
  if (!before) {
    change = 'added';
    contentChanged = true;
  } else if (!after) {
    change = 'removed';
    contentChanged = true;
  } else {
    contentChanged = !sameContents(before, after);
    if (!contentChanged && modeBefore === modeAfter && !!before.masked === !!after.masked) return null;
    change = 'changed';
  }
  const sensitive = isSensitive(path, modeBefore) || isSensitive(path, modeAfter);
  const d: FileDiff = { path, kind, change, modeBefore, modeAfter, contentChanged, sensitive, binary: false };
  if (contentChanged) {
    const lines = bytesLineDiff(before?.contents, after?.contents);
    d.binary = lines.binary;
    // Never compute (and so never ship) the lines of a sensitive file.
    if (!lines.binary && !sensitive) d.lines = lines.lines;
  }
  return d;
}

const kernelTypeOf = (mc: MachineConfig) => mc.spec?.kernelType || 'default';

/**
 * The differences from config `a` to config `b`: managed paths (by path, sorted) added, removed or changed in
 * mode and/or contents, with line diffs for text that is not sensitive; kernel arguments and extensions as
 * multiset differences; osImageURL, kernelType ("" = default) and fips when they differ.
 * Throws McoError for a config without spec (metadata-only) or one whose Ignition cannot be parsed.
 */
export function diffConfigs(a: MachineConfig, b: MachineConfig): ConfigDiff {
  const pa = byPath(a);
  const pb = byPath(b);
  const paths = [...new Set([...pa.keys(), ...pb.keys()])].sort();
  const files: FileDiff[] = [];
  for (const path of paths) {
    const d = fileDiff(path, pa.get(path), pb.get(path));
    if (d) files.push(d);
  }
  const sa = a.spec!;
  const sb = b.spec!;
  const osA = sa.osImageURL ?? '';
  const osB = sb.osImageURL ?? '';
  const fipsA = sa.fips ?? false;
  const fipsB = sb.fips ?? false;
  return {
    from: a.metadata.name,
    to: b.metadata.name,
    files,
    kernelArguments: listDiff(sa.kernelArguments ?? [], sb.kernelArguments ?? []),
    extensions: listDiff(sa.extensions ?? [], sb.extensions ?? []),
    osImageURL: osA !== osB ? { from: osA, to: osB } : null,
    kernelType: kernelTypeOf(a) !== kernelTypeOf(b) ? { from: kernelTypeOf(a), to: kernelTypeOf(b) } : null,
    fips: fipsA !== fipsB ? { from: fipsA, to: fipsB } : null,
  };
}
