// Node-absolute path strings split into components and joined back (no filesystem access).
import { NodeFSError } from './errors';

/** Splits a node-absolute path into components (`.` dropped, `..` kept for the resolver). */
export function splitPath(path: string): string[] {
  if (typeof path !== 'string' || !path.startsWith('/'))
    throw new NodeFSError('EINVAL', String(path), 'not an absolute node path');
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
