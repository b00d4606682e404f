// SPDY/3.1 framing, the part that exec needs: frames in and out, and the zlib-compressed name/value header blocks
// with SPDY/3's dictionary. client-go's SPDY executor (kubectl < 1.30, oc 4.16 and older) speaks SPDY/3.1 through
// moby/spdystream (spdy/read.go, spdy/write.go); the wire format is the SPDY/3 draft at
// https://www.chromium.org/spdy/spdy-protocol/spdy-protocol-draft3-1/ (sections 2.2 to 2.6).
import { constants as zc, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';

export const SPDY_VERSION = 3;
export const FLAG_FIN = 0x01;
/** Largest payload one frame can carry (24-bit length). */
export const MAX_FRAME_PAYLOAD = 0xffffff;

export const CONTROL = {
  SYN_STREAM: 1,
  SYN_REPLY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PING: 6,
  GOAWAY: 7,
  HEADERS: 8,
  WINDOW_UPDATE: 9,
} as const;

/** RST_STREAM status codes (draft 3.1 section 2.4.2). */
export const RST = {
  PROTOCOL_ERROR: 1,
  INVALID_STREAM: 2,
  REFUSED_STREAM: 3,
  CANCEL: 5,
  INTERNAL_ERROR: 6,
  STREAM_IN_USE: 8,
  FRAME_TOO_LARGE: 11,
} as const;
/** GOAWAY status codes (draft 3.1 section 2.6.6). */
export const GOAWAY = { OK: 0, PROTOCOL_ERROR: 1, INTERNAL_ERROR: 2 } as const;

export type Frame =
  | { type: 'data'; streamId: number; flags: number; data: Buffer }
  | { type: 'syn_stream'; streamId: number; associatedId: number; priority: number; flags: number; headerBlock: Buffer }
  | { type: 'syn_reply'; streamId: number; flags: number; headerBlock: Buffer }
  | { type: 'rst_stream'; streamId: number; status: number }
  | { type: 'settings'; flags: number; entries: { flags: number; id: number; value: number }[] }
  | { type: 'ping'; id: number }
  | { type: 'goaway'; lastGoodStreamId: number; status: number }
  | { type: 'headers'; streamId: number; flags: number; headerBlock: Buffer }
  | { type: 'window_update'; streamId: number; delta: number }
  /** A control frame of a type this module does not know (CREDENTIAL, ...): the draft says to ignore it. */
  | { type: 'unknown'; controlType: number };

/** A connection error: the peer sent something that is not SPDY/3.1. The session answers with GOAWAY and closes. */
export class SpdyProtocolError extends Error {}

// The dictionary of the SPDY/3 draft (section 2.6.10.1): 4-byte-length-prefixed header names and common values, then
// a run of common status lines, dates and media types. Its zlib id (Adler-32) is 0xe3c6a7c2.
const DICTIONARY_WORDS = [
  'options',
  'head',
  'post',
  'put',
  'delete',
  'trace',
  'accept',
  'accept-charset',
  'accept-encoding',
  'accept-language',
  'accept-ranges',
  'age',
  'allow',
  'authorization',
  'cache-control',
  'connection',
  'content-base',
  'content-encoding',
  'content-language',
  'content-length',
  'content-location',
  'content-md5',
  'content-range',
  'content-type',
  'date',
  'etag',
  'expect',
  'expires',
  'from',
  'host',
  'if-match',
  'if-modified-since',
  'if-none-match',
  'if-range',
  'if-unmodified-since',
  'last-modified',
  'location',
  'max-forwards',
  'pragma',
  'proxy-authenticate',
  'proxy-authorization',
  'range',
  'referer',
  'retry-after',
  'server',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'vary',
  'via',
  'warning',
  'www-authenticate',
  'method',
  'get',
  'status',
  '200 OK',
  'version',
  'HTTP/1.1',
  'url',
  'public',
  'set-cookie',
  'keep-alive',
  'origin',
];
const DICTIONARY_TAIL =
  '100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505' +
  '203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized' +
  '403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable' +
  'Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT' +
  'chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,' +
  'text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.';

export const HEADER_DICTIONARY: Buffer = Buffer.concat([
  ...DICTIONARY_WORDS.flatMap((w) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(w.length);
    return [len, Buffer.from(w, 'latin1')];
  }),
  Buffer.from(DICTIONARY_TAIL, 'latin1'),
]);

function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  if (payload.length > MAX_FRAME_PAYLOAD) throw new RangeError('SPDY frame payload too large');
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE((((flags & 0xff) << 24) >>> 0) | payload.length, 4);
  return Buffer.concat([head, payload]);
}

function u32s(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
  return b;
}

