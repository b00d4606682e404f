// A simulated node's root filesystem. Paths are node-absolute (`/etc/mco/proxy.env`) and are resolved as if the
// node's root were `/`: `..` may not climb above it and symlinks are followed inside it (an absolute link target
// is relative to the node root), so no operation ever reaches outside the node's folder.
// Two implementations: a real folder on disk (the demo, editable with any editor) and an in-memory tree (large
// clusters). Both report changes to watchers, like the daemon's fsnotify on parent directories.
import { promises as fsp, watch as fsWatch, type FSWatcher } from 'node:fs';
import { join as joinHost } from 'node:path';
import { randomBytes } from 'node:crypto';

export type NodeFileType = 'file' | 'directory' | 'symlink' | 'other';

export interface NodeStat {
  type: NodeFileType;
  /** Permission bits including setuid/setgid/sticky (st_mode & 0o7777). */
  mode: number;
  size: number;
  mtimeMs: number;
  nlink: number;
  /** Node files are owned by root in the simulation. */
  uid: number;
  gid: number;
}

export type NodeFSErrorCode = 'ENOENT' | 'EEXIST' | 'ENOTDIR' | 'EISDIR' | 'ENOTEMPTY' | 'EINVAL' | 'ELOOP' | 'EACCES' | 'EIO';

const ERROR_TEXT: Record<NodeFSErrorCode, string> = {
  ENOENT: 'No such file or directory',
  EEXIST: 'File exists',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  ENOTEMPTY: 'Directory not empty',
  EINVAL: 'Invalid argument',
  ELOOP: 'Too many levels of symbolic links',
  EACCES: 'Permission denied',
  EIO: 'Input/output error',
};

export class NodeFSError extends Error {
  constructor(
    public code: NodeFSErrorCode,
    public path: string,
    detail?: string,
  ) {
    super(`${code}: ${detail ?? ERROR_TEXT[code]}, ${path}`);
    this.name = 'NodeFSError';
  }
  /** The strerror text coreutils prints, e.g. `No such file or directory`. */
  get text(): string {
    return ERROR_TEXT[this.code];
  }
}

export function isNodeFSError(err: unknown, code?: NodeFSErrorCode): err is NodeFSError {
  return err instanceof NodeFSError && (code === undefined || err.code === code);
}

export interface NodeWatch {
  close(): void;
}

