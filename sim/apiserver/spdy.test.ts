// SPDY/3.1 framing: frames encode and decode, the header blocks compress and decompress (stateful, with SPDY/3's
// dictionary), bytes a real kubectl sent decode, and malformed input is a SpdyProtocolError, never a crash.
import { describe, expect, it } from 'vitest';
import { deflateSync } from 'node:zlib';
import {
  decodeHeaderBlock,
  encodeFrame,
  encodeHeaderBlock,
  FLAG_FIN,
  FrameReader,
  HEADER_DICTIONARY,
  HeaderCompressor,
  HeaderDecompressor,
  SpdyProtocolError,
  type Frame,
} from './spdy';

// The first frame kubectl 1.32 (client-go, moby/spdystream) sent after the 101: SYN_STREAM 1 for the error stream.
const KUBECTL_SYN_STREAM = Buffer.from(
  '80030001000000290000000100000000000078f9e3c6a7c26260606004a7b392a2d4c45c6851c29a0a0a6800000000ffff',
  'hex',
);

describe('SPDY/3 header dictionary', () => {
  it('is the draft-3 dictionary: 1423 bytes with zlib id e3c6a7c2', () => {
    expect(HEADER_DICTIONARY.length).toBe(1423);
    // A zlib stream that uses a dictionary carries its Adler-32 right after the 2-byte header.
    const z = deflateSync(Buffer.from('x'), { dictionary: HEADER_DICTIONARY });
    expect(z.subarray(2, 6).toString('hex')).toBe('e3c6a7c2');
  });
});

describe('frames', () => {
  const samples: Frame[] = [
    { type: 'data', streamId: 3, flags: FLAG_FIN, data: Buffer.from('hello') },
    { type: 'data', streamId: 0x7fffffff, flags: 0, data: Buffer.alloc(0) },
    {
      type: 'syn_stream',
      streamId: 5,
      associatedId: 0,
      priority: 7,
      flags: FLAG_FIN,
      headerBlock: Buffer.from([1, 2, 3]),
    },
    { type: 'syn_reply', streamId: 5, flags: 0, headerBlock: Buffer.from([9]) },
    { type: 'headers', streamId: 7, flags: FLAG_FIN, headerBlock: Buffer.from([4, 5]) },
    { type: 'rst_stream', streamId: 9, status: 5 },
    {
      type: 'settings',
      flags: 1,
      entries: [
        { flags: 1, id: 7, value: 65536 },
        { flags: 0, id: 4, value: 100 },
      ],
    },
    { type: 'ping', id: 0xffffffff },
    { type: 'goaway', lastGoodStreamId: 11, status: 1 },
    { type: 'window_update', streamId: 1, delta: 0x7fffffff },
  ];

  it('round-trip through encodeFrame and FrameReader, whole and one byte at a time', () => {
    const wire = Buffer.concat(samples.map(encodeFrame));
    expect(new FrameReader().push(wire)).toEqual(samples);
    const reader = new FrameReader();
    const got: Frame[] = [];
    for (const byte of wire) got.push(...reader.push(Buffer.from([byte])));
    expect(got).toEqual(samples);
  });

  it('decode what a real kubectl sent, header block included', async () => {
    const [f] = new FrameReader().push(KUBECTL_SYN_STREAM);
    expect(f).toMatchObject({ type: 'syn_stream', streamId: 1, associatedId: 0, priority: 0, flags: 0 });
    const headers = await new HeaderDecompressor().decompress(
      (f as Extract<Frame, { type: 'syn_stream' }>).headerBlock,
    );
    expect(headers).toEqual({ streamtype: ['error'] });
  });

  it('pass unknown control types through as "unknown" (the draft says ignore them)', () => {
    const credential = Buffer.from('8003000a00000004deadbeef', 'hex');
    expect(new FrameReader().push(credential)).toEqual([{ type: 'unknown', controlType: 10 }]);
  });

  it('refuse malformed frames with a SpdyProtocolError', () => {
    const bad = {
      'SPDY/2': '800200060000000400000001',
      'PING of 3 bytes': '80030006000000030000001',
      'RST_STREAM status 0': '80030003000000080000000100000000',
      'RST_STREAM on stream 0': '80030003000000080000000000000001',
      'SYN_STREAM shorter than its fixed part': '8003000100000004000000010000',
      'SETTINGS count beyond its length': '800300040000000400000009',
      'data on stream 0': '0000000000000000',
      'GOAWAY of 4 bytes': '800300070000000400000000',
    };
    for (const [what, hex] of Object.entries(bad)) {
      const b = Buffer.from(hex.length % 2 ? hex + '0' : hex, 'hex');
      expect(() => new FrameReader().push(b), what).toThrow(SpdyProtocolError);
    }
    // A frame longer than the reader accepts fails on its header, before anything is buffered.
    expect(() => new FrameReader(1024).push(Buffer.from('0000000100001000', 'hex'))).toThrow(/larger than 1024/);
  });
});

describe('header blocks', () => {
  it('encode and decode, with several values of one name NUL-separated', () => {
    const block = encodeHeaderBlock({ streamtype: 'stdin', Accept: ['a', 'b'] });
    expect(decodeHeaderBlock(block)).toEqual({ streamtype: ['stdin'], accept: ['a', 'b'] });
    expect(decodeHeaderBlock(encodeHeaderBlock({}))).toEqual({});
  });

  it('refuse truncated blocks, a count larger than the block, duplicate names and trailing bytes', () => {
    const ok = encodeHeaderBlock({ a: '1' });
    for (const b of [
      ok.subarray(0, ok.length - 1),
      Buffer.from('ffffffff', 'hex'),
      Buffer.concat([Buffer.from('00000002', 'hex'), ok.subarray(4), ok.subarray(4)]),
      Buffer.concat([ok, Buffer.from([0])]),
      Buffer.alloc(2),
    ])
      expect(() => decodeHeaderBlock(b)).toThrow(SpdyProtocolError);
  });

  it('compress and decompress block after block through one zlib context per direction', async () => {
    const out = new HeaderCompressor();
    const back = new HeaderDecompressor();
    const blocks: Record<string, string | string[]>[] = [
      { streamtype: 'error' },
      { streamtype: 'stdin' },
      {},
      { streamtype: 'stdout', x: ['1', '2'] },
    ];
    const wire = [];
    for (const b of blocks) wire.push(await out.compress(b));
    // Later blocks reuse the context: the same header compresses smaller the second time.
    expect(wire[1].length).toBeLessThan(wire[0].length);
    for (const [i, b] of blocks.entries())
      expect(await back.decompress(wire[i])).toEqual(
        Object.fromEntries(Object.entries(b).map(([k, v]) => [k, [v].flat()])),
      );
    // Standard zlib with the dictionary reads the first block on its own (what Go's zlib.NewReaderDict does).
    const { inflateSync, constants } = await import('node:zlib');
    const first = inflateSync(wire[0], { dictionary: HEADER_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH });
    expect(decodeHeaderBlock(first)).toEqual({ streamtype: ['error'] });
    out.close();
    back.close();
  });

  it('reject garbage and oversized blocks without throwing out of the promise, and stay failed', async () => {
    const bad = new HeaderDecompressor();
    await expect(bad.decompress(Buffer.from('not zlib at all'))).rejects.toThrow(SpdyProtocolError);
    await expect(bad.decompress(Buffer.from('more'))).rejects.toThrow(SpdyProtocolError);
    const big = await new HeaderCompressor().compress({ x: 'a'.repeat(10_000) });
    await expect(new HeaderDecompressor(1000).decompress(big)).rejects.toThrow(/larger than 1000/);
  });
});