export function encodeFrame(f: Frame): Buffer {
  switch (f.type) {
    case 'data': {
      if (f.data.length > MAX_FRAME_PAYLOAD) throw new RangeError('SPDY frame payload too large');
      const head = u32s(f.streamId & 0x7fffffff, (((f.flags & 0xff) << 24) >>> 0) | f.data.length);
      return Buffer.concat([head, f.data]);
    }
    case 'syn_stream': {
      const fixed = Buffer.alloc(10);
      fixed.writeUInt32BE(f.streamId & 0x7fffffff, 0);
      fixed.writeUInt32BE(f.associatedId & 0x7fffffff, 4);
      fixed[8] = (f.priority & 0x7) << 5;
      return controlFrame(CONTROL.SYN_STREAM, f.flags, Buffer.concat([fixed, f.headerBlock]));
    }
    case 'syn_reply':
      return controlFrame(CONTROL.SYN_REPLY, f.flags, Buffer.concat([u32s(f.streamId & 0x7fffffff), f.headerBlock]));
    case 'headers':
      return controlFrame(CONTROL.HEADERS, f.flags, Buffer.concat([u32s(f.streamId & 0x7fffffff), f.headerBlock]));
    case 'rst_stream':
      return controlFrame(CONTROL.RST_STREAM, 0, u32s(f.streamId & 0x7fffffff, f.status));
    case 'settings':
      return controlFrame(
        CONTROL.SETTINGS,
        f.flags,
        Buffer.concat([
          u32s(f.entries.length),
          ...f.entries.map((e) => u32s((((e.flags & 0xff) << 24) >>> 0) | (e.id & 0xffffff), e.value)),
        ]),
      );
    case 'ping':
      return controlFrame(CONTROL.PING, 0, u32s(f.id));
    case 'goaway':
      return controlFrame(CONTROL.GOAWAY, 0, u32s(f.lastGoodStreamId & 0x7fffffff, f.status));
    case 'window_update':
      return controlFrame(CONTROL.WINDOW_UPDATE, 0, u32s(f.streamId & 0x7fffffff, f.delta & 0x7fffffff));
    case 'unknown':
      throw new TypeError('cannot encode an unknown control frame');
  }
}

/** Decodes one frame whose 8-byte header has been read: `payload` is exactly the frame's length. */
function decodeControl(type: number, flags: number, p: Buffer): Frame {
  const need = (n: number, exact = true) => {
    if (exact ? p.length !== n : p.length < n)
      throw new SpdyProtocolError(`control frame of type ${type} has a bad length ${p.length}`);
  };
  const streamId = () => {
    const id = p.readUInt32BE(0) & 0x7fffffff;
    if (id === 0) throw new SpdyProtocolError(`control frame of type ${type} names stream 0`);
    return id;
  };
  switch (type) {
    case CONTROL.SYN_STREAM:
      need(10, false);
      return {
        type: 'syn_stream',
        streamId: streamId(),
        associatedId: p.readUInt32BE(4) & 0x7fffffff,
        priority: p[8] >> 5,
        flags,
        headerBlock: p.subarray(10),
      };
    case CONTROL.SYN_REPLY:
      need(4, false);
      return { type: 'syn_reply', streamId: streamId(), flags, headerBlock: p.subarray(4) };
    case CONTROL.HEADERS:
      need(4, false);
      return { type: 'headers', streamId: streamId(), flags, headerBlock: p.subarray(4) };
    case CONTROL.RST_STREAM: {
      need(8);
      const status = p.readUInt32BE(4);
      if (status === 0) throw new SpdyProtocolError('RST_STREAM with status 0');
      return { type: 'rst_stream', streamId: streamId(), status };
    }
    case CONTROL.SETTINGS: {
      need(4, false);
      const n = p.readUInt32BE(0);
      if (p.length !== 4 + n * 8)
        throw new SpdyProtocolError(`SETTINGS frame of ${p.length} bytes announces ${n} entries`);
      const entries = [];
      for (let i = 0; i < n; i++) {
        const idWord = p.readUInt32BE(4 + i * 8);
        entries.push({ flags: idWord >>> 24, id: idWord & 0xffffff, value: p.readUInt32BE(8 + i * 8) });
      }
      return { type: 'settings', flags, entries };
    }
    case CONTROL.PING:
      need(4);
      return { type: 'ping', id: p.readUInt32BE(0) };
    case CONTROL.GOAWAY:
      need(8);
      return { type: 'goaway', lastGoodStreamId: p.readUInt32BE(0) & 0x7fffffff, status: p.readUInt32BE(4) };
    case CONTROL.WINDOW_UPDATE:
      need(8);
      return { type: 'window_update', streamId: p.readUInt32BE(0) & 0x7fffffff, delta: p.readUInt32BE(4) & 0x7fffffff };
    default:
      return { type: 'unknown', controlType: type };
  }
}

