import { describe, expect, it } from 'vitest';
import { fixturesDir, FIXTURES_MISSING, loadDump } from '@/tests/fixtures';
import { checkFile, driftReason, unitEnablementCheck } from './drift';
import { formatGoFileMode, goFileModeFromStat, goFileModeString, goModeTriple } from './mode';
import { managedPaths } from './managed';
import type { ActualFile, MachineConfig, ManagedPath } from './types';

if (!fixturesDir()) console.warn(FIXTURES_MISSING);

const enc = (s: string) => new TextEncoder().encode(s);

const expected = (path: string, text: string, mode = 0o644, extra: Partial<ManagedPath> = {}): ManagedPath => ({
  path,
  kind: 'file',
  mode,
  contents: enc(text),
  ...extra,
});
const file = (
  text: string,
  mode = 0o644,
  type: ActualFile['type'] = 'file',
  extra: Partial<ActualFile> = {},
): ActualFile => ({
  type,
  mode,
  contents: enc(text),
  ...extra,
});

describe('Go os.FileMode formatting', () => {
  it('prints %v like FileMode.String()', () => {
    expect(goFileModeString(0o644)).toBe('-rw-r--r--');
    expect(goFileModeString(0o666)).toBe('-rw-rw-rw-');
    expect(goFileModeString(0o600)).toBe('-rw-------');
    expect(goFileModeString(0o755)).toBe('-rwxr-xr-x');
    expect(goFileModeString(0o4755, 'file')).toBe('urwxr-xr-x');
    expect(goFileModeString(0o2755, 'file')).toBe('grwxr-xr-x');
    expect(goFileModeString(0o1777, 'directory')).toBe('dtrwxrwxrwx');
    expect(goFileModeString(0o777, 'symlink')).toBe('Lrwxrwxrwx');
    expect(goFileModeString(0o755, 'directory')).toBe('drwxr-xr-x');
    expect(goFileModeString(0)).toBe('----------');
  });

  it('takes an Ignition mode as os.FileMode(n): 0o4000 is not Go setuid', () => {
    expect(goFileModeString(0o4755)).toBe('-rwxr-xr-x');
    expect(goModeTriple(0o4755)).toBe('-rwxr-xr-x/2541/04755');
  });

  it('gives the %d and %#o of lstat modes', () => {
    expect(goModeTriple(0o644)).toBe('-rw-r--r--/420/0644');
    expect(goModeTriple(0o666)).toBe('-rw-rw-rw-/438/0666');
    expect(goModeTriple(0o600)).toBe('-rw-------/384/0600');
    expect(goModeTriple(0o755)).toBe('-rwxr-xr-x/493/0755');
    expect(goFileModeFromStat(0o777, 'symlink')).toBe(134218239);
    expect(goModeTriple(goFileModeFromStat(0o777, 'symlink'))).toBe('Lrwxrwxrwx/134218239/01000000777');
    expect(goModeTriple(goFileModeFromStat(0o4755, 'file'))).toBe('urwxr-xr-x/8389101/040000755');
    expect(goModeTriple(goFileModeFromStat(0o755, 'directory'))).toBe('drwxr-xr-x/2147484141/020000000755');
    expect(goModeTriple(0)).toBe('----------/0/0');
    expect(formatGoFileMode(2 ** 31 + 2 ** 27 + 0o644)).toBe('dLrw-r--r--');
  });
});