export interface NodeFS {
  /** Does not follow a final symlink. Throws NodeFSError ENOENT. */
  lstat(path: string): Promise<NodeStat>;
  /** Follows symlinks. */
  stat(path: string): Promise<NodeStat>;
  readFile(path: string): Promise<Uint8Array>;
  /**
   * Atomically replaces `path` (temp file + rename; a symlink at `path` is replaced, not followed) with `data`
   * and exactly `mode` (default 0o644). The parent directory must exist. The bytes must not be mutated afterwards
   * (the in-memory implementation keeps them, so many nodes can share one buffer).
   */
  writeFile(path: string, data: Uint8Array, mode?: number): Promise<void>;
  /** Follows symlinks. */
  chmod(path: string, mode: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Removes a file or symlink (not a directory: EISDIR). */
  unlink(path: string): Promise<void>;
  /** Removes an empty directory. */
  rmdir(path: string): Promise<void>;
  symlink(target: string, path: string): Promise<void>;
  readlink(path: string): Promise<string>;
  /** One directory; the parent must exist. */
  mkdir(path: string, mode?: number): Promise<void>;
  /** `mkdir -p`. */
  mkdirp(path: string, mode?: number): Promise<void>;
  /** True when lstat succeeds (a dangling symlink exists). */
  exists(path: string): Promise<boolean>;
  /** Entry names, sorted. */
  readdir(path: string): Promise<string[]>;
  /** Creates an empty 0644 file or updates the mtime (follows symlinks). */
  touch(path: string): Promise<void>;
  /** The canonical path with every symlink resolved (the last component need not exist). */
  realpath(path: string): Promise<string>;
  /**
   * Watches the parent directories of `paths`; calls `onChange(path)` after a change to one of `paths`
   * (write, chmod, remove, rename). Changes to other entries of those directories are ignored.
   */
  watch(paths: string[], onChange: (path: string) => void): NodeWatch;
}

/** Splits a node-absolute path into components (`.` dropped, `..` kept for the resolver). */
function splitPath(path: string): string[] {
  if (typeof path !== 'string' || !path.startsWith('/')) throw new NodeFSError('EINVAL', String(path), 'not an absolute node path');
  if (path.includes('\0')) throw new NodeFSError('EINVAL', path, 'path contains NUL');
  return path.split('/').filter((s) => s !== '' && s !== '.');
}

export function joinSegs(segs: string[]): string {
  return '/' + segs.join('/');
}

/** The normalised parent directory of a node path. */
export function dirname(path: string): string {
  const segs = splitPath(path);
  return joinSegs(segs.slice(0, -1));
}

const MAX_SYMLINK_HOPS = 40;

/** Shared path resolution and the NodeFS surface; subclasses implement raw operations on resolved components. */
abstract class RootedFS implements NodeFS {
  protected abstract rawLstat(segs: string[]): Promise<NodeStat | null>;
  protected abstract rawReadlink(segs: string[]): Promise<string>;
  protected abstract rawReadFile(segs: string[]): Promise<Uint8Array>;
  protected abstract rawWriteFile(segs: string[], data: Uint8Array, mode: number): Promise<void>;
  protected abstract rawChmod(segs: string[], mode: number): Promise<void>;
  protected abstract rawRename(from: string[], to: string[]): Promise<void>;
  protected abstract rawUnlink(segs: string[]): Promise<void>;
  protected abstract rawRmdir(segs: string[]): Promise<void>;
  protected abstract rawSymlink(target: string, segs: string[]): Promise<void>;
  protected abstract rawMkdir(segs: string[], mode: number): Promise<void>;
  protected abstract rawReaddir(segs: string[]): Promise<string[]>;
  protected abstract rawUtimes(segs: string[], mtimeMs: number): Promise<void>;
  protected abstract rawWatchDir(segs: string[], onEntry: (name: string | null) => void): NodeWatch;

  /**
   * Resolves `path` to components without symlinks (the final one is followed only when `followFinal`).
   * A `..` above the root, in the path or in a link target, is refused: the node root is `/`.
   */
  protected async resolve(path: string, followFinal: boolean): Promise<string[]> {
    const queue = splitPath(path);
    const out: string[] = [];
    let hops = 0;
    while (queue.length > 0) {
      const name = queue.shift()!;
      if (name === '.') continue;
      if (name === '..') {
        if (out.length === 0) throw new NodeFSError('ENOENT', path, 'path escapes the node root');
        out.pop();
        continue;
      }
      const candidate = [...out, name];
      if (queue.length > 0 || followFinal) {
        const st = await this.rawLstat(candidate);
        if (st?.type === 'symlink') {
          if (++hops > MAX_SYMLINK_HOPS) throw new NodeFSError('ELOOP', path);
          const target = await this.rawReadlink(candidate);
          if (target.startsWith('/')) out.length = 0;
          queue.unshift(...target.split('/').filter((s) => s !== '' && s !== '.'));
          continue;
        }
      }
      out.push(name);
    }
    return out;
  }

  private async mustStat(segs: string[], path: string): Promise<NodeStat> {
    const st = await this.rawLstat(segs);
    if (!st) throw new NodeFSError('ENOENT', path);
    return st;
  }

