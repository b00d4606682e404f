// One managed path against what a node has there, with the machine-config-daemon's exact reason strings
// (pkg/daemon/on_disk_validation.go; REFERENCE 2.1 and 3.1). The daemon stops at the first mismatch; Plumb
// checks every path, and driftReason over the list gives the reason the daemon itself would report.
import type { ActualFile, FileCheck, FileCheckStatus, ManagedPath } from './types';
import { goQuote } from './goquote';

// Go's os.FileMode type bits, highest first, with the letters FileMode.String() prints for them.
const GO_MODE_BITS: readonly [bit: number, letter: string][] = [
  [31, 'd'], // ModeDir
  [30, 'a'], // ModeAppend
  [29, 'l'], // ModeExclusive
  [28, 'T'], // ModeTemporary
  [27, 'L'], // ModeSymlink
  [26, 'D'], // ModeDevice
  [25, 'p'], // ModeNamedPipe
  [24, 'S'], // ModeSocket
  [23, 'u'], // ModeSetuid
  [22, 'g'], // ModeSetgid
  [21, 'c'], // ModeCharDevice
  [20, 't'], // ModeSticky
  [19, '?'], // ModeIrregular
];

// Bit 31 does not fit a signed 32-bit JS integer, so bits are tested arithmetically rather than with `&`.
const hasBit = (mode: number, bit: number) => Math.floor(mode / 2 ** bit) % 2 === 1;
const pow = (bit: number) => 2 ** bit;

const TYPE_BIT: Record<ActualFile['type'], number> = {
  file: 0,
  directory: pow(31),
  symlink: pow(27),
  // lstat reports no more than "not a file, link or directory": Go would set one of D/p/S/c; '?' stands for them.
  other: pow(19),
};

/**
 * The Go os.FileMode value os.Lstat gives for a file of this type with these st_mode permission bits
 * (0o7777: setuid, setgid and sticky map to Go's own high bits, not 0o4000/0o2000/0o1000).
 */
export function goFileModeFromStat(mode: number, type: ActualFile['type']): number {
  let m = (mode & 0o777) + TYPE_BIT[type];
  if (mode & 0o4000) m += pow(23);
  if (mode & 0o2000) m += pow(22);
  if (mode & 0o1000) m += pow(20);
  return m;
}

/** Go's FileMode.String() of a raw os.FileMode value. */
export function formatGoFileMode(goMode: number): string {
  let s = '';
  for (const [bit, letter] of GO_MODE_BITS) if (hasBit(goMode, bit)) s += letter;
  if (s === '') s = '-';
  const rwx = 'rwxrwxrwx';
  for (let i = 0; i < 9; i++) s += hasBit(goMode, 8 - i) ? rwx[i] : '-';
  return s;
}

/**
 * Go's `%v` of an os.FileMode. With a `type`, `mode` is what lstat reports (permission bits incl.
 * setuid/setgid/sticky) and is first converted as os.Lstat does: a symlink 0777 prints `Lrwxrwxrwx`.
 * Without a type, `mode` is taken as the daemon takes an Ignition mode, `os.FileMode(mode)` as is: 0644 prints
 * `-rw-r--r--`, and Ignition's 04755 prints `-rwxr-xr-x` (0o4000 is not Go's setuid bit).
 */
export function goFileModeString(mode: number, type?: ActualFile['type'] | null): string {
  return formatGoFileMode(type ? goFileModeFromStat(mode, type) : mode);
}

/** `%v/%d/%#o` of a Go FileMode, as in the daemon's mode mismatch message: `-rw-r--r--/420/0644`. */
export function goModeTriple(goMode: number): string {
  return `${formatGoFileMode(goMode)}/${goMode}/${goMode === 0 ? '0' : '0' + goMode.toString(8)}`;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const q = goQuote;

/** Where a symlink at `path` pointing to `target` leads, with `.`/`..` resolved (one level, as lstat sees it). */
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
    return result('unreadable', expected.decodeError ?? `couldn't decode file ${q(path)}`);
  }

  if (expected.masked) {
    // filepath.EvalSymlinks(path) must give /dev/null; contents and mode are not compared (OCPBUGS-3636).
    if (!actual) {
      return result(
        'missing',
        `state validation: error while evaluation symlink for path ${q(path)}: lstat ${path}: no such file or directory`,
      );
    }
    const resolved = actual.type === 'symlink' && actual.linkTarget !== undefined ? resolveLink(path, actual.linkTarget) : path;
    if (resolved === DEV_NULL) return result('ok', null);
    return result(
      'content',
      `state validation: invalid unit masked setting. path: ${q(path)}; expected: ${DEV_NULL}; received: ${resolved}`,
    );
  }

  if (!actual) {
    if (expected.mayBeAbsent) return result('ok', null);
    return result('missing', `could not stat file ${q(path)}: lstat ${path}: no such file or directory`);
  }

  const want = expected.mode;
  const have = goFileModeFromStat(actual.mode, actual.type);
  if (want !== have) {
    return result(
      'mode',
      `mode mismatch for file: ${q(path)}; expected: ${goModeTriple(want)}; received: ${goModeTriple(have)}`,
    );
  }

  if (actual.contents === null) {
    return result('unreadable', `could not read file ${q(path)}: ${actual.readError ?? 'read error'}`);
  }
  if (!bytesEqual(actual.contents, expected.contents!)) {
    return result('content', `content mismatch for file ${q(path)}`);
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
