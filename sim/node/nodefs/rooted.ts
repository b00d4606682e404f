// Path resolution shared by both node filesystems: the node's root is `/`, `..` may not climb above it and
// symlinks are followed inside it (an absolute link target is relative to the node root). Subclasses implement raw
// operations on already-resolved components; this class turns them into the NodeFS surface.
import { isNodeFSError, NodeFSError } from './errors';
import { joinSegs, splitPath } from './paths';
import type { NodeFS, NodeStat, NodeWatch } from './types';

const MAX_SYMLINK_HOPS = 40;

/** Shared path resolution and the NodeFS surface; subclasses implement raw operations on resolved components. */
export abstract class RootedFS implements NodeFS {
  protected abstract rawLstat(segs: string[]): Promise<NodeStat | null>;
  protected abstract rawReadlink(segs: string[]): Promise<string>;
  protected abstract rawReadFile(segs: string[]): Promise<Uint8Array>;
  protected abstract rawWriteFile(segs: string[], data: Uint8Array, mode: number): Promise<void>;
  /** Creates an empty file of exactly `mode` unless the entry exists (O_CREAT|O_EXCL); false when it existed. */
  protected abstract rawCreate(segs: string[], mode: number): Promise<boolean>;
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
    // As touch(1), which opens with O_CREAT and never truncates: a file that appeared since the lstat above (another
    // process wrote it meanwhile) keeps its contents and only gets its time.
    if (!(await this.rawCreate(segs, 0o644))) await this.rawUtimes(segs, Date.now());
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
