// touch as touch(1) does it: O_CREAT without truncation. A file another process writes between touch's look and its
// create keeps its contents (the race the wall test can hit when a directory is swapped away and back).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DiskNodeFS } from './disk';
import { MemoryNodeFS } from './memory';

const base = mkdtempSync(join(tmpdir(), 'plumb-touch-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/**
 * A filesystem on which the file is written right after touch found it missing (while touch checks its parent
 * directory), as a racing process would.
 */
function racing<T extends DiskNodeFS | MemoryNodeFS>(fs: T, write: () => Promise<void> | void): T {
  type Inner = { requireDir(segs: string[], path: string): Promise<void> };
  const requireDir = (fs as unknown as Inner).requireDir.bind(fs);
  let written = false;
  (fs as unknown as Inner).requireDir = async (segs, path) => {
    await requireDir(segs, path);
    if (written) return;
    written = true;
    await write();
  };
  return fs;
}

describe('touch', () => {
  it('on disk: keeps the contents of a file written after its look', async () => {
    const root = join(base, 'disk');
    mkdirSync(root);
    const disk = new DiskNodeFS(root);
    await disk.mkdirp('/etc/mco');
    const fs = racing(disk, () => writeFileSync(join(root, 'etc/mco/proxy.env'), 'written meanwhile\n'));
    const before = Date.now() - 1000;
    await fs.touch('/etc/mco/proxy.env');
    expect(readFileSync(join(root, 'etc/mco/proxy.env'), 'utf8')).toBe('written meanwhile\n');
    expect(statSync(join(root, 'etc/mco/proxy.env')).mtimeMs).toBeGreaterThan(before);
  });

  it('in memory: the same', async () => {
    const mem = new MemoryNodeFS();
    await mem.mkdirp('/etc/mco');
    const fs = racing(mem, () =>
      mem.writeFile('/etc/mco/proxy.env', new TextEncoder().encode('written meanwhile\n'), 0o600),
    );
    await fs.touch('/etc/mco/proxy.env');
    expect(new TextDecoder().decode(await mem.readFile('/etc/mco/proxy.env'))).toBe('written meanwhile\n');
    expect((await mem.lstat('/etc/mco/proxy.env'))?.mode).toBe(0o600);
  });

  it('creates a missing file empty, mode 0644', async () => {
    const mem = new MemoryNodeFS();
    await mem.mkdirp('/run');
    await mem.touch('/run/machine-config-daemon-force');
    expect((await mem.readFile('/run/machine-config-daemon-force')).byteLength).toBe(0);
    expect((await mem.lstat('/run/machine-config-daemon-force'))?.mode).toBe(0o644);
  });
});
