// gunzip with the checks and messages of Go's compress/gzip (which the MCO uses to compare gzip file contents):
// every member of a concatenated stream, CRC-32 and length verified. fflate does the inflating.
import { Gunzip } from 'fflate';
import { McoError } from './types';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(chunks: Uint8Array[]): number {
  let c = 0xffffffff;
  for (const b of chunks) for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const u32le = (b: Uint8Array, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;

/** Go's gzip.NewReader header check on the first member: `EOF`, `unexpected EOF` or `gzip: invalid header`. */
function headerError(data: Uint8Array): string | null {
  if (data.length === 0) return 'EOF';
  if (data.length < 10) return 'unexpected EOF';
  if (data[0] !== 0x1f || data[1] !== 0x8b || data[2] !== 8) return 'gzip: invalid header';
  return null;
}

/**
 * The decompressed bytes of gzip data, or McoError with the MCO's wording: `could not create gzip reader: <header
 * error>` or `failed decompressing: <error>` (`gzip: invalid checksum` for a CRC or length mismatch).
 */
export function gunzip(data: Uint8Array): Uint8Array {
  const bad = headerError(data);
  if (bad) throw new McoError(`could not create gzip reader: ${bad}`);
  // Output chunks per member, and where each later member starts.
  const members: Uint8Array[][] = [[]];
  const starts: number[] = [0];
  const stream = new Gunzip((chunk) => {
    if (chunk.length > 0) members[members.length - 1].push(chunk);
  });
  stream.onmember = (offset) => {
    members.push([]);
    starts.push(offset);
  };
  try {
    stream.push(data, true);
  } catch (e) {
    const msg = (e as Error).message;
    throw new McoError(`failed decompressing: ${msg === 'invalid gzip data' ? 'gzip: invalid header' : msg}`);
  }
  let total = 0;
  for (let m = 0; m < members.length; m++) {
    const end = m + 1 < starts.length ? starts[m + 1] : data.length;
    const size = members[m].reduce((n, c) => n + c.length, 0);
    if (end - 8 < starts[m] + 10) throw new McoError('failed decompressing: unexpected EOF');
    if (u32le(data, end - 8) !== crc32(members[m]) || u32le(data, end - 4) !== size >>> 0) {
      throw new McoError('failed decompressing: gzip: invalid checksum');
    }
    total += size;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunks of members)
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
  return out;
}
