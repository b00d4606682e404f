// The machine-config-daemon's reason strings both ways: the functions that write them byte for byte (used by
// lib/mco/drift and the simulator's daemon) and explainReason, which reads any of them back into what it means for
// a person (used by the console's views). Sources: MCO pkg/daemon/on_disk_validation.go (validateOnDiskState and
// the file, unit and masked-unit checks), pkg/daemon/daemon.go (validateOnDiskStateOrImage, the preflight and
// first-run wrappers), pkg/daemon/update.go and pkg/controller/common/reconcile.go (the unreconcilable wrappers),
// pkg/daemon/drain.go.
import { goQuote, goUnquote, GoUnquoteError } from './goquote';
import { goModeTriple } from './mode';
import type { ReasonExplained } from './types';

const q = goQuote;

// ---------------------------------------------------------------------------------------------------------------
// Writing: leaf errors of on_disk_validation.go

/** checkFileContentsAndMode: the path is absent (`err` is lstat's, e.g. `lstat /etc/foo: no such file or directory`). */
export const couldNotStatReason = (path: string, err: string) => `could not stat file ${q(path)}: ${err}`;

/** checkFileContentsAndMode: `%v/%d/%#o` of the Go FileModes expected (from Ignition) and found (from lstat). */
export const modeMismatchReason = (path: string, expectedGoMode: number, actualGoMode: number) =>
  `mode mismatch for file: ${q(path)}; expected: ${goModeTriple(expectedGoMode)}; received: ${goModeTriple(actualGoMode)}`;

export const couldNotReadReason = (path: string, err: string) => `could not read file ${q(path)}: ${err}`;

export const contentMismatchReason = (path: string) => `content mismatch for file ${q(path)}`;

/** checkV3Files: the config's data URL or gzip cannot be decoded. */
export const couldNotDecodeReason = (path: string, err?: string) =>
  err === undefined ? `couldn't decode file ${q(path)}` : `couldn't decode file ${q(path)}: ${err}`;

export const APPEND_NOT_SUPPORTED_REASON = 'found an append section when checking files. Append is not supported';

/** checkV3Units, masked unit: filepath.EvalSymlinks failed (`err` e.g. `lstat /etc/x: no such file or directory`). */
export const symlinkEvalReason = (path: string, err: string) =>
  `state validation: error while evaluation symlink for path ${q(path)}: ${err}`;

/** checkV3Units, masked unit: the path does not lead to /dev/null. */
export const maskedUnitReason = (path: string, expected: string, received: string) =>
  `state validation: invalid unit masked setting. path: ${q(path)}; expected: ${expected}; received: ${received}`;

/** The unit enablement check (release-4.18 and later): what `systemctl is-enabled` said. */
export const unitEnablementReason = (unit: string, enabled: boolean, systemd: string) =>
  `unit ${q(unit)} expected enabled=${enabled}, but systemd reports ${q(systemd)}`;

export const ignitionParseReason = (err: string) => `failed to parse Ignition for validation: ${err}`;

// Checks that only the boot and preflight validation make (daemon.go validateOnDiskStateImpl).
export const osImageReason = (expected: string, booted: string) =>
  `expected target osImageURL ${q(expected)}, have ${q(booted)}`;
/** `missing` as Go's %v of a []string: `[a b]`. */
export const missingKernelArgsReason = (missing: readonly string[]) =>
  `missing expected kernel arguments: [${missing.join(' ')}]`;

// ---------------------------------------------------------------------------------------------------------------
// Writing: wrappers

/** daemon.go validateOnDiskStateOrImage: boot, daemon restart and preflight validation wrap the leaf. */
export const validationReason = (config: string, leaf: string) =>
  `unexpected on-disk state validating against ${config}: ${leaf}`;

/** daemon.go: an earlier ostree finalize failure is appended to the error. */
export const withRootCause = (reason: string, finalizationFailure: string) =>
  `${reason}; possible root cause: ${finalizationFailure}`;

/** update.go update(): the error that makes a node Unreconcilable. */
export const unreconcilableReason = (from: string, to: string, err: string) =>
  `can't reconcile config ${from} with ${to}: ${err}`;

/** update.go reconcilable(): the wrapper around the refusal (`err`, from 4.16 a componentNotReconcilableReason). */
export const notReconcilableReason = (from: string, to: string, err: string) =>
  `configs ${from}, ${to} are not reconcilable: ${err}`;

/** pkg/controller/common/reconcile.go isReconcilable (4.16+): names the old config first, as upstream does. */
export const componentNotReconcilableReason = (from: string, to: string, reason: string) =>
  `new machineconfig ${q(from)} is not reconcilable against ${q(to)}: ${reason}`;

/** drain.go: the daemon gave up waiting for the drain controller (`after` e.g. `1 hour`, `10 minutes`). */
export const drainFailedReason = (op: 'drain' | 'uncordon', node: string, after: string) =>
  `failed to ${op} node: ${node} after ${after}. Please see machine-config-controller logs for more information`;

// ---------------------------------------------------------------------------------------------------------------
// Reading

const PREFIX = /^unexpected on-disk state validating against (\S+?): /;
/** A Go %q string, captured with its quotes. */
const QUOTED = '("(?:[^"\\\\]|\\\\.)*")';

/** The text of a Go %q string; as written when it is not one (a reason cut off at 2000 characters). */
function unquote(quoted: string): string {
  try {
    return goUnquote(quoted);
  } catch (e) {
    if (e instanceof GoUnquoteError) return quoted.slice(1, -1);
    throw e;
  }
}

type Explanation = Partial<ReasonExplained> & Pick<ReasonExplained, 'kind' | 'summary'>;

