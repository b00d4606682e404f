// One managed path against what a node has there, with the machine-config-daemon's exact reason strings (MCO
// pkg/daemon/on_disk_validation.go validateOnDiskState, checkV3Units, checkFileContentsAndMode; the strings are
// written by ./reason). The daemon stops at the first mismatch; Plumb checks every path, and driftReason over the
// list gives the reason the daemon itself would report.
import { bytesEqual } from './bytes';
import { goFileModeFromStat } from './mode';
import {
  contentMismatchReason,
  couldNotDecodeReason,
  couldNotReadReason,
  couldNotStatReason,
  maskedUnitReason,
  modeMismatchReason,
  symlinkEvalReason,
  unitEnablementReason,
} from './reason';
import type { ActualFile, FileCheck, FileCheckStatus, ManagedPath } from './types';

/** Where a symlink at `path` pointing to `target` leads, with `.`/`..` resolved (one level, as readlink sees it). */
function resolveLink(path: string, target: string): string {
  const base = target.startsWith('/') ? [] : path.split('/').slice(0, -1);
  const parts: string[] = [];
  for (const seg of [...base, ...target.split('/')]) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return '/' + parts.join('/');
}

const DEV_NULL = '/dev/null';

/**
 * Compare one managed path with what the node has (null = absent), in the daemon's order: decode error,
 * masked-unit link, stat (missing), mode (full Go FileMode, so a symlink or directory mismatches), read,
 * content. An empty dropin may be absent.
 */
export function checkFile(expected: ManagedPath, actual: ActualFile | null): FileCheck {
  const path = expected.path;
  const result = (status: FileCheckStatus, reason: string | null): FileCheck => ({
    path,
    kind: expected.kind,
    status,
    expectedMode: expected.mode,
    actualMode: actual ? actual.mode : null,
    expectedSize: expected.contents ? expected.contents.length : null,
    actualSize: actual?.contents ? actual.contents.length : null,
    reason,
  });

  if (expected.decodeError !== undefined || (expected.contents === null && !expected.masked)) {
    return result('unreadable', expected.decodeError ?? couldNotDecodeReason(path));
  }

  if (expected.masked) {
    // filepath.EvalSymlinks(path) must give /dev/null; contents and mode are not compared (OCPBUGS-3636).
    if (!actual) {
      return result('missing', symlinkEvalReason(path, `lstat ${path}: no such file or directory`));
    }
    // EvalSymlinks follows the whole chain: a link to a link to /dev/null is masked; a dangling one is an error.
    const ev = actual.evaluated;
    if (ev && 'error' in ev) return result('content', symlinkEvalReason(path, ev.error));
    const resolved = ev
      ? ev.path
      : actual.type === 'symlink' && actual.linkTarget !== undefined
        ? resolveLink(path, actual.linkTarget)
        : path;
    if (resolved === DEV_NULL) return result('ok', null);
    return result('content', maskedUnitReason(path, DEV_NULL, resolved));
  }

  if (!actual) {
    if (expected.mayBeAbsent) return result('ok', null);
    return result('missing', couldNotStatReason(path, `lstat ${path}: no such file or directory`));
  }

  const want = expected.mode;
  const have = goFileModeFromStat(actual.mode, actual.type);
  if (want !== have) {
    return result('mode', modeMismatchReason(path, want, have));
  }

  if (actual.contents === null) {
    return result('unreadable', couldNotReadReason(path, actual.readError ?? 'read error'));
  }
  if (!bytesEqual(actual.contents, expected.contents!)) {
    return result('content', contentMismatchReason(path));
  }
  return result('ok', null);
}

/**
 * The daemon's reason for one check (null when ok), or, for the checks of a whole config in validation order,
 * the reason of the first mismatch: the one the daemon would report, since it stops there.
 */
export function driftReason(check: FileCheck | readonly FileCheck[]): string | null {
  if (Array.isArray(check)) {
    for (const c of check as readonly FileCheck[]) if (c.status !== 'ok') return c.reason;
    return null;
  }
  const one = check as FileCheck;
  return one.status === 'ok' ? null : one.reason;
}

/**
 * The unit enablement check that follows a unit's content check (MCO pkg/daemon/on_disk_validation.go
 * checkUnitEnabled, release-4.18 and later; spec 3 units only): `reported` is what `systemctl is-enabled <unit>`
 * printed. Only the states that plainly contradict the config fail: for enabled=true `disabled`, `masked`,
 * `masked-runtime`, `not-found`; for enabled=false `enabled`, `enabled-runtime`. So `static`, `indirect`, `alias`
 * and the like pass both ways. Null when the check passes or the config does not say (enabled unset).
 */
export function unitEnablementCheck(
  unit: string,
  expected: boolean | null | undefined,
  reported: string,
): string | null {
  if (expected === null || expected === undefined) return null;
  const out = reported.trim();
  const bad = expected ? ['disabled', 'masked', 'masked-runtime', 'not-found'] : ['enabled', 'enabled-runtime'];
  return bad.includes(out) ? unitEnablementReason(unit, expected, out) : null;
}