  async lstat(path: string) {
    return this.mustStat(await this.resolve(path, false), path);
  }
  async stat(path: string) {
    return this.mustStat(await this.resolve(path, true), path);
  }
  async readFile(path: string) {
    const segs = await this.resolve(path, true);
    const st = await this.mustStat(segs, path);
    if (st.type === 'directory') throw new NodeFSError('EISDIR', path);
    return this.rawReadFile(segs);
  }
  async writeFile(path: string, data: Uint8Array, mode = 0o644) {
    const segs = await this.resolve(path, false);
    if (segs.length === 0) throw new NodeFSError('EISDIR', path);
    const st = await this.rawLstat(segs);
    if (st?.type === 'directory') throw new NodeFSError('EISDIR', path);
    await this.requireDir(segs.slice(0, -1), path);
    await this.rawWriteFile(segs, data, mode & 0o7777);
  }
  async chmod(path: string, mode: number) {
    const segs = await this.resolve(path, true);
    await this.mustStat(segs, path);
    await this.rawChmod(segs, mode & 0o7777);
  }
  async rename(from: string, to: string) {
    const a = await this.resolve(from, false);
    const b = await this.resolve(to, false);
    const sa = await this.mustStat(a, from);
    if (a.length === 0 || b.length === 0) throw new NodeFSError('EINVAL', from);
    await this.requireDir(b.slice(0, -1), to);
    if (sa.type === 'directory' && joinSegs(b).startsWith(joinSegs(a) + '/')) throw new NodeFSError('EINVAL', to);
    const sb = await this.rawLstat(b);
    if (sb?.type === 'directory' && sa.type !== 'directory') throw new NodeFSError('EISDIR', to);
    if (sb && sb.type !== 'directory' && sa.type === 'directory') throw new NodeFSError('ENOTDIR', to);
    await this.rawRename(a, b);
  }
  async unlink(path: string) {
    const segs = await this.resolve(path, false);
    const st = await this.mustStat(segs, path);
    if (st.type === 'directory') throw new NodeFSError('EISDIR', path);
    await this.rawUnlink(segs);
  }
  async rmdir(path: string) {
    const segs = await this.resolve(path, false);
    const st = await this.mustStat(segs, path);
    if (st.type !== 'directory') throw new NodeFSError('ENOTDIR', path);
    if (segs.length === 0) throw new NodeFSError('EACCES', path);
    if ((await this.rawReaddir(segs)).length > 0) throw new NodeFSError('ENOTEMPTY', path);
    await this.rawRmdir(segs);
  }
  async symlink(target: string, path: string) {
    const segs = await this.resolve(path, false);
    if (segs.length === 0 || (await this.rawLstat(segs))) throw new NodeFSError('EEXIST', path);
    await this.requireDir(segs.slice(0, -1), path);
    await this.rawSymlink(target, segs);
  }
  async readlink(path: string) {
    const segs = await this.resolve(path, false);
    const st = await this.mustStat(segs, path);
    if (st.type !== 'symlink') throw new NodeFSError('EINVAL', path);
    return this.rawReadlink(segs);
  }
  async mkdir(path: string, mode = 0o755) {
    const segs = await this.resolve(path, false);
    if (segs.length === 0 || (await this.rawLstat(segs))) throw new NodeFSError('EEXIST', path);
    await this.requireDir(segs.slice(0, -1), path);
    await this.rawMkdir(segs, mode & 0o7777);
  }
  async mkdirp(path: string, mode = 0o755) {
    const segs = splitPath(path);
    for (let i = 1; i <= segs.length; i++) {
      const prefix = joinSegs(segs.slice(0, i));
      if (segs[i - 1] === '..') continue;
      let st: NodeStat | null = null;
      try {
        st = await this.stat(prefix);
      } catch (err) {
        if (!isNodeFSError(err, 'ENOENT')) throw err;
      }
      if (st && st.type !== 'directory') throw new NodeFSError(i === segs.length ? 'EEXIST' : 'ENOTDIR', prefix);
      if (!st) await this.mkdir(prefix, mode);
    }
  }
  async exists(path: string) {
    try {
      await this.lstat(path);
      return true;
    } catch (err) {
      if (err instanceof NodeFSError) return false;
      throw err;
    }
  }
  async readdir(path: string) {
    const segs = await this.resolve(path, true);
    const st = await this.mustStat(segs, path);
    if (st.type !== 'directory') throw new NodeFSError('ENOTDIR', path);
    return (await this.rawReaddir(segs)).sort();
  }
  async touch(path: string) {
    const segs = await this.resolve(path, true);
    const st = await this.rawLstat(segs);
    if (st) return this.rawUtimes(segs, Date.now());
    if (segs.length === 0) return;
    await this.requireDir(segs.slice(0, -1), path);
    await this.rawWriteFile(segs, new Uint8Array(0), 0o644);
  }
  async realpath(path: string) {
    return joinSegs(await this.resolve(path, true));
  }
  watch(paths: string[], onChange: (path: string) => void): NodeWatch {
    const byDir = new Map<string, Set<string>>();
    for (const p of paths) {
      const segs = splitPath(p).filter((s) => s !== '..');
      if (segs.length === 0) continue;
      const dir = joinSegs(segs.slice(0, -1));
      if (!byDir.has(dir)) byDir.set(dir, new Set());
      byDir.get(dir)!.add(segs[segs.length - 1]);
    }
    const watches: NodeWatch[] = [];
    for (const [dir, names] of byDir) {
      const dirSegs = splitPath(dir);
      watches.push(
        this.rawWatchDir(dirSegs, (name) => {
          if (name === null) for (const n of names) onChange(joinSegs([...dirSegs, n]));
          else if (names.has(name)) onChange(joinSegs([...dirSegs, name]));
        }),
      );
    }
    return { close: () => watches.forEach((w) => w.close()) };
  }

