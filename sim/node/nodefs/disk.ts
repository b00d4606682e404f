// A node filesystem that is a real folder on disk (the demo's, editable with any editor): the node's `/etc/x` is
// `<rootDir>/etc/x`. Every host access goes through a descriptor checked by HostBeneath, so nothing placed in the
// folder (symlinks, renames racing with reads) leads a read, a write or a temporary file outside it.
// The host calls are synchronous on purpose: each open-check-use-close sequence then runs without the event loop
// interleaving another, no descriptor outlives its operation, and the files are small config files.
import {
  chmodSync,
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  watch as fsWatch,
  writeSync,
  type FSWatcher,
  type Stats,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { NodeFSError } from './errors';
import { fdPath, hostError, HostBeneath, OPEN } from './beneath';
import { joinSegs } from './paths';
import { RootedFS } from './rooted';
import type { NodeFileType, NodeStat, NodeWatch } from './types';

const CREATE_EXCL = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

function toNodeStat(st: Stats): NodeStat {
  const type: NodeFileType = st.isSymbolicLink()
    ? 'symlink'
    : st.isDirectory()
      ? 'directory'
      : st.isFile()
        ? 'file'
        : 'other';
  return {
    type,
    mode: type === 'symlink' ? 0o777 : st.mode & 0o7777,
    size: st.size,
    mtimeMs: st.mtimeMs,
    nlink: st.nlink,
    uid: 0,
    gid: 0,
  };
}

export class DiskNodeFS extends RootedFS {
  private readonly host: HostBeneath;

  constructor(public readonly rootDir: string) {
    super();
    this.host = new HostBeneath(rootDir);
  }

  /** Runs a host operation, reporting its failure as a NodeFSError naming the node path. */
  private run<T>(segs: string[], op: () => T): Promise<T> {
    try {
      return Promise.resolve(op());
    } catch (err) {
      return Promise.reject(hostError(err, segs));
    }
  }

  protected rawLstat(segs: string[]): Promise<NodeStat | null> {
    return this.run(segs, () => {
      const st = this.host.lstat(segs);
      return st && toNodeStat(st);
    });
  }
  protected rawReadlink(segs: string[]) {
    return this.run(segs, () => this.host.inParent(segs, (dir, name) => readlinkSync(fdPath(dir, name))));
  }
  protected rawReadFile(segs: string[]) {
    return this.run(segs, () =>
      this.host.with(segs, OPEN.read, (fd) => {
        const st = fstatSync(fd);
        if (st.isDirectory()) throw new NodeFSError('EISDIR', joinSegs(segs));
        if (!st.isFile()) throw new NodeFSError('EINVAL', joinSegs(segs), 'not a regular file');
        return new Uint8Array(readFileSync(fd));
      }),
    );
  }
  protected rawWriteFile(segs: string[], data: Uint8Array, mode: number) {
    // Temp file + rename, both inside the checked parent directory: the temp file can only ever be created there.
    return this.run(segs, () =>
      this.host.inParent(segs, (dir, name) => {
        const tmp = `.${name}.plumb-${randomBytes(4).toString('hex')}`;
        let fd: number | null = null;
        try {
          fd = openSync(fdPath(dir, tmp), CREATE_EXCL, 0o600);
          for (let off = 0; off < data.byteLength;) off += writeSync(fd, data, off);
          fchmodSync(fd, mode); // the exact mode, regardless of umask
          closeSync(fd);
          fd = null;
          renameSync(fdPath(dir, tmp), fdPath(dir, name));
        } catch (err) {
          if (fd !== null) closeSync(fd);
          try {
            unlinkSync(fdPath(dir, tmp));
          } catch {
            // never created, or already renamed
          }
          throw err;
        }
      }),
    );
  }
  protected rawCreate(segs: string[], mode: number) {
    return this.run(segs, () =>
      this.host.inParent(segs, (dir, name) => {
        let fd: number;
        try {
          fd = openSync(fdPath(dir, name), CREATE_EXCL, 0o600);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
          throw err;
        }
        try {
          fchmodSync(fd, mode); // the exact mode, regardless of umask
        } finally {
          closeSync(fd);
        }
        return true;
      }),
    );
  }
  /** chmod of the entry itself (a symlink put there meanwhile is refused, never followed). */
  private chmodEntry(segs: string[], mode: number) {
    this.host.with(segs, OPEN.entry, (fd) => {
      if (fstatSync(fd).isSymbolicLink()) throw new NodeFSError('ELOOP', joinSegs(segs));
      chmodSync(fdPath(fd), mode);
    });
  }
  protected rawChmod(segs: string[], mode: number) {
    return this.run(segs, () => this.chmodEntry(segs, mode));
  }
  protected rawRename(from: string[], to: string[]) {
    return this.run(from, () =>
      this.host.inParent(from, (fromDir, fromName) =>
        this.host.inParent(to, (toDir, toName) => renameSync(fdPath(fromDir, fromName), fdPath(toDir, toName))),
      ),
    );
  }
  protected rawUnlink(segs: string[]) {
    return this.run(segs, () => this.host.inParent(segs, (dir, name) => unlinkSync(fdPath(dir, name))));
  }
  protected rawRmdir(segs: string[]) {
    return this.run(segs, () => this.host.inParent(segs, (dir, name) => rmdirSync(fdPath(dir, name))));
  }
  protected rawSymlink(target: string, segs: string[]) {
    return this.run(segs, () => this.host.inParent(segs, (dir, name) => symlinkSync(target, fdPath(dir, name))));
  }
  protected rawMkdir(segs: string[], mode: number) {
    return this.run(segs, () => {
      this.host.inParent(segs, (dir, name) => mkdirSync(fdPath(dir, name), 0o700));
      this.chmodEntry(segs, mode);
    });
  }
  protected rawReaddir(segs: string[]) {
    return this.run(segs, () => this.host.with(segs, OPEN.dir, (fd) => readdirSync(fdPath(fd))));
  }
  protected rawUtimes(segs: string[], mtimeMs: number) {
    return this.run(segs, () =>
      this.host.with(segs, OPEN.entry, (fd) => {
        if (fstatSync(fd).isSymbolicLink()) throw new NodeFSError('ELOOP', joinSegs(segs));
        utimesSync(fdPath(fd), new Date(), new Date(mtimeMs));
      }),
    );
  }
  protected rawWatchDir(segs: string[], onEntry: (name: string | null) => void): NodeWatch {
    let watcher: FSWatcher | null = null;
    try {
      // inotify watches the checked directory's inode; the descriptor is not needed once the watch is armed.
      watcher = this.host.with(segs, OPEN.dir, (fd) =>
        fsWatch(fdPath(fd), { persistent: false }, (_event, filename) => onEntry(filename ? String(filename) : null)),
      );
      // A watched directory that disappears ends its watch; the daemon re-arms its monitor on its next sync.
      watcher.on('error', () => watcher?.close());
    } catch {
      watcher = null;
    }
    return { close: () => watcher?.close() };
  }
}