describe('checkFile', () => {
  const P = '/etc/mco/proxy.env';

  it('ok when mode and bytes match; sizes filled in', () => {
    const c = checkFile(expected(P, 'abc\n'), file('abc\n'));
    expect(c).toEqual({
      path: P,
      kind: 'file',
      status: 'ok',
      expectedMode: 420,
      actualMode: 420,
      expectedSize: 4,
      actualSize: 4,
      reason: null,
    });
    expect(driftReason(c)).toBeNull();
  });

  it('content mismatch', () => {
    const c = checkFile(expected(P, 'abc\n'), file('abd\n'));
    expect(c.status).toBe('content');
    expect(c.reason).toBe('content mismatch for file "/etc/mco/proxy.env"');
    expect(driftReason(c)).toBe(c.reason);
  });

  it('missing file', () => {
    const c = checkFile(expected(P, 'abc'), null);
    expect(c).toMatchObject({ status: 'missing', actualMode: null, actualSize: null, expectedSize: 3 });
    expect(c.reason).toBe(
      'could not stat file "/etc/mco/proxy.env": lstat /etc/mco/proxy.env: no such file or directory',
    );
  });

  it('mode is checked before content', () => {
    const c = checkFile(expected(P, 'abc'), file('different', 0o666));
    expect(c.status).toBe('mode');
    expect(c.reason).toBe(
      'mode mismatch for file: "/etc/mco/proxy.env"; expected: -rw-r--r--/420/0644; received: -rw-rw-rw-/438/0666',
    );
  });

  it('0600, 0755 and 04755 expectations', () => {
    const pull = '/var/lib/kubelet/config.json';
    expect(checkFile(expected(pull, '{}', 0o600), file('{}', 0o644)).reason).toBe(
      `mode mismatch for file: "${pull}"; expected: -rw-------/384/0600; received: -rw-r--r--/420/0644`,
    );
    const sh = '/usr/local/bin/configure-ovs.sh';
    expect(checkFile(expected(sh, '#!/bin/sh\n', 0o755), file('#!/bin/sh\n', 0o755)).status).toBe('ok');
    expect(checkFile(expected(sh, '#!/bin/sh\n', 0o755), file('#!/bin/sh\n', 0o744)).reason).toBe(
      `mode mismatch for file: "${sh}"; expected: -rwxr-xr-x/493/0755; received: -rwxr--r--/484/0744`,
    );
    // The daemon compares os.FileMode(2541) with lstat's ModeSetuid|0755, so a setuid file never validates.
    expect(checkFile(expected(sh, 'x', 0o4755), file('x', 0o4755)).reason).toBe(
      `mode mismatch for file: "${sh}"; expected: -rwxr-xr-x/2541/04755; received: urwxr-xr-x/8389101/040000755`,
    );
  });

  it('a symlink or a directory in place of the file is a mode mismatch', () => {
    const link = checkFile(expected(P, 'abc'), file('abc', 0o777, 'symlink', { linkTarget: '/tmp/x' }));
    expect(link.reason).toBe(
      'mode mismatch for file: "/etc/mco/proxy.env"; expected: -rw-r--r--/420/0644; received: Lrwxrwxrwx/134218239/01000000777',
    );
    const dir = checkFile(expected(P, 'abc'), { type: 'directory', mode: 0o755, contents: null });
    expect(dir).toMatchObject({ status: 'mode', actualMode: 0o755, actualSize: null });
    expect(dir.reason).toContain('received: drwxr-xr-x/2147484141/020000000755');
  });

  it('unreadable file', () => {
    const c = checkFile(expected(P, 'abc'), {
      type: 'file',
      mode: 0o644,
      contents: null,
      readError: 'open /etc/mco/proxy.env: permission denied',
    });
    expect(c.status).toBe('unreadable');
    expect(c.reason).toBe('could not read file "/etc/mco/proxy.env": open /etc/mco/proxy.env: permission denied');
  });

  it('an undecodable expected file reports the decode error first', () => {
    const decodeError = 'couldn\'t decode file "/etc/x": unsupported compression type "zstd"';
    const c = checkFile({ path: '/etc/x', kind: 'file', mode: 420, contents: null, decodeError }, file('abc'));
    expect(c).toMatchObject({ status: 'unreadable', reason: decodeError, expectedSize: null });
  });

  it('a file with append is refused by validation before anything is decoded (checkV3Files, checkV2Files)', () => {
    const reason = 'found an append section when checking files. Append is not supported';
    for (const config of [
      { ignition: { version: '3.4.0' }, storage: { files: [{ path: '/etc/motd', append: [{ source: 'data:,x' }] }] } },
      {
        ignition: { version: '2.2.0' },
        storage: { files: [{ filesystem: 'root', path: '/etc/motd', append: true, contents: { source: 'data:,x' } }] },
      },
    ]) {
      const [m] = managedPaths(config as never);
      expect(m).toMatchObject({ path: '/etc/motd', contents: null, decodeError: reason });
      expect(checkFile(m, file('x'))).toMatchObject({ status: 'unreadable', reason });
    }
  });

  describe('units and dropins', () => {
    const unit = '/etc/systemd/system/x.service';
    const masked: ManagedPath = { ...expected(unit, '[Unit]\n'), kind: 'unit', unit: 'x.service', masked: true };

    it('a masked unit must be a link to /dev/null', () => {
      expect(checkFile(masked, file('', 0o777, 'symlink', { linkTarget: '/dev/null' })).status).toBe('ok');
      expect(checkFile(masked, file('', 0o777, 'symlink', { linkTarget: '../../../../dev/null' })).status).toBe('ok');
      const wrong = checkFile(masked, file('', 0o777, 'symlink', { linkTarget: '/usr/lib/systemd/system/x.service' }));
      expect(wrong.reason).toBe(
        'state validation: invalid unit masked setting. path: "/etc/systemd/system/x.service"; expected: /dev/null; received: /usr/lib/systemd/system/x.service',
      );
      const regular = checkFile(masked, file('[Unit]\n'));
      expect(regular.status).not.toBe('ok');
      expect(regular.reason).toBe(
        'state validation: invalid unit masked setting. path: "/etc/systemd/system/x.service"; expected: /dev/null; received: /etc/systemd/system/x.service',
      );
      expect(checkFile(masked, null).reason).toBe(
        'state validation: error while evaluation symlink for path "/etc/systemd/system/x.service": lstat /etc/systemd/system/x.service: no such file or directory',
      );
    });

    it('a masked unit follows the whole chain when the reader evaluated it (filepath.EvalSymlinks)', () => {
      const link = (target: string, evaluated: ActualFile['evaluated']) =>
        file('', 0o777, 'symlink', { linkTarget: target, evaluated });
      expect(checkFile(masked, link('/etc/alt.service', { path: '/dev/null' })).status).toBe('ok');
      expect(checkFile(masked, link('/etc/alt.service', { path: '/etc/real.service' })).reason).toBe(
        'state validation: invalid unit masked setting. path: "/etc/systemd/system/x.service"; expected: /dev/null; received: /etc/real.service',
      );
      expect(checkFile(masked, link('/etc/gone', { error: 'lstat /etc/gone: no such file or directory' })).reason).toBe(
        'state validation: error while evaluation symlink for path "/etc/systemd/system/x.service": lstat /etc/gone: no such file or directory',
      );
    });

    it('the enablement check (release-4.18+) fails only on states that contradict the config', () => {
      expect(unitEnablementCheck('foo.service', true, 'disabled\n')).toBe(
        'unit "foo.service" expected enabled=true, but systemd reports "disabled"',
      );
      for (const st of ['masked', 'masked-runtime', 'not-found'])
        expect(unitEnablementCheck('foo.service', true, st)).toBe(
          `unit "foo.service" expected enabled=true, but systemd reports "${st}"`,
        );
      for (const st of ['enabled', 'static', 'indirect', 'alias', 'generated', ''])
        expect(unitEnablementCheck('foo.service', true, st)).toBeNull();
      for (const st of ['enabled', 'enabled-runtime'])
        expect(unitEnablementCheck('foo.service', false, st)).toBe(
          `unit "foo.service" expected enabled=false, but systemd reports "${st}"`,
        );
      for (const st of ['disabled', 'static', 'masked', 'not-found'])
        expect(unitEnablementCheck('foo.service', false, st)).toBeNull();
      expect(unitEnablementCheck('foo.service', undefined, 'disabled')).toBeNull();
      expect(unitEnablementCheck('foo.service', null, 'disabled')).toBeNull();
    });

    it('unit and dropin contents are compared with mode 0644', () => {
      const u: ManagedPath = { ...expected(unit, '[Unit]\n'), kind: 'unit', unit: 'x.service' };
      expect(checkFile(u, file('[Unit]\n')).status).toBe('ok');
      expect(checkFile(u, file('[Unit]\nX=1\n')).reason).toBe(
        'content mismatch for file "/etc/systemd/system/x.service"',
      );
      const d: ManagedPath = {
        ...expected(`${unit}.d/10-a.conf`, '[Service]\n'),
        kind: 'dropin',
        unit: 'x.service',
        dropin: '10-a.conf',
      };
      expect(checkFile(d, file('[Service]\n', 0o600)).reason).toBe(
        'mode mismatch for file: "/etc/systemd/system/x.service.d/10-a.conf"; expected: -rw-r--r--/420/0644; received: -rw-------/384/0600',
      );
    });

    it('an empty dropin may be absent, but if present must be empty', () => {
      const empty: ManagedPath = { ...expected(`${unit}.d/mco-empty.conf`, ''), kind: 'dropin', mayBeAbsent: true };
      expect(checkFile(empty, null).status).toBe('ok');
      expect(checkFile(empty, file('')).status).toBe('ok');
      expect(checkFile(empty, file('x')).status).toBe('content');
    });
  });

  it('driftReason over a whole config gives the first mismatch, as the daemon reports it', () => {
    const checks = [
      checkFile(expected('/etc/a', 'a'), file('a')),
      checkFile(expected('/etc/b', 'b'), file('B')),
      checkFile(expected('/etc/c', 'c'), null),
    ];
    expect(driftReason(checks)).toBe('content mismatch for file "/etc/b"');
    expect(driftReason(checks.slice(0, 1))).toBeNull();
  });
});

