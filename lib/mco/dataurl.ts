// RFC 2397 data URLs and base64, decoded to bytes without Node APIs (the browser runs this too).
// Loops over char codes into preallocated arrays, so multi-megabyte sources never hit argument-count or stack limits.
import { McoError } from './types';

const B64_LOOKUP = (() => {
  const table = new Int16Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
})();

/**
 * Standard base64 with padding, with the results of Go's base64.StdEncoding.DecodeString: CR and LF are skipped,
 * anything else outside the alphabet, missing or misplaced `=`, or trailing garbage is
 * `illegal base64 data at input byte N` with Go's offset.
 */
export function decodeBase64(text: string): Uint8Array {
  // Well-formed input (the usual case) goes through the platform's atob; anything else through the port of Go's
  // decoder below, which says where it is wrong.
  const clean = text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0 ? text.replace(/[\r\n]/g, '') : text;
  if (clean.length % 4 === 0 && WELL_FORMED_B64.test(clean) && typeof atob === 'function') {
    const bin = atob(clean);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  return decodeBase64Checked(text);
}

const WELL_FORMED_B64 = /^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const corrupt = (offset: number) => new McoError(`illegal base64 data at input byte ${offset}`);
const isNewline = (c: number) => c === 10 || c === 13;

/** Quantum by quantum, as Go's decodeQuantum does, so errors carry Go's offsets. */
function decodeBase64Checked(src: string): Uint8Array {
  const out = new Uint8Array(Math.ceil(src.length / 4) * 3);
  let outLen = 0;
  let si = 0;
  const n = src.length;
  for (;;) {
    const buf = [0, 0, 0, 0];
    let dlen = 4;
    let done = false;
    let j = 0;
    for (; j < 4; j++) {
      if (si === n) {
        if (j === 0) return out.slice(0, outLen);
        throw corrupt(si - j);
      }
      const c = src.charCodeAt(si++);
      const v = c < 128 ? B64_LOOKUP[c] : -1;
      if (v >= 0) {
        buf[j] = v;
        continue;
      }
      if (isNewline(c)) {
        j--;
        continue;
      }
      if (c !== 61 /* = */) throw corrupt(si - 1);
      // Padding: only after two or three symbols, "==" after two; nothing but newlines may follow.
      if (j < 2) throw corrupt(si - 1);
      if (j === 2) {
        while (si < n && isNewline(src.charCodeAt(si))) si++;
        if (si === n) throw corrupt(n);
        if (src.charCodeAt(si) !== 61) throw corrupt(si - 1);
        si++;
      }
      while (si < n && isNewline(src.charCodeAt(si))) si++;
      if (si < n) throw corrupt(si);
      dlen = j;
      done = true;
      break;
    }
    const val = (buf[0] << 18) | (buf[1] << 12) | (buf[2] << 6) | buf[3];
    out[outLen++] = (val >> 16) & 0xff;
    if (dlen > 2) out[outLen++] = (val >> 8) & 0xff;
    if (dlen > 3) out[outLen++] = val & 0xff;
    if (done) return out.slice(0, outLen);
  }
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/**
 * RFC 2396 unescaping as vincent-petithory/dataurl does it (the MCO's decoder): `%XX` → byte, every other ASCII
 * character is itself, `+` stays `+`. Non-ASCII characters and broken escapes are errors with its messages.
 */
export function percentDecode(text: string): Uint8Array {
  const n = text.length;
  const out = new Uint8Array(n);
  let outLen = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) throw new McoError('rfc2396: non-ASCII char detected');
    if (c !== 37 /* % */) {
      out[outLen++] = c;
      i++;
      continue;
    }
    if (i + 1 >= n) throw new McoError('rfc2396: unexpected end of unescape sequence');
    const hi = hexValue(text.charCodeAt(i + 1));
    if (hi < 0) throw new McoError('rfc2396: invalid char 0x25 in unescape sequence');
    if (i + 2 >= n) throw new McoError('rfc2396: unexpected end of unescape sequence');
    const lo = hexValue(text.charCodeAt(i + 2));
    if (lo < 0) throw new McoError('rfc2396: invalid char 0x25 in unescape sequence');
    out[outLen++] = (hi << 4) | lo;
    i += 3;
  }
  return outLen === n ? out : out.slice(0, outLen);
}

export interface DataUrl {
  /** e.g. `text/plain`; empty when the URL gives none. */
  mediaType: string;
  params: Record<string, string>;
  base64: boolean;
  data: Uint8Array;
}

// Character classes of the dataurl lexer (RFC 2045 tokens, RFC 2396 URL characters), as ASCII lookup tables.
function asciiTable(test: (c: string) => boolean): Uint8Array {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) t[c] = test(String.fromCharCode(c)) ? 1 : 0;
  return t;
}
const TOKEN = asciiTable((c) => c > ' ' && c < '\x7f' && !'()<>@,;:\\"/[]?='.includes(c));
const URL_CHAR = asciiTable((c) => c > '\x1f' && c < '\x7f' && !' <>#"{}|\\^[]`'.includes(c));
const B64_CHAR = asciiTable((c) => /[A-Za-z0-9+/=\n]/.test(c));
const isToken = (c: number) => c >= 0 && c < 128 && TOKEN[c] === 1;
const isUrlChar = (c: number) => c < 128 && URL_CHAR[c] === 1;
const isBase64Char = (c: number) => c < 128 && B64_CHAR[c] === 1;
const KNOWN_TYPES = ['text', 'image', 'audio', 'video', 'application', 'message', 'multipart'];

