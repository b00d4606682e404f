// Exec over SPDY/3.1 against an in-process API server, with a small SPDY client built on ./spdy and a fake
// ExecHandler: the streams, the v4 Status, pings, the handshake's refusals, and bad frames closing cleanly.
// The real clients (kubectl 1.29 and 1.20) are driven in tests/sim-kubectl.test.ts and tests/sim-real-clients.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import type { Socket } from 'node:net';
import * as k8s from '@kubernetes/client-node';
import {
  encodeFrame,
  FLAG_FIN,
  FrameReader,
  GOAWAY,
  HeaderCompressor,
  HeaderDecompressor,
  RST,
  type Frame,
} from './spdy';
import { startHarness, USERS, type Harness } from './test-harness';

let h: Harness;
const NS = 'openshift-machine-config-operator';
const EXEC = `/api/v1/namespaces/${NS}/pods/mcd-1/exec`;

beforeAll(async () => {
  h = await startHarness({
    // Echo stdin to stdout, say something on stderr, exit 3 when asked to fail.
    exec: async (req) => ({
      stdout: Buffer.from(`out:${req.stdin ? Buffer.from(req.stdin).toString() : req.command.join(' ')}`),
      stderr: Buffer.from(`err:${req.container}`),
      exitCode: req.command[0] === 'fail' ? 3 : 0,
    }),
    server: { stdinTimeoutMs: 1000 },
  });
  const core = h.kc().makeApiClient(k8s.CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: NS } } });
  await core.createNamespacedPod({
    namespace: NS,
    body: {
      metadata: { name: 'mcd-1' },
      spec: { nodeName: 'worker-0', containers: [{ name: 'machine-config-daemon', image: 'i' }] },
    },
  });
});
afterAll(() => h?.close());

type Upgraded = { socket: Socket; headers: Record<string, unknown> };
type Refused = { code: number; body: any };

