import { describe, expect, it } from 'vitest';
import { explainReason } from './reason';

describe('explainReason', () => {
  it('explains live drift and the boot-time wrapper', () => {
    expect(explainReason('content mismatch for file "/etc/mco/proxy.env"')).toMatchObject({
      kind: 'content',
      path: '/etc/mco/proxy.env',
      validatingAgainst: null,
    });
    const r = explainReason(
      'unexpected on-disk state validating against rendered-worker-0123456789abcdef0123456789abcdef: content mismatch for file "/etc/foo"',
    );
    expect(r).toMatchObject({ kind: 'content', path: '/etc/foo', validatingAgainst: 'rendered-worker-0123456789abcdef0123456789abcdef' });
  });

  it('reads both modes from a mode mismatch', () => {
    const r = explainReason('mode mismatch for file: "/etc/foo"; expected: -rw-r--r--/420/0644; received: -rw-rw-rw-/438/0666');
    expect(r).toMatchObject({ kind: 'mode', path: '/etc/foo', expectedMode: '0644', actualMode: '0666' });
    expect(r.summary).toContain('-rw-rw-rw-');
  });

  it('tells missing from unreadable, and handles the rest', () => {
    expect(explainReason('could not stat file "/etc/foo": lstat /etc/foo: no such file or directory').kind).toBe('missing');
    expect(explainReason('could not read file "/etc/foo": open /etc/foo: permission denied').kind).toBe('unreadable');
    expect(explainReason('couldn\'t decode file "/etc/x": unsupported compression type "zstd"').kind).toBe('decode');
    expect(
      explainReason('failed to drain node: worker-1 after 1 hour. Please see machine-config-controller logs for more information').kind,
    ).toBe('drain');
    expect(explainReason("can't reconcile config rendered-worker-a with rendered-worker-b: ignition disks section contains changes").kind).toBe(
      'unreconcilable',
    );
    expect(explainReason('').kind).toBe('none');
    expect(explainReason('something odd').kind).toBe('other');
  });

  it('unquotes Go-escaped paths', () => {
    expect(explainReason('content mismatch for file "/etc/a\\"b"').path).toBe('/etc/a"b');
  });
});
