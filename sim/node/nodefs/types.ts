// The node filesystem contract: what the daemon and the daemon pod's commands may do to a simulated node's `/`.
// Paths are node-absolute (`/etc/mco/proxy.env`), resolved as if the node's root were `/`.
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