function upgrade(
  query: string,
  protocols = 'v4.channel.k8s.io, v3.channel.k8s.io',
  upgradeTo = 'SPDY/3.1',
): Promise<Upgraded | Refused> {
  return new Promise((resolve, reject) => {
    const req = request(h.server.url + `${EXEC}?${query}`, {
      method: 'POST',
      headers: {
        Connection: 'Upgrade',
        Upgrade: upgradeTo,
        'X-Stream-Protocol-Version': protocols,
        Authorization: `Bearer ${USERS[0].token}`,
      },
    });
    req.on('upgrade', (res, socket) => resolve({ socket: socket as Socket, headers: res.headers }));
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ code: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A connection as client-go drives it: frames out, every frame in (header blocks decompressed), until the end. */
function client(socket: Socket) {
  const deflate = new HeaderCompressor();
  const inflate = new HeaderDecompressor();
  const reader = new FrameReader();
  const frames: (Frame & { headers?: Record<string, string[]> })[] = [];
  let chain = Promise.resolve();
  socket.on('data', (d) => {
    for (const f of reader.push(d))
      chain = chain.then(async () => {
        frames.push(f.type === 'syn_reply' ? { ...f, headers: await inflate.decompress(f.headerBlock) } : f);
      });
  });
  const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  return {
    frames,
    async open(id: number, streamtype: string, flags = 0) {
      socket.write(
        encodeFrame({
          type: 'syn_stream',
          streamId: id,
          associatedId: 0,
          priority: 0,
          flags,
          headerBlock: await deflate.compress({ streamtype }),
        }),
      );
    },
    send(f: Frame) {
      socket.write(encodeFrame(f));
    },
    /** Resolves once the server closed the connection, with each stream's bytes and whether it saw FIN. */
    async end() {
      await ended;
      await chain;
      const streams = new Map<number, { data: string; fin: boolean }>();
      for (const f of frames)
        if (f.type === 'data') {
          const s = streams.get(f.streamId) ?? { data: '', fin: false };
          s.data += f.data.toString();
          s.fin ||= (f.flags & FLAG_FIN) !== 0;
          streams.set(f.streamId, s);
        }
      return streams;
    },
  };
}

async function connect(query: string) {
  const u = await upgrade(query);
  if (!('socket' in u)) throw new Error(`no upgrade: ${u.code} ${JSON.stringify(u.body)}`);
  return { ...u, c: client(u.socket) };
}

const Q = 'container=machine-config-daemon&stdout=true&stderr=true';

describe('exec over SPDY/3.1', () => {
  it('negotiates v4, replies to each stream, runs with stdin and ends with the Status, FIN on every stream and GOAWAY', async () => {
    const { headers, c } = await connect(`${Q}&stdin=true&command=cat`);
    expect(headers['x-stream-protocol-version']).toBe('v4.channel.k8s.io');
    await c.open(1, 'error');
    await c.open(3, 'stdin');
    await c.open(5, 'stdout');
    await c.open(7, 'stderr');
    c.send({ type: 'data', streamId: 3, flags: 0, data: Buffer.from('expected ') });
    c.send({ type: 'data', streamId: 3, flags: FLAG_FIN, data: Buffer.from('bytes') });
    const streams = await c.end();
    expect(c.frames.filter((f) => f.type === 'syn_reply').map((f) => [(f as any).streamId, f.headers])).toEqual([
      [1, {}],
      [3, {}],
      [5, {}],
      [7, {}],
    ]);
    expect(streams.get(5)).toEqual({ data: 'out:expected bytes', fin: true });
    expect(streams.get(7)).toEqual({ data: 'err:machine-config-daemon', fin: true });
    expect(streams.get(3)).toEqual({ data: '', fin: true });
    expect(JSON.parse(streams.get(1)!.data)).toEqual({ metadata: {}, status: 'Success' });
    expect(c.frames.at(-1)).toEqual({ type: 'goaway', lastGoodStreamId: 7, status: GOAWAY.OK });
  });

  it('reports a non-zero exit code as the v4 NonZeroExitCode Status, and answers pings meanwhile', async () => {
    const { c } = await connect(`${Q}&stdin=true&command=fail`);
    await c.open(1, 'error');
    c.send({ type: 'ping', id: 1 });
    c.send({ type: 'window_update', streamId: 1, delta: 1000 });
    c.send({ type: 'settings', flags: 0, entries: [{ flags: 0, id: 7, value: 1 << 20 }] });
    await c.open(3, 'stdin');
    await c.open(5, 'stdout');
    await c.open(7, 'stderr');
    c.send({ type: 'data', streamId: 3, flags: FLAG_FIN, data: Buffer.alloc(0) });
    const streams = await c.end();
    expect(c.frames).toContainEqual({ type: 'ping', id: 1 });
    expect(JSON.parse(streams.get(1)!.data)).toMatchObject({
      status: 'Failure',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
  });

  it('with a TTY waits for the resize stream, reads and drops sizes, and has no stderr stream', async () => {
    const { c } = await connect(`${Q}&stdin=true&tty=true&command=cat`);
    await c.open(1, 'error');
    await c.open(3, 'stdin');
    await c.open(5, 'stdout');
    c.send({ type: 'data', streamId: 3, flags: FLAG_FIN, data: Buffer.from('typed') });
    // Everything asked for but the resize stream: the command must not have run yet.
    await new Promise((r) => setTimeout(r, 100));
    expect(c.frames.some((f) => f.type === 'data')).toBe(false);
    await c.open(7, 'resize');
    c.send({ type: 'data', streamId: 7, flags: 0, data: Buffer.from('{"Width":80,"Height":24}') });
    const streams = await c.end();
    expect(streams.get(5)!.data).toBe('out:typed');
    expect(streams.get(7)).toEqual({ data: '', fin: true });
    expect(JSON.parse(streams.get(1)!.data).status).toBe('Success');
  });

  it('refuses an unknown or repeated stream type and data on a stream it does not know, and still runs', async () => {
    const { c } = await connect(`${Q}&command=hi`);
    await c.open(1, 'error');
    await c.open(3, 'telepathy');
    await c.open(5, 'error');
    c.send({ type: 'data', streamId: 99, flags: 0, data: Buffer.from('x') });
    await c.open(7, 'stdout');
    await c.open(9, 'stderr');
    const streams = await c.end();
    const resets = c.frames.filter((f) => f.type === 'rst_stream');
    expect(resets).toEqual([
      { type: 'rst_stream', streamId: 3, status: RST.REFUSED_STREAM },
      { type: 'rst_stream', streamId: 5, status: RST.STREAM_IN_USE },
      { type: 'rst_stream', streamId: 99, status: RST.INVALID_STREAM },
    ]);
    expect(streams.get(7)!.data).toBe('out:hi');
  });

  it('ends the connection with GOAWAY(PROTOCOL_ERROR) on bytes that are not SPDY/3, and keeps serving', async () => {
    for (const garbage of [
      Buffer.from('GET / HTTP/1.1\r\n\r\n'),
      // A SYN_STREAM whose header block is not zlib.
      encodeFrame({
        type: 'syn_stream',
        streamId: 1,
        associatedId: 0,
        priority: 0,
        flags: 0,
        headerBlock: Buffer.from('plain text'),
      }),
      // A SYN_STREAM with an even (server-side) stream id.
      await new HeaderCompressor()
        .compress({ streamtype: 'error' })
        .then((headerBlock) =>
          encodeFrame({ type: 'syn_stream', streamId: 2, associatedId: 0, priority: 0, flags: 0, headerBlock }),
        ),
    ]) {
      const { socket, c } = await connect(`${Q}&command=hi`);
      socket.write(garbage);
      await c.end();
      expect(c.frames.at(-1)).toMatchObject({ type: 'goaway', status: GOAWAY.PROTOCOL_ERROR });
    }
    const { c } = await connect(`stdout=true&container=machine-config-daemon&command=again`);
    await c.open(1, 'error');
    await c.open(3, 'stdout');
    expect((await c.end()).get(3)!.data).toBe('out:again');
  });

  it('survives random bytes and clients that vanish mid-session', async () => {
    const { randomBytes } = await import('node:crypto');
    const syn = encodeFrame({
      type: 'syn_stream',
      streamId: 1,
      associatedId: 0,
      priority: 0,
      flags: 0,
      headerBlock: await new HeaderCompressor().compress({ streamtype: 'error' }),
    });
    for (let i = 0; i < 40; i++) {
      const { socket } = await connect(`${Q}&stdin=true&command=cat`);
      socket.on('error', () => {});
      // Half the time a valid first frame, so the junk lands in a session already under way.
      socket.write(Buffer.concat([i % 2 ? syn : Buffer.alloc(0), randomBytes(1 + ((i * 37) % 300))]));
      await new Promise((r) => setTimeout(r, i % 4 === 0 ? 0 : 20));
      socket.destroy();
    }
    // Vanishing after stdin is complete, while the server is about to write the output.
    const { socket, c } = await connect(`${Q}&stdin=true&command=cat`);
    socket.on('error', () => {});
    for (const [id, type] of [
      [1, 'error'],
      [3, 'stdin'],
      [5, 'stdout'],
      [7, 'stderr'],
    ] as const)
      await c.open(id, type);
    c.send({ type: 'data', streamId: 3, flags: FLAG_FIN, data: Buffer.from('bye') });
    socket.destroy();
    const again = await connect(`stdout=true&container=machine-config-daemon&command=still-here`);
    await again.c.open(1, 'error');
    await again.c.open(3, 'stdout');
    expect((await again.c.end()).get(3)!.data).toBe('out:still-here');
  });

  it('times out stdin that is never closed with a Status on the error stream', async () => {
    const { c } = await connect(`${Q}&stdin=true&command=cat`);
    for (const [id, type] of [
      [1, 'error'],
      [3, 'stdin'],
      [5, 'stdout'],
      [7, 'stderr'],
    ] as const)
      await c.open(id, type);
    c.send({ type: 'data', streamId: 3, flags: 0, data: Buffer.from('never ends') });
    const streams = await c.end();
    expect(JSON.parse(streams.get(1)!.data)).toMatchObject({ status: 'Failure', reason: 'Timeout' });
  });

  it('refuses a client without v4 (403, as the kubelet handshake) and other SPDY versions (400) before upgrading', async () => {
    const old = (await upgrade(`${Q}&command=hi`, 'v3.channel.k8s.io, channel.k8s.io')) as Refused;
    expect(old.code).toBe(403);
    expect(old.body.message).toBe(
      'unable to upgrade: unable to negotiate protocol: client supports [v3.channel.k8s.io channel.k8s.io], server supports [v4.channel.k8s.io]',
    );
    const v2 = (await upgrade(`${Q}&command=hi`, 'v4.channel.k8s.io', 'SPDY/2')) as Refused;
    expect(v2.code).toBe(400);
    const plain = await h.fetch(`${EXEC}?${Q}&command=hi`, { method: 'POST' });
    expect(plain.status).toBe(400);
  });
});