  private async requireDir(segs: string[], path: string) {
    const st = await this.rawLstat(segs);
    if (!st) throw new NodeFSError('ENOENT', path);
    if (st.type !== 'directory') throw new NodeFSError('ENOTDIR', path);
  }
}

// ---------------------------------------------------------------------------------------------------------------

type MemEntry =
  | { type: 'file'; data: Uint8Array; mode: number; mtimeMs: number }
  | { type: 'directory'; children: Map<string, MemEntry>; mode: number; mtimeMs: number }
  | { type: 'symlink'; target: string; mtimeMs: number };

/** A node filesystem held in memory (for clusters of thousands of nodes). Watchers are called on the next tick. */
export class MemoryNodeFS extends RootedFS {
  private root: MemEntry & { type: 'directory' } = { type: 'directory', children: new Map(), mode: 0o755, mtimeMs: Date.now() };
  private watchers = new Map<string, Set<(name: string | null) => void>>();

  private lookup(segs: string[]): MemEntry | null {
    let cur: MemEntry = this.root;
    for (const s of segs) {
      if (cur.type !== 'directory') return null;
      const next = cur.children.get(s);
      if (!next) return null;
      cur = next;
    }
    return cur;
  }
  private parentDir(segs: string[]): MemEntry & { type: 'directory' } {
    const p = this.lookup(segs.slice(0, -1));
    if (!p) throw new NodeFSError('ENOENT', joinSegs(segs));
    if (p.type !== 'directory') throw new NodeFSError('ENOTDIR', joinSegs(segs));
    return p;
  }
  private entry(segs: string[]): MemEntry {
    const e = this.lookup(segs);
    if (!e) {
      // Distinguish a file used as a directory (ENOTDIR) from a missing entry.
      for (let i = 1; i < segs.length; i++) {
        const p = this.lookup(segs.slice(0, i));
        if (p && p.type !== 'directory') throw new NodeFSError('ENOTDIR', joinSegs(segs));
      }
      throw new NodeFSError('ENOENT', joinSegs(segs));
    }
    return e;
  }
  private notify(segs: string[]) {
    const set = this.watchers.get(joinSegs(segs.slice(0, -1)));
    if (!set || set.size === 0) return;
    const name = segs[segs.length - 1];
    for (const cb of [...set]) queueMicrotask(() => cb(name));
  }