function explained(partial: Explanation): ReasonExplained {
  return { path: null, validatingAgainst: null, expectedMode: null, actualMode: null, ...partial };
}

const NO_SUCH_FILE = /no such file or directory/i;

/**
 * The leaf errors that name a file: the pattern after the quoted path, and what a match means. `path` is the
 * unquoted path, `m` the groups after it, `against` the ` (checked against <config>)` suffix or ''.
 */
interface FileReason {
  head: string;
  tail: string;
  explain: (path: string, m: string[], against: string) => Explanation;
}

const FILE_REASONS = (
  [
    {
      head: 'content mismatch for file ',
      tail: '',
      explain: (path, _m, against) => ({
        kind: 'content',
        summary: `The contents of ${path} differ from what the node's config says${against}.`,
      }),
    },
    {
      head: 'mode mismatch for file: ',
      tail: '; expected: (\\S+)/(\\d+)/(0?[0-7]+); received: (\\S+)/(\\d+)/(0?[0-7]+)',
      explain: (path, m, against) => ({
        kind: 'mode',
        expectedMode: m[2],
        actualMode: m[5],
        summary: `The permissions of ${path} are ${m[3]} (${m[5]}) but the config says ${m[0]} (${m[2]})${against}.`,
      }),
    },
    {
      head: 'could not stat file ',
      tail: ': (.*)$',
      explain: (path, m, against) =>
        NO_SUCH_FILE.test(m[0])
          ? { kind: 'missing', summary: `${path} is missing on the node${against}.` }
          : { kind: 'unreadable', summary: `${path} could not be examined on the node: ${m[0]}.` },
    },
    {
      head: 'could not read file ',
      tail: ': (.*)$',
      explain: (path, m) => ({ kind: 'unreadable', summary: `${path} could not be read on the node: ${m[0]}.` }),
    },
    {
      head: "couldn't decode file ",
      tail: ': (.*)$',
      explain: (path, m) => ({
        kind: 'decode',
        summary: `The config's contents for ${path} cannot be decoded: ${m[0]}.`,
      }),
    },
    {
      head: 'state validation: invalid unit masked setting\\. path: ',
      tail: '; expected: (\\S+); received: (.*)$',
      explain: (path, m) => ({
        kind: 'content',
        summary: `${path} should be masked (a link to ${m[0]}) but is ${m[1]}.`,
      }),
    },
    {
      head: 'state validation: error while evaluation symlink for path ',
      tail: ': (.*)$',
      explain: (path, m, against) =>
        NO_SUCH_FILE.test(m[0])
          ? {
              kind: 'missing',
              summary: `${path} should be masked (a link to /dev/null) but is missing on the node, or leads nowhere: ${m[0]}${against}.`,
            }
          : { kind: 'unreadable', summary: `${path} (a masked unit) could not be examined on the node: ${m[0]}.` },
    },
  ] satisfies FileReason[]
).map((r: FileReason) => ({ ...r, re: new RegExp(`^${r.head}${QUOTED}${r.tail}`, 's') }));

/** A daemon reason (the node's `reason` annotation) read back into its kind, path, modes and one sentence. */
export function explainReason(reason: string | null | undefined): ReasonExplained {
  const text = (reason ?? '').trim();
  if (!text) return explained({ kind: 'none', summary: 'The daemon reports no problem.' });
  let rest = text;
  let validatingAgainst: string | null = null;
  const pre = PREFIX.exec(rest);
  if (pre) {
    validatingAgainst = pre[1];
    rest = rest.slice(pre[0].length);
  }
  rest = rest.replace(/; possible root cause: [\s\S]*$/, '');
  const against = validatingAgainst ? ` (checked against ${validatingAgainst})` : '';

  for (const r of FILE_REASONS) {
    const m = r.re.exec(rest);
    if (!m) continue;
    const path = unquote(m[1]);
    return explained({ path, validatingAgainst, ...r.explain(path, m.slice(2), against) });
  }
  let m: RegExpExecArray | null;
  // checkUnitEnabled (release-4.18+): the unit file matches but its enablement does not. Restoring a file does
  // not fix it, so no path is named.
  if ((m = new RegExp(`^unit ${QUOTED} expected enabled=(true|false), but systemd reports ${QUOTED}$`).exec(rest))) {
    const unit = unquote(m[1]);
    const state = unquote(m[3]);
    const verb = m[2] === 'true' ? 'enable' : 'disable';
    return explained({
      kind: 'other',
      validatingAgainst,
      summary: `${unit} should be ${verb}d but systemd reports ${state}${against}: \`systemctl ${verb} ${unit}\` on the node.`,
    });
  }
  if (rest === APPEND_NOT_SUPPORTED_REASON) {
    return explained({
      kind: 'other',
      validatingAgainst,
      summary: `The node's config has a file with append, which the daemon can neither validate nor write: remove the append from the MachineConfig${against}.`,
    });
  }
  if ((m = /^failed to (drain|uncordon) node: (\S+) after ([^.]+)\./.exec(rest))) {
    return explained({
      kind: 'drain',
      validatingAgainst,
      summary: `The node could not be ${m[1] === 'drain' ? 'drained' : 'uncordoned'} within ${m[3]}: check the pods that block eviction.`,
    });
  }
  if ((m = /^can't reconcile config (\S+) with (\S+): (.*)$/s.exec(rest))) {
    return explained({
      kind: 'unreconcilable',
      validatingAgainst,
      summary: `The change from ${m[1]} to ${m[2]} cannot be applied in place: ${m[3]}.`,
    });
  }
  return explained({
    kind: 'other',
    validatingAgainst,
    summary: text.length > 300 ? `${text.slice(0, 297)}...` : text,
  });
}