/** Splits a byte stream into frames. Throws SpdyProtocolError on anything that is not SPDY/3. */
export class FrameReader {
  private buf: Buffer = Buffer.alloc(0);
  /** Frames longer than this are refused (a connection error) instead of being buffered. */
  constructor(private readonly maxPayload = MAX_FRAME_PAYLOAD) {}

  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const frames: Frame[] = [];
    while (this.buf.length >= 8) {
      const w0 = this.buf.readUInt32BE(0);
      const w1 = this.buf.readUInt32BE(4);
      const flags = w1 >>> 24;
      const length = w1 & 0xffffff;
      const control = (w0 & 0x80000000) !== 0;
      if (control && ((w0 >>> 16) & 0x7fff) !== SPDY_VERSION)
        throw new SpdyProtocolError(`unsupported SPDY version ${(w0 >>> 16) & 0x7fff}`);
      if (length > this.maxPayload)
        throw new SpdyProtocolError(`frame of ${length} bytes is larger than ${this.maxPayload}`);
      if (this.buf.length < 8 + length) break;
      const payload = Buffer.from(this.buf.subarray(8, 8 + length));
      this.buf = this.buf.subarray(8 + length);
      if (control) frames.push(decodeControl(w0 & 0xffff, flags, payload));
      else {
        const streamId = w0 & 0x7fffffff;
        if (streamId === 0) throw new SpdyProtocolError('data frame on stream 0');
        frames.push({ type: 'data', streamId, flags, data: payload });
      }
    }
    return frames;
  }
}

/** Header names (lowercase) to their values; several values of one name travel NUL-separated. */
export type HeaderMap = Record<string, string[]>;

/** The uncompressed name/value block (draft 3.1 section 2.6.10): count, then length-prefixed names and values. */
export function encodeHeaderBlock(headers: Record<string, string | string[]>): Buffer {
  const parts: Buffer[] = [u32s(Object.keys(headers).length)];
  for (const [name, value] of Object.entries(headers)) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from((Array.isArray(value) ? value : [value]).join('\0'), 'utf8');
    parts.push(u32s(n.length), n, u32s(v.length), v);
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(b: Buffer): HeaderMap {
  const fail = () => {
    throw new SpdyProtocolError('malformed header block');
  };
  if (b.length < 4) fail();
  const count = b.readUInt32BE(0);
  if (count > (b.length - 4) / 8) fail();
  const out: HeaderMap = {};
  let at = 4;
  const field = () => {
    if (at + 4 > b.length) fail();
    const len = b.readUInt32BE(at);
    if (at + 4 + len > b.length) fail();
    const s = b.toString('utf8', at + 4, at + 4 + len);
    at += 4 + len;
    return s;
  };
  for (let i = 0; i < count; i++) {
    const name = field().toLowerCase();
    const value = field();
    if (!name || out[name]) fail();
    out[name] = value.split('\0');
  }
  if (at !== b.length) fail();
  return out;
}

/**
 * One direction's zlib context. SPDY compresses every header block of a connection (one direction) with one
 * zlib stream, flushed (Z_SYNC_FLUSH) at the end of each block, so blocks must be processed in frame order: callers
 * serialise their calls.
 */
export class HeaderCompressor {
  private readonly z: Deflate = createDeflate({ dictionary: HEADER_DICTIONARY });
  private chunks: Buffer[] = [];
  private error: Error | null = null;
  constructor() {
    this.z.on('data', (c: Buffer) => this.chunks.push(c));
    this.z.on('error', (e) => (this.error ??= e));
  }
  compress(headers: Record<string, string | string[]>): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.error || this.z.destroyed) return reject(this.error ?? new Error('header compressor closed'));
      this.z.write(encodeHeaderBlock(headers));
      this.z.flush(zc.Z_SYNC_FLUSH, () => {
        const out = Buffer.concat(this.chunks);
        this.chunks = [];
        if (this.error || !out.length) reject(this.error ?? new Error('header compression produced no output'));
        else resolve(out);
      });
    });
  }
  close() {
    this.z.destroy();
  }
}

export class HeaderDecompressor {
  private readonly z: Inflate = createInflate({ dictionary: HEADER_DICTIONARY });
  private chunks: Buffer[] = [];
  private size = 0;
  private error: Error | null = null;
  /** `maxBytes` bounds one decompressed block (a zip bomb is a connection error, not an out-of-memory). */
  constructor(private readonly maxBytes = 256 * 1024) {
    this.z.on('data', (c: Buffer) => {
      this.size += c.length;
      if (this.size > this.maxBytes)
        this.error ??= new SpdyProtocolError(`header block larger than ${this.maxBytes} bytes`);
      else this.chunks.push(c);
    });
    this.z.on('error', (e) => (this.error ??= new SpdyProtocolError(`header block does not decompress: ${e.message}`)));
  }
  decompress(block: Buffer): Promise<HeaderMap> {
    return new Promise((resolve, reject) => {
      if (this.error || this.z.destroyed)
        return reject(this.error ?? new SpdyProtocolError('header decompressor closed'));
      let settled = false;
      const done = () => {
        if (settled) return;
        settled = true;
        this.z.off('error', done);
        const raw = Buffer.concat(this.chunks);
        this.chunks = [];
        this.size = 0;
        if (this.error) return reject(this.error);
        try {
          resolve(decodeHeaderBlock(raw));
        } catch (e) {
          reject(e);
        }
      };
      // A corrupt block makes zlib emit 'error' (and maybe never call back): either ends this call.
      this.z.once('error', done);
      this.z.write(block);
      this.z.flush(done);
    });
  }
  close() {
    this.z.destroy();
  }
}
