// Go's %q (strconv.Quote) and its inverse (strconv.Unquote), byte for byte, for the strings MCO messages quote:
// paths, node reasons, compression names. Go strings are bytes, so both directions work on UTF-8 bytes; a JS string
// is taken as its UTF-8 encoding (a lone surrogate as U+FFFD, which is what Go receives through JSON).
import { GO_PRINT_RUNS } from './goprint';

// Range starts of alternating non-printable / printable runs (index even = non-printable), decoded once.
let printStarts: Uint32Array | null = null;
function starts(): Uint32Array {
  if (!printStarts) {
    const runs = GO_PRINT_RUNS.split(',').map((n) => parseInt(n, 36));
    printStarts = new Uint32Array(runs.length);
    let at = 0;
    runs.forEach((n, i) => {
      printStarts![i] = at;
      at += n;
    });
  }
  return printStarts;
}

/** Go's strconv.IsPrint: letters, marks, numbers, punctuation, symbols (Unicode 15.0) and the ASCII space. */
export function isGoPrint(cp: number): boolean {
  if (cp < 0x7f) return cp >= 0x20;
  const s = starts();
  let lo = 0;
  let hi = s.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (s[mid] <= cp) lo = mid;
    else hi = mid - 1;
  }
  return lo % 2 === 1;
}

const SHORT_ESCAPES: Record<number, string> = {
  7: '\\a',
  8: '\\b',
  12: '\\f',
  10: '\\n',
  13: '\\r',
  9: '\\t',
  11: '\\v',
};
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** One rune as strconv.Quote writes it between its double quotes. */
function quoteRune(cp: number): string {
  if (cp === 0x22) return '\\"';
  if (cp === 0x5c) return '\\\\';
  if (isGoPrint(cp)) return String.fromCodePoint(cp);
  const short = SHORT_ESCAPES[cp];
  if (short) return short;
  if (cp < 0x20 || cp === 0x7f) return `\\x${hex(cp, 2)}`;
  return cp < 0x10000 ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`;
}

/**
 * The rune at `bytes[i]` and its length in bytes, decoded as Go's utf8.DecodeRune does: anything that is not the
 * shortest encoding of a valid code point (stray continuation byte, truncated sequence, overlong form, surrogate,
 * beyond U+10FFFF) is one invalid byte, returned as rune -1.
 */
function decodeRune(bytes: Uint8Array, i: number): [rune: number, width: number] {
  const b0 = bytes[i];
  if (b0 < 0x80) return [b0, 1];
  const cont = (j: number, lo = 0x80, hi = 0xbf) => i + j < bytes.length && bytes[i + j] >= lo && bytes[i + j] <= hi;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    if (cont(1)) return [((b0 & 0x1f) << 6) | (bytes[i + 1] & 0x3f), 2];
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    const [lo, hi] = b0 === 0xe0 ? [0xa0, 0xbf] : b0 === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    if (cont(1, lo, hi) && cont(2))
      return [((b0 & 0x0f) << 12) | ((bytes[i + 1] & 0x3f) << 6) | (bytes[i + 2] & 0x3f), 3];
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    const [lo, hi] = b0 === 0xf0 ? [0x90, 0xbf] : b0 === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    if (cont(1, lo, hi) && cont(2) && cont(3)) {
      const cp =
        ((b0 & 0x07) << 18) | ((bytes[i + 1] & 0x3f) << 12) | ((bytes[i + 2] & 0x3f) << 6) | (bytes[i + 3] & 0x3f);
      return [cp, 4];
    }
  }
  return [-1, 1];
}

/**
 * Go's `%q` / strconv.Quote of a string or of raw bytes: `"` and `\` escaped, printable runes (strconv.IsPrint)
 * kept, `\a \b \f \n \r \t \v`, `\xNN` for other ASCII controls and for each byte that is not valid UTF-8,
 * `\uNNNN` / `\UNNNNNNNN` for other non-printable runes (U+00A0, U+200B, U+2028, U+FEFF...).
 */
export function goQuote(s: string | Uint8Array): string {
  let out = '"';
  if (typeof s === 'string') {
    for (const ch of s) {
      const cp = ch.codePointAt(0)!;
      out += quoteRune(cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp);
    }
  } else {
    for (let i = 0; i < s.length;) {
      const [rune, width] = decodeRune(s, i);
      out += rune < 0 ? `\\x${hex(s[i], 2)}` : quoteRune(rune);
      i += width;
    }
  }
  return out + '"';
}

/** A string strconv.Unquote refuses. */
export class GoUnquoteError extends Error {}

const UNESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 0x5c, '"': 0x22 };

function utf8Of(cp: number): number[] {
  if (cp < 0x80) return [cp];
  if (cp < 0x800) return [0xc0 | (cp >> 6), 0x80 | (cp & 0x3f)];
  if (cp < 0x10000) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
}

/**
 * The bytes a Go double-quoted string literal stands for (strconv.Unquote): every escape goQuote writes, plus
 * `\NNN` octal bytes. Throws GoUnquoteError on what Go rejects (no quotes, a bare `"` or newline inside, an unknown
 * escape, a surrogate or out-of-range `\u`/`\U`).
 */
export function goUnquoteBytes(quoted: string): Uint8Array {
  if (quoted.length < 2 || quoted[0] !== '"' || quoted[quoted.length - 1] !== '"') {
    throw new GoUnquoteError(`not a double-quoted Go string: ${quoted.slice(0, 40)}`);
  }
  const body = quoted.slice(1, -1);
  const out: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < body.length;) {
    const c = body[i];
    if (c === '"' || c === '\n') throw new GoUnquoteError(`unescaped ${JSON.stringify(c)} in a Go string`);
    if (c !== '\\') {
      const cp = body.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      out.push(...enc.encode(ch));
      i += ch.length;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) throw new GoUnquoteError('a Go string ends in a lone backslash');
    if (e in UNESCAPES) {
      out.push(UNESCAPES[e]);
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const digits = body.slice(i + 2, i + 2 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(digits)) throw new GoUnquoteError(`bad \\${e} escape in a Go string`);
      const v = parseInt(digits, 16);
      if (e === 'x') out.push(v);
      else if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new GoUnquoteError(`invalid rune \\${e}${digits}`);
      else out.push(...utf8Of(v));
      i += 2 + n;
    } else if (e >= '0' && e <= '7') {
      const digits = body.slice(i + 1, i + 4);
      const v = /^[0-7]{3}$/.test(digits) ? parseInt(digits, 8) : 256;
      if (v > 255) throw new GoUnquoteError(`bad octal escape in a Go string`);
      out.push(v);
      i += 4;
    } else {
      throw new GoUnquoteError(`unknown escape \\${e} in a Go string`);
    }
  }
  return Uint8Array.from(out);
}

/** goUnquoteBytes as text; bytes that are not valid UTF-8 become U+FFFD. */
export function goUnquote(quoted: string): string {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(goUnquoteBytes(quoted));
}