describe.skipIf(!fixturesDir())('drift against the real 4.16 rendered-worker config', () => {
  const rendered = () =>
    (loadDump('4.16.0-compact-mc.yaml') as MachineConfig[]).find((m) =>
      m.metadata.name.startsWith('rendered-worker-'),
    )!;
  // A node exactly as the daemon writes the config: every path with its bytes and mode; masked units link to /dev/null.
  const cleanNode = (paths: ManagedPath[]) =>
    new Map<string, ActualFile>(
      paths.map((p) => [
        p.path,
        p.masked
          ? { type: 'symlink', mode: 0o777, contents: null, linkTarget: '/dev/null' }
          : { type: 'file', mode: p.mode, contents: p.contents },
      ]),
    );

  it('a clean node validates; proxy.env drift is the reason the daemon reports', () => {
    const paths = managedPaths(rendered());
    expect(paths.length).toBeGreaterThan(60);
    const node = cleanNode(paths);
    const checkAll = () => paths.map((p) => checkFile(p, node.get(p.path) ?? null));
    expect(checkAll().filter((c) => c.status !== 'ok')).toEqual([]);

    const proxy = node.get('/etc/mco/proxy.env')!;
    node.set('/etc/mco/proxy.env', { ...proxy, contents: enc('HTTP_PROXY=http://evil:3128\n') });
    // The kubelet unit drifts too, but files come first: the daemon names proxy.env.
    node.set('/etc/systemd/system/kubelet.service', { type: 'file', mode: 0o644, contents: enc('[Unit]\n') });
    const checks = checkAll();
    expect(checks.filter((c) => c.status !== 'ok').map((c) => [c.path, c.status])).toEqual([
      ['/etc/mco/proxy.env', 'content'],
      ['/etc/systemd/system/kubelet.service', 'content'],
    ]);
    expect(driftReason(checks)).toBe('content mismatch for file "/etc/mco/proxy.env"');

    // Empty dropins (10-mco-default-env.conf) are removed by the MCO: absent is fine.
    const empty = paths.find((p) => p.path === '/etc/systemd/system/kubelet.service.d/10-mco-default-env.conf')!;
    expect(empty.mayBeAbsent).toBe(true);
    expect(checkFile(empty, null).status).toBe('ok');

    // Deleting the pull secret: the daemon's lstat error.
    const pull = paths.find((p) => p.path === '/var/lib/kubelet/config.json')!;
    expect(checkFile(pull, null).reason).toBe(
      'could not stat file "/var/lib/kubelet/config.json": lstat /var/lib/kubelet/config.json: no such file or directory',
    );
    expect(checkFile(pull, { type: 'file', mode: 0o644, contents: pull.contents }).reason).toBe(
      'mode mismatch for file: "/var/lib/kubelet/config.json"; expected: -rw-------/384/0600; received: -rw-r--r--/420/0644',
    );
  });
});
