// Go's filepath.EvalSymlinks over a node's filesystem reached through whatever reads it (the simulator's NodeFS, the
// console's exec into the daemon pod): the daemon checks a masked unit by following its whole link chain to /dev/null
// (MCO pkg/daemon/on_disk_validation.go checkV3Units; Go src/path/filepath/symlink.go walkSymlinks). Pure: the reads
// are passed in.

/** DEV_NULL is where a masked unit leads. */
export const DEV_NULL = '/dev/null';
/** Go's filepath.EvalSymlinks gives up after this many links ("EvalSymlinks: too many links"). */
const MAX_LINKS = 255;

/** The two reads EvalSymlinks makes, on node paths (`/etc/x`, not the pod's `/rootfs/etc/x`). */
export interface LinkReader {
  /** lstat's file type, or Go's errno text when lstat fails (`no such file or directory`, `not a directory`). */
  lstat(path: string): Promise<'symlink' | 'directory' | 'other' | { errno: string }>;
  readlink(path: string): Promise<string>;
}

/** Go's path.Clean of an absolute path. */
export function cleanPath(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}

/**
 * filepath.EvalSymlinks: every component lstat'ed, every link followed (absolute targets from the node root, relative
 * ones from the link's directory), the whole chain. A missing component is Go's
 * `lstat <resolved-so-far>: no such file or directory`. /dev and /dev/null are taken as they are on every node (a
 * directory and a device), since a reader may not see the node's /dev (the simulated rootfs holds none).
 */
export async function evalSymlinks(path: string, io: LinkReader): Promise<{ path: string } | { error: string }> {
  const todo = cleanPath(path).split('/').filter(Boolean);
  let dest = '';
  let links = 0;
  while (todo.length > 0) {
    const name = todo.shift()!;
    if (name === '..') {
      dest = dest.slice(0, Math.max(0, dest.lastIndexOf('/')));
      continue;
    }
    if (name === '.') continue;
    const next = `${dest}/${name}`;
    if (next === '/dev' || next === DEV_NULL) {
      dest = next;
      continue;
    }
    const type = await io.lstat(next);
    if (typeof type === 'object') return { error: `lstat ${next}: ${type.errno}` };
    if (type !== 'symlink') {
      // walkSymlinks returns a bare syscall.ENOTDIR here, without the lstat prefix.
      if (todo.length > 0 && type !== 'directory') return { error: 'not a directory' };
      dest = next;
      continue;
    }
    if (++links > MAX_LINKS) return { error: 'EvalSymlinks: too many links' };
    const target = await io.readlink(next);
    if (target.startsWith('/')) dest = '';
    todo.unshift(...target.split('/').filter(Boolean));
  }
  return { path: dest || '/' };
}
