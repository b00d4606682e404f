// The simulated host's unit-file state on a real folder and in memory: filepath.EvalSymlinks over whole chains with
// Go's error texts, `systemctl is-enabled` states from the links systemd keeps, and enable/disable/mask/unmask as
// systemctl does them (also through `chroot /rootfs systemctl` in the daemon pod).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from './commands';
import { DiskNodeFS, MemoryNodeFS, type NodeFS } from './nodefs';
import { disableUnits, enableUnits, evalSymlinks, maskUnits, unitFileState, unmaskUnits, writeMask } from './systemd';

const enc = (s: string) => new TextEncoder().encode(s);
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const kinds: [string, () => NodeFS][] = [
  [
    'disk',
    () => {
      const base = mkdtempSync(join(tmpdir(), 'plumb-systemd-'));
      dirs.push(base);
      mkdirSync(join(base, 'rootfs'));
      return new DiskNodeFS(join(base, 'rootfs'));
    },
  ],
  ['memory', () => new MemoryNodeFS()],
];

const S = '/etc/systemd/system';

describe.each(kinds)('unit files (%s)', (_kind, make) => {
  it('EvalSymlinks follows the whole chain, relative and absolute, to /dev/null', async () => {
    const fs = make();
    await fs.mkdirp(S);
    await fs.mkdirp('/etc/alt');
    await fs.symlink('/etc/alt/hop.service', `${S}/a.service`);
    await fs.symlink('../alt/last', '/etc/alt/hop.service');
    await fs.symlink('/dev/null', '/etc/alt/last');
    expect(await evalSymlinks(fs, `${S}/a.service`)).toEqual({ path: '/dev/null' });
    await fs.symlink('/etc/alt/gone.service', `${S}/b.service`);
    expect(await evalSymlinks(fs, `${S}/b.service`)).toEqual({
      error: 'lstat /etc/alt/gone.service: no such file or directory',
    });
    await fs.writeFile(`${S}/c.service`, enc('[Unit]\n'));
    expect(await evalSymlinks(fs, `${S}/c.service`)).toEqual({ path: `${S}/c.service` });
    expect(await evalSymlinks(fs, `${S}/c.service/x`)).toEqual({ error: 'not a directory' });
    expect(await evalSymlinks(fs, `${S}/none.service`)).toEqual({
      error: `lstat ${S}/none.service: no such file or directory`,
    });
    await fs.symlink('loop2', `${S}/loop1`);
    await fs.symlink('loop1', `${S}/loop2`);
    expect(await evalSymlinks(fs, `${S}/loop1`)).toEqual({ error: 'EvalSymlinks: too many links' });
  });

  it('is-enabled: static, disabled, enabled by a .wants link, masked (through a chain), not-found', async () => {
    const fs = make();
    await fs.mkdirp(S);
    await fs.writeFile(`${S}/static.service`, enc('[Unit]\nDescription=x\n[Service]\nType=oneshot\n'));
    await fs.writeFile(`${S}/foo.service`, enc('[Unit]\n[Install]\nWantedBy=multi-user.target\n'));
    expect(await unitFileState(fs, 'static.service')).toBe('static');
    expect(await unitFileState(fs, 'foo.service')).toBe('disabled');
    expect(await enableUnits(fs, ['foo.service'])).toEqual({
      messages: [`Created symlink ${S}/multi-user.target.wants/foo.service → ${S}/foo.service.`],
      code: 0,
    });
    expect(await fs.readlink(`${S}/multi-user.target.wants/foo.service`)).toBe(`${S}/foo.service`);
    expect(await unitFileState(fs, 'foo.service')).toBe('enabled');
    expect((await enableUnits(fs, ['foo.service'])).messages).toEqual([]);
    expect(await disableUnits(fs, ['foo.service'])).toEqual({
      messages: [`Removed "${S}/multi-user.target.wants/foo.service".`],
      code: 0,
    });
    expect(await unitFileState(fs, 'foo.service')).toBe('disabled');
    expect(await unitFileState(fs, 'crio.service')).toBe('disabled');
    expect(await unitFileState(fs, 'nothing.service')).toBe('not-found');
    await fs.mkdirp('/etc/alt');
    await fs.symlink('/etc/alt/null', `${S}/chained.service`);
    await fs.symlink('/dev/null', '/etc/alt/null');
    expect(await unitFileState(fs, 'chained.service')).toBe('masked');
    expect(await enableUnits(fs, ['chained.service'])).toEqual({
      messages: [`Failed to enable unit: Unit file ${S}/chained.service is masked.`],
      code: 1,
    });
  });

  it('mask refuses a real unit file; unmask removes a mask (also a chained one) and nothing else', async () => {
    const fs = make();
    await fs.mkdirp(S);
    await fs.writeFile(`${S}/foo.service`, enc('[Unit]\n'));
    expect(await maskUnits(fs, ['foo.service'])).toEqual({
      messages: [`Failed to mask unit: File ${S}/foo.service already exists.`],
      code: 1,
    });
    expect(await maskUnits(fs, ['bar.service'])).toEqual({
      messages: [`Created symlink ${S}/bar.service → /dev/null.`],
      code: 0,
    });
    expect(await unitFileState(fs, 'bar.service')).toBe('masked');
    expect(await unmaskUnits(fs, ['bar.service', 'foo.service'])).toEqual({
      messages: [`Removed "${S}/bar.service".`],
      code: 0,
    });
    expect(await fs.exists(`${S}/foo.service`)).toBe(true);
  });

  it('the daemon masks as os.RemoveAll + symlink: a link is removed, never what it points to', async () => {
    const fs = make();
    await fs.mkdirp(S);
    await fs.mkdirp('/etc/keep');
    await fs.writeFile('/etc/keep/real.service', enc('[Unit]\n'));
    await fs.symlink('/etc/keep/real.service', `${S}/x.service`);
    await writeMask(fs, `${S}/x.service`);
    expect(await fs.readlink(`${S}/x.service`)).toBe('/dev/null');
    expect(new TextDecoder().decode(await fs.readFile('/etc/keep/real.service'))).toBe('[Unit]\n');
    await fs.mkdirp(`${S}/y.service/inner`);
    await writeMask(fs, `${S}/y.service`);
    expect(await fs.readlink(`${S}/y.service`)).toBe('/dev/null');
  });

  it('chroot /rootfs systemctl is-enabled / enable / disable through the pod commands', async () => {
    const fs = make();
    await fs.mkdirp(S);
    await fs.writeFile(`${S}/foo.service`, enc('[Install]\nRequiredBy=kubelet.service\n'));
    const run = async (...args: string[]) => {
      const r = await runCommand(['chroot', '/rootfs', 'systemctl', ...args], { fs, stdin: null });
      return { code: r.exitCode, out: Buffer.from(r.stdout).toString(), err: Buffer.from(r.stderr).toString() };
    };
    expect(await run('is-enabled', 'foo')).toEqual({ code: 1, out: 'disabled\n', err: '' });
    expect(await run('enable', 'foo.service')).toEqual({
      code: 0,
      out: '',
      err: `Created symlink ${S}/kubelet.service.requires/foo.service → ${S}/foo.service.\n`,
    });
    expect(await run('is-enabled', 'foo.service', 'crio')).toEqual({ code: 1, out: 'enabled\ndisabled\n', err: '' });
    expect((await run('disable', 'foo.service')).code).toBe(0);
    expect((await run('is-enabled', 'foo.service')).out).toBe('disabled\n');
    expect(await run('is-enabled')).toEqual({ code: 1, out: '', err: 'Too few arguments.\n' });
  });
});
