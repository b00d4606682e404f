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
 * Standard base64 with padding, as Go's base64.StdEncoding decodes it: CR and LF are skipped, anything else
 * outside the alphabet (and a wrong length or misplaced `=`) is an error naming the offset.
 */
export function decodeBase64(text: string): Uint8Array {
  // Well-formed input (the usual case) goes through the platform's atob; anything else through the checking
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

function decodeBase64Checked(text: string): Uint8Array {
  // Count significant characters first so the output is allocated once.
  let significant = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 10 && c !== 13) significant++;
  }
  if (significant % 4 !== 0) {
    throw new McoError(`illegal base64 data: length ${significant} is not a multiple of 4`);
  }
  const out = new Uint8Array((significant / 4) * 3);
  let outLen = 0;
  let acc = 0;
  let n = 0; // characters in the current quantum
  let pad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) continue;
    if (c === 61 /* = */) {
      // Padding only in the last two positions of the final quantum.
      if (n < 2) throw new McoError(`illegal base64 data at input byte ${i}`);
      pad++;
      n++;
      acc <<= 6;
    } else {
      const v = c < 128 ? B64_LOOKUP[c] : -1;
      if (v < 0 || pad > 0) throw new McoError(`illegal base64 data at input byte ${i}`);
      acc = (acc << 6) | v;
      n++;
    }
    if (n === 4) {
      out[outLen++] = (acc >> 16) & 0xff;
      if (pad < 2) out[outLen++] = (acc >> 8) & 0xff;
      if (pad < 1) out[outLen++] = acc & 0xff;
      acc = 0;
      n = 0;
      if (pad > 0) {
        // Nothing may follow a padded quantum.
        for (let j = i + 1; j < text.length; j++) {
          const d = text.charCodeAt(j);
          if (d !== 10 && d !== 13) throw new McoError(`illegal base64 data at input byte ${j}`);
        }
        break;
      }
    }
  }
  return outLen === out.length ? out : out.subarray(0, outLen);
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

const encoder = new TextEncoder();

/** Percent-decoding of the data part (`%XX` → byte; other characters are their UTF-8 bytes; `+` stays `+`). */
export function percentDecode(text: string): Uint8Array {
  if (text.indexOf('%') < 0) return encoder.encode(text);
  // UTF-16 units encode to at most 3 UTF-8 bytes each; escapes shrink.
  const out = new Uint8Array(text.length * 3);
  let outLen = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 37 /* % */) {
      const hi = i + 1 < n ? hexValue(text.charCodeAt(i + 1)) : -1;
      const lo = i + 2 < n ? hexValue(text.charCodeAt(i + 2)) : -1;
      if (hi < 0 || lo < 0) {
        throw new McoError(`invalid URL escape ${JSON.stringify(text.slice(i, i + 3))} at offset ${i}`);
      }
      out[outLen++] = (hi << 4) | lo;
      i += 3;
    } else if (c < 0x80) {
      out[outLen++] = c;
      i++;
    } else {
      // A run of non-ASCII characters goes through the UTF-8 encoder (surrogate pairs stay together).
      let j = i + 1;
      while (j < n && text.charCodeAt(j) >= 0x80) j++;
      outLen += encoder.encodeInto(text.slice(i, j), out.subarray(outLen)).written;
      i = j;
    }
  }
  return out.slice(0, outLen);
}

export interface DataUrl {
  /** e.g. `text/plain`; empty when the URL gives none. */
  mediaType: string;
  params: Record<string, string>;
  base64: boolean;
  data: Uint8Array;
}

/**
 * Parses `data:[<mediatype>][;attr=value]*[;base64],<data>`. Errors (wrong scheme, no comma, bad escapes, bad
 * base64) are McoErrors with a message that says what is wrong.
 */
export function parseDataUrl(url: string): DataUrl {
  if (typeof url !== 'string') throw new McoError('data URL: expected a string');
  if (url.slice(0, 5).toLowerCase() !== 'data:') {
    const shown = url.length > 40 ? `${url.slice(0, 40)}…` : url;
    throw new McoError(`not a data URL (expected "data:" prefix): ${JSON.stringify(shown)}`);
  }
  const comma = url.indexOf(',', 5);
  if (comma < 0) throw new McoError('malformed data URL: missing "," before the data');
  const header = url.slice(5, comma);
  const parts = header.split(';');
  const mediaType = parts[0].trim().toLowerCase();
  if (mediaType !== '' && !/^[!#$%&'*+.^_`|~0-9a-z-]+\/[!#$%&'*+.^_`|~0-9a-z-]+$/.test(mediaType)) {
    throw new McoError(`malformed data URL: invalid media type ${JSON.stringify(parts[0])}`);
  }
  const params: Record<string, string> = {};
  let base64 = false;
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i].trim();
    if (i === parts.length - 1 && p.toLowerCase() === 'base64') {
      base64 = true;
      continue;
    }
    const eq = p.indexOf('=');
    if (eq <= 0) throw new McoError(`malformed data URL: invalid parameter ${JSON.stringify(p)}`);
    params[p.slice(0, eq).toLowerCase()] = p.slice(eq + 1);
  }
  const body = url.slice(comma + 1);
  let data: Uint8Array;
  if (base64) {
    // Percent escapes are legal inside a base64 body too; real configs never use them, so decode only if present.
    const b64 = body.indexOf('%') >= 0 ? new TextDecoder().decode(percentDecode(body)) : body;
    data = decodeBase64(b64);
  } else {
    data = percentDecode(body);
  }
  return { mediaType, params, base64, data };
}
