// The daemon's reasons written by lib/mco/reason and read back by explainReason: every form the MCO writes
// (pkg/daemon/on_disk_validation.go, daemon.go, update.go, reconcile.go, drain.go), bare and wrapped.
import { describe, expect, it } from 'vitest';
import {
  APPEND_NOT_SUPPORTED_REASON,
  componentNotReconcilableReason,
  contentMismatchReason,
  couldNotDecodeReason,
  couldNotReadReason,
  couldNotStatReason,
  drainFailedReason,
  explainReason,
  ignitionParseReason,
  maskedUnitReason,
  missingKernelArgsReason,
  modeMismatchReason,
  notReconcilableReason,
  osImageReason,
  symlinkEvalReason,
  unitEnablementReason,
  unreconcilableReason,
  validationReason,
  withRootCause,
} from './reason';

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
    expect(r).toMatchObject({
      kind: 'content',
      path: '/etc/foo',
      validatingAgainst: 'rendered-worker-0123456789abcdef0123456789abcdef',
    });
  });

  it('reads both modes from a mode mismatch', () => {
    const r = explainReason(
      'mode mismatch for file: "/etc/foo"; expected: -rw-r--r--/420/0644; received: -rw-rw-rw-/438/0666',
    );
    expect(r).toMatchObject({ kind: 'mode', path: '/etc/foo', expectedMode: '0644', actualMode: '0666' });
    expect(r.summary).toContain('-rw-rw-rw-');
  });

  it('tells missing from unreadable, and handles the rest', () => {
    expect(explainReason('could not stat file "/etc/foo": lstat /etc/foo: no such file or directory').kind).toBe(
      'missing',
    );
    expect(explainReason('could not read file "/etc/foo": open /etc/foo: permission denied').kind).toBe('unreadable');
    expect(explainReason('couldn\'t decode file "/etc/x": unsupported compression type "zstd"').kind).toBe('decode');
    expect(
      explainReason(
        'failed to drain node: worker-1 after 1 hour. Please see machine-config-controller logs for more information',
      ).kind,
    ).toBe('drain');
    expect(
      explainReason(
        "can't reconcile config rendered-worker-a with rendered-worker-b: ignition disks section contains changes",
      ).kind,
    ).toBe('unreconcilable');
    expect(explainReason('').kind).toBe('none');
    expect(explainReason('something odd').kind).toBe('other');
  });

  it('unquotes Go-escaped paths', () => {
    expect(explainReason('content mismatch for file "/etc/a\\"b"').path).toBe('/etc/a"b');
  });
});

