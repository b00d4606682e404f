// File modes written the ways the MCO and the tools around it write them: Go's os.FileMode String() and %#o
// (the daemon's messages), and the octal digits chmod takes and people read.
import type { ActualFile } from './types';

/** Permission bits (with setuid, setgid, sticky) as chmod takes them, four octal digits: 0o644 → `0644`, 0o4755 → `4755`. */
export function octalMode(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/** Permission bits as people write a mode, always with a leading 0: 0o644 → `0644`, 0o4755 → `04755`. */
export function octalModeText(mode: number): string {
  const digits = octalMode(mode);
  return digits.startsWith('0') ? digits : '0' + digits;
}

/** Go's `%#o` of a non-negative integer: `0644`, `04755`, and `0` for zero. */
export function goOctal(n: number): string {
  return n === 0 ? '0' : '0' + n.toString(8);
}

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
  return `${formatGoFileMode(goMode)}/${goMode}/${goOctal(goMode)}`;
}
