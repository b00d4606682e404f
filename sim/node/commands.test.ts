// The daemon pod's commands, on both node filesystem kinds: coreutils output, exit codes, errors, stdin, and
// every attempt to leave the node's folder.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  symlinkSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { DiskNodeFS, MemoryNodeFS, type NodeFS } from './nodefs';
import { createExecHandler, podToNodePath, runCommand } from './commands';
import { MemoryJournal } from './journal';

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');
const tmpRoots: string[] = [];
afterAll(() => tmpRoots.forEach((d) => rmSync(d, { recursive: true, force: true })));

function makeDisk(): { fs: NodeFS; outside: string } {
  const base = mkdtempSync(join(tmpdir(), 'plumb-nodefs-'));
  tmpRoots.push(base);
  const root = join(base, 'rootfs');
  // A secret beside the node folder: nothing may ever reach it.
  writeFileSync(join(base, 'secret'), 'host secret\n');
  mkdirSync(root, { recursive: true });
  return { fs: new DiskNodeFS(root), outside: join(base, 'secret') };
}
const kinds: [string, () => { fs: NodeFS; outside: string | null }][] = [
  ['memory', () => ({ fs: new MemoryNodeFS(), outside: null })],
  ['disk', makeDisk],
];

describe.each(kinds)('commands on a %s node filesystem', (_kind, make) => {
  let fs: NodeFS;
  let outside: string | null;
  const run = (argv: string[], stdin?: string) =>
    runCommand(argv, { fs, stdin: stdin === undefined ? null : new Uint8Array(Buffer.from(stdin)) }).then((r) => ({
      out: text(r.stdout),
      err: text(r.stderr),
      code: r.exitCode,
    }));

  beforeEach(async () => {
    ({ fs, outside } = make());
    await fs.mkdirp('/etc/mco');
    await fs.writeFile('/etc/mco/proxy.env', new Uint8Array(Buffer.from('# proxy\n')), 0o644);
    await fs.mkdirp('/etc/systemd/system');
    await fs.symlink('/dev/null', '/etc/systemd/system/masked.service');
  });

  it('cat prints files and stdin, and reports missing files like coreutils', async () => {
    expect(await run(['cat', '/rootfs/etc/mco/proxy.env'])).toEqual({ out: '# proxy\n', err: '', code: 0 });
    expect(await run(['cat'], 'from stdin')).toEqual({ out: 'from stdin', err: '', code: 0 });
    expect(await run(['cat', '-', '/rootfs/etc/mco/proxy.env'], 'a\n')).toMatchObject({ out: 'a\n# proxy\n', code: 0 });
    expect(await run(['cat', '/rootfs/etc/nope', '/rootfs/etc/mco/proxy.env'])).toEqual({
      out: '# proxy\n',
      err: 'cat: /rootfs/etc/nope: No such file or directory\n',
      code: 1,
    });
    expect(await run(['cat', '/rootfs/etc'])).toEqual({ out: '', err: 'cat: /rootfs/etc: Is a directory\n', code: 1 });
  });

  it('stat -c formats like coreutils', async () => {
    await fs.chmod('/etc/mco/proxy.env', 0o4755);
    const r = await run(['stat', '-c', '%a %A %f %F %s %n %U %G %u %g %h', '/rootfs/etc/mco/proxy.env']);
    expect(r).toEqual({
      out: '4755 -rwsr-xr-x 89ed regular file 8 /rootfs/etc/mco/proxy.env root root 0 0 1\n',
      err: '',
      code: 0,
    });
    expect((await run(['stat', '-c', '%a|%A|%F|%N', '/rootfs/etc/systemd/system/masked.service'])).out).toBe(
      "777|lrwxrwxrwx|symbolic link|'/rootfs/etc/systemd/system/masked.service' -> '/dev/null'\n",
    );
    expect((await run(['stat', '--format=%F %a', '/rootfs/etc/mco'])).out).toBe('directory 755\n');
    const y = Number((await run(['stat', '-c', '%Y', '/rootfs/etc/mco/proxy.env'])).out);
    expect(Math.abs(y - Date.now() / 1000)).toBeLessThan(120);
    expect(await run(['stat', '-c', '%s', '/rootfs/x', '/rootfs/etc/mco/proxy.env'])).toEqual({
      out: '8\n',
      err: "stat: cannot statx '/rootfs/x': No such file or directory\n",
      code: 1,
    });
    await fs.writeFile('/empty', new Uint8Array(0), 0o600);
    expect((await run(['stat', '-c', '%F %a %A', '/rootfs/empty'])).out).toBe('regular empty file 600 -rw-------\n');
    expect((await run(['stat', '-c', '%A', '/rootfs/etc/mco/proxy.env'])).code).toBe(0);
    await fs.chmod('/etc/mco/proxy.env', 0o1644);
    expect((await run(['stat', '-c', '%A', '/rootfs/etc/mco/proxy.env'])).out).toBe('-rw-r--r-T\n');
  });

  it('test checks existence and type without output', async () => {
    const codes = async (op: string, p: string) => (await run(['test', op, p])).code;
    expect(await codes('-e', '/rootfs/etc/mco/proxy.env')).toBe(0);
    expect(await codes('-f', '/rootfs/etc/mco/proxy.env')).toBe(0);
    expect(await codes('-d', '/rootfs/etc/mco/proxy.env')).toBe(1);
    expect(await codes('-d', '/rootfs/etc/mco')).toBe(0);
    expect(await codes('-L', '/rootfs/etc/systemd/system/masked.service')).toBe(0);
    expect(await codes('-e', '/rootfs/etc/systemd/system/masked.service')).toBe(1); // /dev/null is not on the node
    expect(await codes('-s', '/rootfs/etc/mco/proxy.env')).toBe(0);
    expect(await codes('-e', '/rootfs/run/machine-config-daemon-force')).toBe(1);
    expect(await codes('-e', '/etc/passwd')).toBe(1);
  });

  it('touch, chmod, mv, rm and mkdir change the node as coreutils would', async () => {
    await fs.mkdirp('/run');
    expect(await run(['touch', '/rootfs/run/machine-config-daemon-force'])).toEqual({ out: '', err: '', code: 0 });
    expect(await fs.lstat('/run/machine-config-daemon-force')).toMatchObject({ type: 'file', size: 0, mode: 0o644 });
    expect(await run(['touch', '/rootfs/nodir/x'])).toEqual({
      out: '',
      err: "touch: cannot touch '/rootfs/nodir/x': No such file or directory\n",
      code: 1,
    });

    expect(await run(['chmod', '0600', '/rootfs/etc/mco/proxy.env'])).toMatchObject({ code: 0 });
    expect((await fs.stat('/etc/mco/proxy.env')).mode).toBe(0o600);
    expect(await run(['chmod', 'u+x', '/rootfs/etc/mco/proxy.env'])).toMatchObject({
      code: 1,
      err: expect.stringContaining("chmod: invalid mode: 'u+x'"),
    });
    expect(await run(['chmod', '644', '/rootfs/nope'])).toMatchObject({
      code: 1,
      err: "chmod: cannot access '/rootfs/nope': No such file or directory\n",
    });

    expect(await run(['mv', '/rootfs/etc/mco/proxy.env', '/rootfs/etc/mco/proxy.env.bak'])).toMatchObject({ code: 0 });
    expect(await fs.exists('/etc/mco/proxy.env')).toBe(false);
    expect(await run(['mv', '/rootfs/etc/mco/proxy.env.bak', '/rootfs/etc'])).toMatchObject({ code: 0 });
    expect(await fs.exists('/etc/proxy.env.bak')).toBe(true);
    expect(await run(['mv', '/rootfs/gone', '/rootfs/x'])).toEqual({
      out: '',
      err: "mv: cannot stat '/rootfs/gone': No such file or directory\n",
      code: 1,
    });

    expect(await run(['rm', '/rootfs/etc/proxy.env.bak'])).toEqual({ out: '', err: '', code: 0 });
    expect(await run(['rm', '/rootfs/etc/proxy.env.bak'])).toEqual({
      out: '',
      err: "rm: cannot remove '/rootfs/etc/proxy.env.bak': No such file or directory\n",
      code: 1,
    });
    expect(await run(['rm', '-f', '/rootfs/etc/proxy.env.bak'])).toEqual({ out: '', err: '', code: 0 });
    expect(await run(['rm', '/rootfs/etc/mco'])).toMatchObject({
      err: "rm: cannot remove '/rootfs/etc/mco': Is a directory\n",
      code: 1,
    });

    expect(await run(['mkdir', '-p', '/rootfs/a/b/c'])).toMatchObject({ code: 0 });
    expect((await fs.stat('/a/b/c')).type).toBe('directory');
    expect(await run(['mkdir', '/rootfs/a'])).toMatchObject({
      err: "mkdir: cannot create directory '/rootfs/a': File exists\n",
      code: 1,
    });
    expect(await run(['rm', '-rf', '/rootfs/a'])).toMatchObject({ code: 0 });
    expect(await fs.exists('/a')).toBe(false);
  });

  it('tee writes stdin to the file and stdout, keeping the mode; -a appends', async () => {
    await fs.chmod('/etc/mco/proxy.env', 0o600);
    expect(await run(['tee', '/rootfs/etc/mco/proxy.env'], 'new\n')).toEqual({ out: 'new\n', err: '', code: 0 });
    expect(text(await fs.readFile('/etc/mco/proxy.env'))).toBe('new\n');
    expect((await fs.stat('/etc/mco/proxy.env')).mode).toBe(0o600);
    expect(await run(['tee', '-a', '/rootfs/etc/mco/proxy.env'], 'more\n')).toMatchObject({ out: 'more\n', code: 0 });
    expect(text(await fs.readFile('/etc/mco/proxy.env'))).toBe('new\nmore\n');
    expect(await run(['tee', '/rootfs/etc/fresh'], '')).toMatchObject({ code: 0 });
    expect((await fs.stat('/etc/fresh')).mode).toBe(0o644);
    expect(await run(['tee', '/rootfs/no/dir'], 'x')).toEqual({
      out: 'x',
      err: 'tee: /rootfs/no/dir: No such file or directory\n',
      code: 1,
    });
  });

  it('sha256sum, base64, readlink, ls, echo, true, false and unknown commands', async () => {
    const sum = createHash('sha256').update('# proxy\n').digest('hex');
    expect(await run(['sha256sum', '/rootfs/etc/mco/proxy.env'])).toEqual({
      out: `${sum}  /rootfs/etc/mco/proxy.env\n`,
      err: '',
      code: 0,
    });
    expect((await run(['sha256sum'], '# proxy\n')).out).toBe(`${sum}  -\n`);
    expect(await run(['sha256sum', '/rootfs/x'])).toMatchObject({
      err: 'sha256sum: /rootfs/x: No such file or directory\n',
      code: 1,
    });

    expect(await run(['base64', '-w0', '/rootfs/etc/mco/proxy.env'])).toEqual({
      out: 'IyBwcm94eQo=\n',
      err: '',
      code: 0,
    });
    const long = 'x'.repeat(100);
    expect((await run(['base64'], long)).out.split('\n').map((l) => l.length)).toEqual([76, 60, 0]);
    expect(await run(['base64', '-d'], 'IyBwcm94eQo=\n')).toEqual({ out: '# proxy\n', err: '', code: 0 });
    expect(await run(['base64', '-d'], 'not base64!')).toMatchObject({ err: 'base64: invalid input\n', code: 1 });

    expect(await run(['readlink', '/rootfs/etc/systemd/system/masked.service'])).toEqual({
      out: '/dev/null\n',
      err: '',
      code: 0,
    });
    expect((await run(['readlink', '/rootfs/etc/mco/proxy.env'])).code).toBe(1);

    expect(await run(['ls', '/rootfs/etc/mco'])).toEqual({ out: 'proxy.env\n', err: '', code: 0 });
    expect(await run(['ls', '/rootfs/nope'])).toEqual({
      out: '',
      err: "ls: cannot access '/rootfs/nope': No such file or directory\n",
      code: 2,
    });

    expect(await run(['echo', 'a', 'b'])).toEqual({ out: 'a b\n', err: '', code: 0 });
    expect(await run(['echo', '-n', 'a'])).toEqual({ out: 'a', err: '', code: 0 });
    expect((await run(['true'])).code).toBe(0);
    expect((await run(['false'])).code).toBe(1);
    expect(await run(['bash', '-c', 'cat /etc/passwd'])).toEqual({
      out: '',
      err: 'bash: command not found\n',
      code: 127,
    });
    expect(await run(['/usr/bin/cat', '/rootfs/etc/mco/proxy.env'])).toMatchObject({ out: '# proxy\n', code: 0 });
  });

  it('never leaves the node folder', async () => {
    expect(podToNodePath('/rootfs/../etc/passwd')).toBeNull();
    expect(podToNodePath('/rootfs/etc/../../../rootfs/etc/x')).toBe('/etc/x');
    for (const p of [
      '/etc/passwd',
      '/rootfs/../etc/passwd',
      '/rootfs/../../secret',
      '/proc/self/environ',
      'etc/passwd',
    ]) {
      expect(await run(['cat', p])).toEqual({ out: '', err: `cat: ${p}: No such file or directory\n`, code: 1 });
    }
    // Links, absolute or relative, resolve inside the node root.
    await fs.symlink('/../../secret', '/etc/abs-escape');
    await fs.symlink('../../../../secret', '/etc/rel-escape');
    await fs.symlink('/etc/mco', '/etc/mco-link');
    for (const p of ['/rootfs/etc/abs-escape', '/rootfs/etc/rel-escape']) {
      const r = await run(['cat', p]);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
    }
    expect((await run(['cat', '/rootfs/etc/mco-link/proxy.env'])).out).toBe('# proxy\n');
    expect((await run(['tee', '/rootfs/etc/abs-escape'], 'pwned')).code).toBe(1);
    await expect(fs.readFile('/../secret')).rejects.toMatchObject({ code: 'ENOENT' });
    if (outside) expect(readFileSync(outside, 'utf8')).toBe('host secret\n');
  });
});