  protected async rawLstat(segs: string[]): Promise<NodeStat | null> {
    const e = this.lookup(segs);
    if (!e) return null;
    if (e.type === 'file') return { type: 'file', mode: e.mode, size: e.data.byteLength, mtimeMs: e.mtimeMs, nlink: 1, uid: 0, gid: 0 };
    if (e.type === 'symlink')
      return { type: 'symlink', mode: 0o777, size: Buffer.byteLength(e.target), mtimeMs: e.mtimeMs, nlink: 1, uid: 0, gid: 0 };
    let subdirs = 0;
    for (const c of e.children.values()) if (c.type === 'directory') subdirs++;
    return { type: 'directory', mode: e.mode, size: 4096, mtimeMs: e.mtimeMs, nlink: 2 + subdirs, uid: 0, gid: 0 };
  }
  protected async rawReadlink(segs: string[]) {
    const e = this.entry(segs);
    if (e.type !== 'symlink') throw new NodeFSError('EINVAL', joinSegs(segs));
    return e.target;
  }
  protected async rawReadFile(segs: string[]) {
    const e = this.entry(segs);
    if (e.type !== 'file') throw new NodeFSError(e.type === 'directory' ? 'EISDIR' : 'EINVAL', joinSegs(segs));
    return e.data;
  }
  protected async rawWriteFile(segs: string[], data: Uint8Array, mode: number) {
    const dir = this.parentDir(segs);
    dir.children.set(segs[segs.length - 1], { type: 'file', data, mode, mtimeMs: Date.now() });
    dir.mtimeMs = Date.now();
    this.notify(segs);
  }
  protected async rawChmod(segs: string[], mode: number) {
    const e = this.entry(segs);
    if (e.type === 'symlink') return;
    e.mode = mode;
    this.notify(segs);
  }
  protected async rawRename(from: string[], to: string[]) {
    const src = this.parentDir(from);
    const dst = this.parentDir(to);
    const e = src.children.get(from[from.length - 1]);
    if (!e) throw new NodeFSError('ENOENT', joinSegs(from));
    const existing = dst.children.get(to[to.length - 1]);
    if (existing?.type === 'directory' && existing.children.size > 0) throw new NodeFSError('ENOTEMPTY', joinSegs(to));
    src.children.delete(from[from.length - 1]);
    dst.children.set(to[to.length - 1], e);
    this.notify(from);
    this.notify(to);
  }
  protected async rawUnlink(segs: string[]) {
    this.parentDir(segs).children.delete(segs[segs.length - 1]);
    this.notify(segs);
  }
  protected async rawRmdir(segs: string[]) {
    this.parentDir(segs).children.delete(segs[segs.length - 1]);
    this.notify(segs);
  }
  protected async rawSymlink(target: string, segs: string[]) {
    this.parentDir(segs).children.set(segs[segs.length - 1], { type: 'symlink', target, mtimeMs: Date.now() });
    this.notify(segs);
  }
  protected async rawMkdir(segs: string[], mode: number) {
    this.parentDir(segs).children.set(segs[segs.length - 1], { type: 'directory', children: new Map(), mode, mtimeMs: Date.now() });
    this.notify(segs);
  }
  protected async rawReaddir(segs: string[]) {
    const e = this.entry(segs);
    if (e.type !== 'directory') throw new NodeFSError('ENOTDIR', joinSegs(segs));
    return [...e.children.keys()];
  }
  protected async rawUtimes(segs: string[], mtimeMs: number) {
    this.entry(segs).mtimeMs = mtimeMs;
    this.notify(segs);
  }
  protected rawWatchDir(segs: string[], onEntry: (name: string | null) => void): NodeWatch {
    const key = joinSegs(segs);
    if (!this.watchers.has(key)) this.watchers.set(key, new Set());
    const set = this.watchers.get(key)!;
    set.add(onEntry);
    return {
      close: () => {
        set.delete(onEntry);
        if (set.size === 0) this.watchers.delete(key);
      },
    };
  }
}

// ---------------------------------------------------------------------------------------------------------------

const HOST_CODES = new Set<string>(['ENOENT', 'EEXIST', 'ENOTDIR', 'EISDIR', 'ENOTEMPTY', 'EINVAL', 'ELOOP', 'EACCES']);

/** A node filesystem that is a real folder on disk: the node's `/etc/x` is `<rootDir>/etc/x`. */
export class DiskNodeFS extends RootedFS {
  constructor(public readonly rootDir: string) {
    super();
  }