describe('reasons written and read back', () => {
  // Paths that need every kind of Go escape: a quote, a backslash, a no-break space, a zero-width space,
  // a line separator, a BOM, a control character, a rune beyond the BMP.
  const paths = [
    '/etc/mco/proxy.env',
    '/etc/a"b\\c',
    '/etc/nbsp\u00a0zw\u200bls\u2028bom\ufeff',
    '/etc/tab\tnl\nbell\x07',
    '/etc/tag\u{e0001}/😀',
  ];
  const RENDERED = 'rendered-worker-0123456789abcdef0123456789abcdef';
  const ENOENT = (p: string) => `lstat ${p}: no such file or directory`;

  const leaves = (path: string) => [
    { reason: contentMismatchReason(path), kind: 'content', path },
    { reason: modeMismatchReason(path, 0o644, 0o666), kind: 'mode', path, expectedMode: '0644', actualMode: '0666' },
    { reason: couldNotStatReason(path, ENOENT(path)), kind: 'missing', path },
    { reason: couldNotStatReason(path, `lstat ${path}: permission denied`), kind: 'unreadable', path },
    { reason: couldNotReadReason(path, `open ${path}: permission denied`), kind: 'unreadable', path },
    { reason: couldNotDecodeReason(path, 'unsupported compression type "zstd"'), kind: 'decode', path },
    { reason: symlinkEvalReason(path, ENOENT(path)), kind: 'missing', path },
    { reason: symlinkEvalReason(path, ENOENT('/etc/gone')), kind: 'missing', path },
    { reason: maskedUnitReason(path, '/dev/null', '/usr/lib/systemd/system/x.service'), kind: 'content', path },
  ];

  it('reads every leaf back to its kind and path, bare and wrapped as at boot or preflight', () => {
    for (const path of paths) {
      for (const { reason, ...want } of leaves(path)) {
        expect(explainReason(reason), reason).toMatchObject({ ...want, validatingAgainst: null });
        expect(explainReason(validationReason(RENDERED, reason)), reason).toMatchObject({
          ...want,
          validatingAgainst: RENDERED,
        });
        const rooted = withRootCause(validationReason(RENDERED, reason), 'error: failed to finalize');
        expect(explainReason(rooted), rooted).toMatchObject({ ...want, validatingAgainst: RENDERED });
      }
    }
  });

  it('writes the exact strings of the MCO', () => {
    expect(modeMismatchReason('/etc/foo', 0o644, 0o666)).toBe(
      'mode mismatch for file: "/etc/foo"; expected: -rw-r--r--/420/0644; received: -rw-rw-rw-/438/0666',
    );
    expect(couldNotStatReason('/etc/foo', ENOENT('/etc/foo'))).toBe(
      'could not stat file "/etc/foo": lstat /etc/foo: no such file or directory',
    );
    expect(validationReason('rendered-worker-abc', contentMismatchReason('/etc/a"b'))).toBe(
      'unexpected on-disk state validating against rendered-worker-abc: content mismatch for file "/etc/a\\"b"',
    );
    expect(contentMismatchReason('/etc/x\u00a0')).toBe('content mismatch for file "/etc/x\\u00a0"');
    const a = 'rendered-worker-a';
    const b = 'rendered-worker-b';
    expect(
      unreconcilableReason(
        a,
        b,
        notReconcilableReason(a, b, componentNotReconcilableReason(a, b, 'invalid passwd change(s): x')),
      ),
    ).toBe(
      "can't reconcile config rendered-worker-a with rendered-worker-b: configs rendered-worker-a, rendered-worker-b are not reconcilable: " +
        'new machineconfig "rendered-worker-a" is not reconcilable against "rendered-worker-b": invalid passwd change(s): x',
    );
    expect(missingKernelArgsReason(['nosmt', 'fips=1'])).toBe('missing expected kernel arguments: [nosmt fips=1]');
  });

  it('reads the unreconcilable and drain forms', () => {
    const inner = notReconcilableReason(
      'rendered-worker-a',
      'rendered-worker-b',
      'ignition disks section contains changes',
    );
    expect(
      explainReason(
        unreconcilableReason('a', 'b', notReconcilableReason('a', 'b', componentNotReconcilableReason('a', 'b', 'x'))),
      ).kind,
    ).toBe('unreconcilable');
    for (const r of [
      unreconcilableReason('rendered-worker-a', 'rendered-worker-b', inner),
      unreconcilableReason('a', 'b', 'x\ny'),
    ]) {
      expect(explainReason(r)).toMatchObject({ kind: 'unreconcilable', path: null });
    }
    expect(explainReason(drainFailedReason('drain', 'worker-1', '1 hour')).kind).toBe('drain');
    expect(explainReason(drainFailedReason('uncordon', 'worker-1', '10 minutes')).kind).toBe('drain');
  });

  it('leaves the checks it has no file for as other, still naming the config validated against', () => {
    const others = [
      APPEND_NOT_SUPPORTED_REASON,
      unitEnablementReason('kubelet.service', true, 'disabled'),
      unitEnablementReason('foo.service', false, 'enabled'),
      ignitionParseReason('unknown version'),
      osImageReason('quay.io/a@sha256:1', 'quay.io/a@sha256:2'),
      missingKernelArgsReason(['nosmt']),
    ];
    for (const r of others) {
      expect(explainReason(r)).toMatchObject({ kind: 'other', path: null, validatingAgainst: null });
      expect(explainReason(validationReason(RENDERED, r))).toMatchObject({
        kind: 'other',
        validatingAgainst: RENDERED,
      });
    }
  });

  it('says what fixes a unit enablement mismatch and an append', () => {
    expect(explainReason(unitEnablementReason('kubelet.service', true, 'disabled')).summary).toBe(
      'kubelet.service should be enabled but systemd reports disabled: `systemctl enable kubelet.service` on the node.',
    );
    expect(
      explainReason(validationReason(RENDERED, unitEnablementReason('foo.service', false, 'enabled'))).summary,
    ).toBe(
      `foo.service should be disabled but systemd reports enabled (checked against ${RENDERED}): \`systemctl disable foo.service\` on the node.`,
    );
    expect(explainReason(APPEND_NOT_SUPPORTED_REASON).summary).toMatch(/^The node's config has a file with append/);
  });
});