describe('DiskNodeFS on a real folder', () => {
  it('writes atomically with exact modes regardless of umask, and sees edits made on disk', async () => {
    const { fs } = makeDisk();
    const root = (fs as DiskNodeFS).rootDir;
    await fs.mkdirp('/etc/mco');
    await fs.writeFile('/etc/mco/proxy.env', new Uint8Array(Buffer.from('a\n')), 0o666);
    expect(statSync(join(root, 'etc/mco/proxy.env')).mode & 0o7777).toBe(0o666);
    expect(readFileSync(join(root, 'etc/mco/proxy.env'), 'utf8')).toBe('a\n');
    // A host-absolute link placed by hand is still read inside the node root.
    symlinkSync('/etc/hostname', join(root, 'etc/hostlink'));
    await expect(fs.readFile('/etc/hostlink')).rejects.toMatchObject({ code: 'ENOENT' });
    const seen: string[] = [];
    const w = fs.watch(['/etc/mco/proxy.env'], (p) => seen.push(p));
    writeFileSync(join(root, 'etc/mco/other'), 'ignored');
    writeFileSync(join(root, 'etc/mco/proxy.env'), 'a\nb\n', { flag: 'a' });
    for (let i = 0; i < 50 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    w.close();
    expect(seen).toContain('/etc/mco/proxy.env');
    expect(seen.every((p) => p === '/etc/mco/proxy.env')).toBe(true);
    expect(existsSync(join(root, '..', 'secret'))).toBe(true);
  });
});

describe('createExecHandler', () => {
  it('runs commands for machine-config-daemon pods only', async () => {
    const fs = new MemoryNodeFS();
    await fs.writeFile('/hello', new Uint8Array(Buffer.from('hi\n')));
    const exec = createExecHandler((ns, pod) =>
      ns === 'openshift-machine-config-operator' && pod === 'mcd-a' ? { nodeName: 'a', fs } : undefined,
    );
    const ok = await exec({
      namespace: 'openshift-machine-config-operator',
      pod: 'mcd-a',
      container: 'machine-config-daemon',
      command: ['cat', '/rootfs/hello'],
      stdin: null,
    });
    expect({ out: text(ok.stdout), code: ok.exitCode }).toEqual({ out: 'hi\n', code: 0 });
    const other = await exec({
      namespace: 'openshift-machine-config-operator',
      pod: 'mcd-a',
      container: 'kube-rbac-proxy',
      command: ['cat', '/rootfs/hello'],
      stdin: null,
    });
    expect(other.exitCode).toBe(127);
    const none = await exec({
      namespace: 'default',
      pod: 'x',
      container: 'machine-config-daemon',
      command: ['cat'],
      stdin: null,
    });
    expect(none.exitCode).toBe(127);
  });
});

describe("the host's systemctl through chroot", () => {
  it('records reloads, restarts and daemon-reloads in the node journal, and fails like systemctl', async () => {
    const fs = new MemoryNodeFS();
    await fs.mkdirp('/etc/systemd/system');
    await fs.writeFile('/etc/systemd/system/custom.service', new Uint8Array(Buffer.from('[Unit]\n')));
    const journal = new MemoryJournal();
    const run = (argv: string[]) =>
      runCommand(argv, { fs, stdin: null, journal, currentConfig: () => 'rendered-worker-1' }).then((r) => ({
        err: text(r.stderr),
        code: r.exitCode,
      }));
    expect(await run(['chroot', '/rootfs', 'systemctl', 'reload', 'crio.service'])).toEqual({ err: '', code: 0 });
    expect(await run(['chroot', '/rootfs', 'systemctl', 'restart', 'kubelet'])).toEqual({ err: '', code: 0 });
    expect(await run(['chroot', '/rootfs', 'systemctl', 'daemon-reload'])).toEqual({ err: '', code: 0 });
    expect(await run(['chroot', '/rootfs', 'systemctl', 'restart', 'custom.service'])).toEqual({ err: '', code: 0 });
    expect(journal.entries().map((e) => [e.action, e.unit, e.config])).toEqual([
      ['reload', 'crio.service', 'rendered-worker-1'],
      ['restart', 'kubelet.service', 'rendered-worker-1'],
      ['daemon-reload', undefined, 'rendered-worker-1'],
      ['restart', 'custom.service', 'rendered-worker-1'],
    ]);
    expect(await run(['chroot', '/rootfs', 'systemctl', 'reload', 'nope.service'])).toEqual({
      err: 'Failed to reload nope.service: Unit nope.service not found.\n',
      code: 5,
    });
    expect(await run(['chroot', '/rootfs', 'systemctl', 'reload', 'kubelet.service'])).toEqual({
      err: 'Failed to reload kubelet.service: Job type reload is not applicable for unit kubelet.service.\n',
      code: 1,
    });
    expect(await run(['chroot', '/rootfs', 'systemctl', 'frob'])).toEqual({
      err: "Unknown command verb 'frob'.\n",
      code: 1,
    });
    expect((await run(['systemctl', 'reload', 'crio.service'])).code).toBe(1);
    expect((await run(['chroot', '/rootfs', 'sh'])).code).toBe(127);
    expect((await run(['chroot', '/tmp', 'systemctl', 'daemon-reload'])).code).toBe(125);
    expect(journal.entries()).toHaveLength(4);
  });
});
