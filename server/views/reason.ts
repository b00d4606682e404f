// Parse the machine-config-daemon's reason strings (REFERENCE 2.1/2.2) into what they mean for a person.
// Pure: no I/O, so it can be tested on the exact strings the daemon writes.
import type { ReasonExplained } from '../../lib/api/types';

const PREFIX = /^unexpected on-disk state validating against (\S+?): /;

/** Undo Go's %q quoting of a path (\" and \\ escapes). */
function unquote(s: string): string {
  return s.replace(/\\(["\\])/g, '$1');
}

const QUOTED = '"((?:[^"\\\\]|\\\\.)*)"';

function explained(partial: Partial<ReasonExplained> & Pick<ReasonExplained, 'kind' | 'summary'>): ReasonExplained {
  return { path: null, validatingAgainst: null, expectedMode: null, actualMode: null, ...partial };
}

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
  // `; possible root cause: ...` is appended after an earlier ostree finalize failure.
  rest = rest.replace(/; possible root cause: [\s\S]*$/, '');
  const against = validatingAgainst ? ` (checked against ${validatingAgainst})` : '';
  let m: RegExpExecArray | null;

  if ((m = new RegExp(`^content mismatch for file ${QUOTED}`).exec(rest))) {
    const path = unquote(m[1]);
    return explained({ kind: 'content', path, validatingAgainst, summary: `The contents of ${path} differ from what the node's config says${against}.` });
  }
  if ((m = new RegExp(`^mode mismatch for file: ${QUOTED}; expected: (\\S+)/(\\d+)/(0?[0-7]+); received: (\\S+)/(\\d+)/(0?[0-7]+)`).exec(rest))) {
    const path = unquote(m[1]);
    return explained({
      kind: 'mode',
      path,
      validatingAgainst,
      expectedMode: m[4],
      actualMode: m[7],
      summary: `The permissions of ${path} are ${m[5]} (${m[7]}) but the config says ${m[2]} (${m[4]})${against}.`,
    });
  }
  if ((m = new RegExp(`^could not stat file ${QUOTED}: (.*)$`).exec(rest))) {
    const path = unquote(m[1]);
    const missing = /no such file or directory/i.test(m[2]);
    return explained({
      kind: missing ? 'missing' : 'unreadable',
      path,
      validatingAgainst,
      summary: missing ? `${path} is missing on the node${against}.` : `${path} could not be examined on the node: ${m[2]}.`,
    });
  }
  if ((m = new RegExp(`^could not read file ${QUOTED}: (.*)$`).exec(rest))) {
    const path = unquote(m[1]);
    return explained({ kind: 'unreadable', path, validatingAgainst, summary: `${path} could not be read on the node: ${m[2]}.` });
  }
  if ((m = new RegExp(`^couldn't decode file ${QUOTED}: (.*)$`).exec(rest))) {
    const path = unquote(m[1]);
    return explained({ kind: 'decode', path, validatingAgainst, summary: `The config's contents for ${path} cannot be decoded: ${m[2]}.` });
  }
  if ((m = new RegExp(`^state validation: invalid unit masked setting\\. path: ${QUOTED}; expected: (\\S+); received: (.*)$`).exec(rest))) {
    const path = unquote(m[1]);
    return explained({ kind: 'content', path, validatingAgainst, summary: `${path} should be masked (a link to ${m[2]}) but is ${m[3]}.` });
  }
  if ((m = /^failed to (drain|uncordon) node: (\S+) after ([^.]+)\./.exec(rest))) {
    return explained({ kind: 'drain', validatingAgainst, summary: `The node could not be ${m[1] === 'drain' ? 'drained' : 'uncordoned'} within ${m[3]}: check the pods that block eviction.` });
  }
  if ((m = /^can't reconcile config (\S+) with (\S+): (.*)$/s.exec(rest))) {
    return explained({ kind: 'unreconcilable', validatingAgainst, summary: `The change from ${m[1]} to ${m[2]} cannot be applied in place: ${m[3]}.` });
  }
  return explained({ kind: 'other', validatingAgainst, summary: text.length > 300 ? `${text.slice(0, 297)}...` : text });
}
