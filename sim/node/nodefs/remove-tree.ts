// `rm -r` through the NodeFS surface.
import type { NodeFS } from './types';

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