  private host(segs: string[]): string {
    return joinHost(this.rootDir, ...segs);
  }
  private async wrap<T>(segs: string[], op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (err instanceof NodeFSError) throw err;
      throw new NodeFSError(HOST_CODES.has(code) ? (code as NodeFSErrorCode) : 'EIO', joinSegs(segs), HOST_CODES.has(code) ? undefined : String((err as Error).message));
    }
  }

  protected async rawLstat(segs: string[]): Promise<NodeStat | null> {
    try {
      const st = await fsp.lstat(this.host(segs));
      const type: NodeFileType = st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'directory' : st.isFile() ? 'file' : 'other';
      return { type, mode: type === 'symlink' ? 0o777 : st.mode & 0o7777, size: st.size, mtimeMs: st.mtimeMs, nlink: st.nlink, uid: 0, gid: 0 };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return null;
      if (code === 'ENOTDIR') throw new NodeFSError('ENOTDIR', joinSegs(segs));
      throw new NodeFSError('EIO', joinSegs(segs), String((err as Error).message));
    }
  }
  protected rawReadlink(segs: string[]) {
    return this.wrap(segs, () => fsp.readlink(this.host(segs)));
  }
  protected rawReadFile(segs: string[]) {
    return this.wrap(segs, async () => new Uint8Array(await fsp.readFile(this.host(segs))));
  }
  protected rawWriteFile(segs: string[], data: Uint8Array, mode: number) {
    return this.wrap(segs, async () => {
      const target = this.host(segs);
      const tmp = this.host([...segs.slice(0, -1), `.${segs[segs.length - 1]}.plumb-${randomBytes(4).toString('hex')}`]);
      try {
        await fsp.writeFile(tmp, data, { mode: 0o600, flag: 'wx' });
        await fsp.chmod(tmp, mode); // the exact mode, regardless of umask
        await fsp.rename(tmp, target);
      } catch (err) {
        await fsp.rm(tmp, { force: true }).catch(() => {});
        throw err;
      }
    });
  }
  protected rawChmod(segs: string[], mode: number) {
    return this.wrap(segs, () => fsp.chmod(this.host(segs), mode));
  }
  protected rawRename(from: string[], to: string[]) {
    return this.wrap(from, () => fsp.rename(this.host(from), this.host(to)));
  }
  protected rawUnlink(segs: string[]) {
    return this.wrap(segs, () => fsp.unlink(this.host(segs)));
  }
  protected rawRmdir(segs: string[]) {
    return this.wrap(segs, () => fsp.rmdir(this.host(segs)));
  }
  protected rawSymlink(target: string, segs: string[]) {
    return this.wrap(segs, () => fsp.symlink(target, this.host(segs)));
  }
  protected rawMkdir(segs: string[], mode: number) {
    return this.wrap(segs, async () => {
      await fsp.mkdir(this.host(segs));
      await fsp.chmod(this.host(segs), mode);
    });
  }
  protected rawReaddir(segs: string[]) {
    return this.wrap(segs, () => fsp.readdir(this.host(segs)));
  }
  protected rawUtimes(segs: string[], mtimeMs: number) {
    return this.wrap(segs, () => fsp.utimes(this.host(segs), new Date(), new Date(mtimeMs)));
  }
  protected rawWatchDir(segs: string[], onEntry: (name: string | null) => void): NodeWatch {
    let watcher: FSWatcher | null = null;
    try {
      watcher = fsWatch(this.host(segs), { persistent: false }, (_event, filename) => onEntry(filename ? String(filename) : null));
      // A watched directory that disappears ends its watch; the daemon re-arms its monitor on its next sync.
      watcher.on('error', () => watcher?.close());
    } catch {
      watcher = null;
    }
    return { close: () => watcher?.close() };
  }
}

/** `rm -r` inside a node filesystem (does not follow symlinks). */
export async function removeTree(fs: NodeFS, path: string): Promise<void> {
  const st = await fs.lstat(path);
  if (st.type === 'directory') {
    for (const name of await fs.readdir(path)) await removeTree(fs, path === '/' ? `/${name}` : `${path}/${name}`);
    if (path !== '/') await fs.rmdir(path);
  } else {
    await fs.unlink(path);
  }
}
