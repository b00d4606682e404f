// A node filesystem held in memory, for clusters of thousands of nodes.
import { NodeFSError } from './errors';
import { joinSegs } from './paths';
import { RootedFS } from './rooted';
import type { NodeStat, NodeWatch } from './types';

type MemEntry =
  | { type: 'file'; data: Uint8Array; mode: number; mtimeMs: number }
  | { type: 'directory'; children: Map<string, MemEntry>; mode: number; mtimeMs: number }
  | { type: 'symlink'; target: string; mtimeMs: number };

/** A node filesystem held in memory (for clusters of thousands of nodes). Watchers are called on the next tick. */
export class MemoryNodeFS extends RootedFS {
  private root: MemEntry & { type: 'directory' } = {
    type: 'directory',
    children: new Map(),
    mode: 0o755,
    mtimeMs: Date.now(),
  };
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
    if (e.type === 'file')
      return { type: 'file', mode: e.mode, size: e.data.byteLength, mtimeMs: e.mtimeMs, nlink: 1, uid: 0, gid: 0 };
    if (e.type === 'symlink')
      return {
        type: 'symlink',
        mode: 0o777,
        size: Buffer.byteLength(e.target),
        mtimeMs: e.mtimeMs,
        nlink: 1,
        uid: 0,
        gid: 0,
      };
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
  protected async rawCreate(segs: string[], mode: number) {
    const dir = this.parentDir(segs);
    const name = segs[segs.length - 1];
    if (dir.children.has(name)) return false;
    await this.rawWriteFile(segs, new Uint8Array(0), mode);
    return true;
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
    this.parentDir(segs).children.set(segs[segs.length - 1], {
      type: 'directory',
      children: new Map(),
      mode,
      mtimeMs: Date.now(),
    });
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
