// The wall around a node's folder on disk: every host file descriptor the disk filesystem uses is opened without
// following a final symlink and then checked, by the kernel's own record of what was opened (the
// `/proc/self/fd/N` link), to be exactly the expected path under the node's root. Operations then go through that
// descriptor (`/proc/self/fd/N/name` resolves `name` inside the opened directory, wherever it has moved), so a
// component swapped for a symlink, or a rename racing with a read, makes the operation fail instead of reaching
// outside the root. This is what openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS) gives in C; Node has no openat, and
// /proc/self/fd is its usual stand-in (glibc's fchmodat(AT_SYMLINK_NOFOLLOW) uses the same trick). Linux only.
import { closeSync, constants, existsSync, fstatSync, openSync, readlinkSync, realpathSync, type Stats } from 'node:fs';
import { NodeFSError, type NodeFSErrorCode } from './errors';
import { joinSegs } from './paths';

const { O_RDONLY, O_DIRECTORY, O_NOFOLLOW, O_NONBLOCK, O_CLOEXEC } = constants as typeof constants & {
  O_CLOEXEC?: number;
};
/** Linux's O_PATH (asm-generic/fcntl.h; the same on x86-64 and arm64): a handle for metadata, no read permission needed. */
const O_PATH = 0o10000000;
const CLOEXEC = O_CLOEXEC ?? 0o2000000;

/** The open flags of each kind of handle. The final component is never followed. */
export const OPEN = {
  /** Any entry, symlinks included, for lstat/chmod/utimes through `/proc/self/fd/N`. */
  entry: O_PATH | O_NOFOLLOW | CLOEXEC,
  /** A directory, for readdir and for operations on its entries. */
  dir: O_RDONLY | O_DIRECTORY | O_NOFOLLOW | CLOEXEC,
  /** A file's bytes; non-blocking so a FIFO placed in the folder cannot hang the simulator. */
  read: O_RDONLY | O_NOFOLLOW | O_NONBLOCK | CLOEXEC,
} as const;

const HOST_CODES = new Set<string>(['ENOENT', 'EEXIST', 'ENOTDIR', 'EISDIR', 'ENOTEMPTY', 'EINVAL', 'ELOOP', 'EACCES']);

/** A host error as a NodeFSError naming the node path (unknown host codes become EIO with the host's message). */
export function hostError(err: unknown, segs: string[]): NodeFSError {
  if (err instanceof NodeFSError) return err;
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (HOST_CODES.has(code)) return new NodeFSError(code as NodeFSErrorCode, joinSegs(segs));
  return new NodeFSError('EIO', joinSegs(segs), String((err as Error).message));
}

/** The path through which the kernel resolves names relative to an open descriptor. */
export function fdPath(fd: number, name?: string): string {
  return name === undefined ? `/proc/self/fd/${fd}` : `/proc/self/fd/${fd}/${name}`;
}

/** A node's folder on the host, handing out descriptors proven to lie beneath it. */
export class HostBeneath {
  private real: string | null = null;

  constructor(readonly rootDir: string) {
    if (process.platform !== 'linux' || !existsSync('/proc/self/fd')) {
      throw new Error(
        'node folders on disk need Linux /proc/self/fd to keep every access inside the node root; use in-memory nodes here',
      );
    }
  }

  /** The host path components `segs` must resolve to (the root's own real path is taken once, on first use). */
  expected(segs: string[]): string {
    this.real ??= realpathSync(this.rootDir);
    return segs.length === 0 ? this.real : `${this.real}/${segs.join('/')}`;
  }

  /**
   * Opens `segs` with `flags` and checks the descriptor really is `<root>/<segs>`: an intermediate component that
   * became a symlink (or a directory renamed meanwhile) fails with ELOOP, a final symlink with ELOOP unless `flags`
   * is OPEN.entry. Returns null for a missing entry when `missingOk`. The caller closes the descriptor.
   */
  open(segs: string[], flags: number, missingOk = false): number | null {
    const want = this.expected(segs);
    let fd: number;
    try {
      fd = openSync(want, flags);
    } catch (err) {
      if (missingOk && (err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw hostError(err, segs);
    }
    let got: string;
    try {
      got = readlinkSync(fdPath(fd));
    } catch (err) {
      closeSync(fd);
      throw hostError(err, segs);
    }
    if (got !== want) {
      closeSync(fd);
      throw new NodeFSError(
        'ELOOP',
        joinSegs(segs),
        'a path component changed to a symbolic link or moved while in use',
      );
    }
    return fd;
  }

  /** Runs `fn` with a checked descriptor of `segs` and closes it afterwards. */
  with<T>(segs: string[], flags: number, fn: (fd: number) => T): T {
    const fd = this.open(segs, flags)!;
    try {
      return fn(fd);
    } catch (err) {
      throw hostError(err, segs);
    } finally {
      closeSync(fd);
    }
  }

  /** Runs `fn` with the checked parent directory of `segs` and the final name (`segs` must not be the root). */
  inParent<T>(segs: string[], fn: (dirFd: number, name: string) => T): T {
    return this.with(segs.slice(0, -1), OPEN.dir, (dirFd) => fn(dirFd, segs[segs.length - 1]));
  }

  /** lstat of `segs` through a checked handle, or null when it does not exist. */
  lstat(segs: string[]): Stats | null {
    const fd = this.open(segs, OPEN.entry, true);
    if (fd === null) return null;
    try {
      return fstatSync(fd);
    } catch (err) {
      throw hostError(err, segs);
    } finally {
      closeSync(fd);
    }
  }
}