/**
 * Parses `data:[<type>/<subtype>][;attr=value]*[;base64],<data>` with the grammar and messages of
 * vincent-petithory/dataurl, which the MCO's DecodeIgnitionFileContents uses: `data:` is case-sensitive, the type
 * must be text/image/audio/video/application/message/multipart or an `x-` token, `base64` must come last, the data
 * may hold only URL characters (percent-encoded) or base64 characters and newlines. Errors are McoErrors.
 */
export function parseDataUrl(url: string): DataUrl {
  if (typeof url !== 'string') throw new McoError('data URL: expected a string');
  const fail = (m: string): never => {
    throw new McoError(m);
  };
  if (!url.startsWith('data:')) fail('missing data prefix');
  const n = url.length;
  const EOF = -1;
  const at = (i: number) => (i < n ? url.charCodeAt(i) : EOF);
  const SEMI = 59;
  const COMMA = 44;
  const SLASH = 47;
  let pos = 5;
  let mediaType = '';
  const params: Record<string, string> = {};
  let base64 = false;

  /**
   * Advance over token characters up to one of `stops` and return the stop; fail with `eof` at the end of the
   * URL and with `bad` on a character that is not a token character.
   */
  const scanToken = (stops: readonly number[], eof: string, bad: string): number => {
    for (;;) {
      const ch = at(pos);
      if (stops.includes(ch)) return ch;
      if (ch === EOF) fail(eof);
      if (!isToken(ch)) fail(bad);
      pos++;
    }
  };

  let c = at(pos);
  if (c !== SEMI && c !== COMMA) {
    if (c === EOF) fail('missing comma before data');
    const typeStart = pos;
    let xToken = false;
    if (c === 120 || c === 88 /* x X */) {
      pos++;
      // The lexer consumes the character after `x` whatever it is.
      if (at(pos) === 45 /* - */) xToken = true;
      if (at(pos) !== EOF) pos++;
    } else if (isToken(c)) {
      pos++;
    } else {
      fail('invalid character after data prefix');
    }
    c = scanToken([SLASH], 'missing media type slash', 'invalid character for media type');
    const type = url.slice(typeStart, pos);
    if (!xToken && !KNOWN_TYPES.some((k) => type.startsWith(k))) fail('invalid media type');
    pos++; // the slash
    const subStart = pos;
    c = scanToken([SEMI, COMMA], 'incomplete media type', 'invalid character for media subtype');
    mediaType = `${type}/${url.slice(subStart, pos)}`.toLowerCase();
  }

  // Parameters, each `;attr=value` (value a token or a quoted string); a final `;base64` switches the encoding.
  while (at(pos) === SEMI) {
    pos++;
    c = at(pos);
    if (c === EOF || c === 61 || c === COMMA) fail('unterminated parameter sequence');
    if (!isToken(c)) fail('invalid character for parameter attribute');
    const attrStart = pos;
    c = scanToken([61 /* = */, COMMA], 'unterminated parameter sequence', 'invalid character for parameter attribute');
    const attr = url.slice(attrStart, pos);
    if (c === COMMA) {
      if (attr !== 'base64') fail(`expected base64, got ${attr}`);
      base64 = true;
      break;
    }
    pos++; // '='
    c = at(pos);
    let value: string;
    if (c === 34 /* " */) {
      const valStart = ++pos;
      for (;;) {
        c = at(pos);
        if (c === EOF) fail('unclosed quoted string');
        if (c === 92 /* \ */) {
          pos += at(pos + 1) === EOF ? 1 : 2;
          continue;
        }
        if (c === 34) break;
        if (c >= 0x80) fail('invalid character for parameter value');
        pos++;
      }
      value = url.slice(valStart, pos).replace(/\\(.)/g, '$1');
      pos++; // closing quote
    } else {
      if (c === EOF) fail('missing comma before data');
      if (!isToken(c)) fail('invalid character for parameter value');
      const valStart = pos;
      c = scanToken([SEMI, COMMA], 'missing comma before data', 'invalid character for parameter value');
      value = new TextDecoder().decode(percentDecode(url.slice(valStart, pos)));
    }
    params[attr.toLowerCase()] = value;
    c = at(pos);
    if (c === EOF) fail('missing comma before data');
    if (c !== SEMI && c !== COMMA) fail('expected semicolon or comma');
  }
  if (at(pos) === EOF) fail('missing comma before data');
  if (at(pos) !== COMMA) fail('expected semicolon or comma');
  const body = url.slice(pos + 1);
  const allowed = base64 ? isBase64Char : isUrlChar;
  for (let i = 0; i < body.length; i++) {
    if (!allowed(body.charCodeAt(i))) fail('invalid data character');
  }
  const data = base64 ? decodeBase64(body) : percentDecode(body);
  return { mediaType, params, base64, data };
}
