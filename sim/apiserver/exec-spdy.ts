// pods/exec over SPDY/3.1, the transport of kubectl < 1.30 (and of 1.29 without KUBECTL_REMOTE_COMMAND_WEBSOCKETS),
// oc 4.16 and older and every client-go SPDY executor. After `101 Switching Protocols` the client opens one stream
// per role with SYN_STREAM, named by its `streamtype` header (error, stdin, stdout, stderr, resize), and waits for a
// SYN_REPLY on each (client-go tools/remotecommand v2.go createStreams, v4.go). As the kubelet does
// (pkg/kubelet/cri/streaming/remotecommand/httpstream.go), the session waits for the streams the query asked for,
// then (here) collects stdin until the client half-closes it, runs the same command dispatch as the websocket
// transport, writes stdout and stderr, the v4 Status on the error stream, FIN on every stream and GOAWAY.
// Anything that is not SPDY/3.1 ends the connection with GOAWAY(PROTOCOL_ERROR); a stream error gets RST_STREAM.
import type { Duplex } from 'node:stream';
import { MAX_STDIN, runExec, stdinFailure, type ExecOptions, type Plan } from './exec-run';
import {
  encodeFrame,
  FLAG_FIN,
  FrameReader,
  GOAWAY,
  HeaderCompressor,
  HeaderDecompressor,
  RST,
  SpdyProtocolError,
  type Frame,
} from './spdy';

/** Only v4 carries the exit code (a Status on the error stream); v1-v3 clients are refused at the handshake. */
export const SPDY_PROTOCOLS = ['v4.channel.k8s.io'];
/** The kubelet's streamCreationTimeout default (pkg/kubelet/cri/streaming/server.go DefaultConfig). */
const STREAM_CREATION_TIMEOUT_MS = 30_000;
const CHUNK = 256 * 1024;
/** stdin is buffered until the command runs; frames beyond the stdin limit are a connection error anyway. */
const MAX_FRAME = 1024 * 1024;

type StreamType = 'error' | 'stdin' | 'stdout' | 'stderr' | 'resize';
const STREAM_TYPES: readonly StreamType[] = ['error', 'stdin', 'stdout', 'stderr', 'resize'];

interface Stream {
  id: number;
  type: StreamType;
  /** The client half-closed it (FIN) or reset it. */
  remoteDone: boolean;
}

export function createSpdyExec(o: ExecOptions) {
  const sessions = new Set<Duplex>();

  function handle(socket: Duplex, head: Buffer, plan: Plan) {
    sessions.add(socket);
    socket.on('close', () => sessions.delete(socket));
    // The 101 as apimachinery's SPDY upgrader writes it (pkg/util/httpstream/spdy/upgrade.go), with the protocol
    // picked by the handshake.
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n' +
        `X-Stream-Protocol-Version: ${SPDY_PROTOCOLS[0]}\r\n\r\n`,
    );
    session(socket, head, plan).catch((err) => {
      console.error('simulator: SPDY exec session failed:', err);
      socket.destroy();
    });
  }

  async function session(socket: Duplex, head: Buffer, plan: Plan) {
    const reader = new FrameReader(MAX_FRAME);
    const inflate = new HeaderDecompressor();
    const deflate = new HeaderCompressor();
    const streams = new Map<number, Stream>();
    const byType = new Map<StreamType, Stream>();
    let lastStreamId = 0;
    let closed = false;
    let stdin: Buffer[] = [];
    let stdinSize = 0;

    // Frames go out in one ordered queue: SYN_REPLY header blocks share one zlib context, so their order on the
    // wire must be the order they were compressed in.
    let out: Promise<void> = Promise.resolve();
    const write = (make: () => Frame | Promise<Frame>) =>
      (out = out
        .then(async () => {
          if (closed || socket.destroyed) return;
          const frame = await make();
          await new Promise<void>((resolve) => socket.write(encodeFrame(frame), () => resolve()));
        })
        .catch((e) => {
          // Only a connection already torn down makes compression fail; anything else is a bug worth a line.
          if (!closed) console.error('simulator: SPDY exec write failed:', e);
          socket.destroy();
        }));
    let finishing = false;
    const finish = (status: number) => {
      if (closed || finishing) return;
      finishing = true;
      void write(() => ({ type: 'goaway', lastGoodStreamId: lastStreamId, status })).then(() => {
        closed = true;
        wake();
        socket.end();
        // A client that never closes its side does not keep the socket.
        setTimeout(() => socket.destroy(), 5_000).unref();
      });
    };
    const teardown = () => {
      closed = true;
      inflate.close();
      deflate.close();
      wake();
    };

    // Everything the command waits for: all expected streams created, stdin (if any) half-closed.
    const expected = new Set<StreamType>(['error']);
    if (plan.stdin) expected.add('stdin');
    if (plan.stdout) expected.add('stdout');
    if (plan.stderr) expected.add('stderr');
    if (plan.tty) expected.add('resize');
    let wake: () => void = () => {};
    const ready = () => [...expected].every((t) => byType.has(t)) && (!plan.stdin || byType.get('stdin')!.remoteDone);
    const waitUntil = (cond: () => boolean, ms: number) =>
      new Promise<boolean>((resolve) => {
        const check = () => {
          if (closed || cond()) {
            clearTimeout(timer);
            resolve(!closed && cond());
          }
        };
        const timer = setTimeout(() => resolve(false), ms);
        wake = check;
        check();
      });

    async function onFrame(f: Frame) {
      switch (f.type) {
        case 'syn_stream': {
          // Decompress even a frame we refuse: the zlib context must see every header block.
          const headers = await inflate.decompress(f.headerBlock);
          if (f.streamId % 2 === 0 || f.streamId <= lastStreamId)
            throw new SpdyProtocolError(`stream id ${f.streamId} is not a new client stream`);
          lastStreamId = f.streamId;
          const type = headers['streamtype']?.[0] as StreamType | undefined;
          if (!type || !STREAM_TYPES.includes(type) || byType.has(type)) {
            void write(() => ({
              type: 'rst_stream',
              streamId: f.streamId,
              status: byType.has(type!) ? RST.STREAM_IN_USE : RST.REFUSED_STREAM,
            }));
            return;
          }
          const s: Stream = { id: f.streamId, type, remoteDone: (f.flags & FLAG_FIN) !== 0 };
          streams.set(s.id, s);
          byType.set(type, s);
          // Compressed when its turn to go out comes: the zlib context's order is the wire order.
          void write(async () => ({
            type: 'syn_reply',
            streamId: s.id,
            flags: 0,
            headerBlock: await deflate.compress({}),
          }));
          return wake();
        }
        case 'headers':
        case 'syn_reply':
          // A client does not reply to streams here, and extra headers mean nothing to exec; keep zlib in step.
          await inflate.decompress(f.headerBlock);
          return;
        case 'data': {
          const s = streams.get(f.streamId);
          if (!s || s.remoteDone) {
            void write(() => ({
              type: 'rst_stream',
              streamId: f.streamId,
              status: s ? RST.PROTOCOL_ERROR : RST.INVALID_STREAM,
            }));
            return;
          }
          if (s.type === 'stdin' && f.data.length) {
            stdinSize += f.data.length;
            if (stdinSize > MAX_STDIN) {
              stdin = [];
              throw new StdinTooLarge();
            }
            stdin.push(f.data);
          }
          // resize: the command is not a terminal; the sizes are read and dropped.
          if (f.flags & FLAG_FIN) s.remoteDone = true;
          return wake();
        }
        case 'rst_stream': {
          const s = streams.get(f.streamId);
          if (s) s.remoteDone = true;
          return wake();
        }
        case 'ping':
          // Echo the client's pings (client-go sends one every 5 s); this side sends none of its own.
          void write(() => f);
          return;
        case 'goaway':
          return finish(GOAWAY.OK);
        case 'settings':
        case 'window_update':
        case 'unknown':
          // spdystream, on both ends, neither sends WINDOW_UPDATE nor honours it: no flow control to keep.
          return;
      }
    }

    class StdinTooLarge extends Error {}
    let tooLarge = false;
    // Frames are handled one after another (the header zlib context is stateful); a bad one ends the connection.
    let queue: Promise<void> = Promise.resolve();
    const fail = (e: unknown) => {
      if (e instanceof StdinTooLarge) {
        tooLarge = true;
        return wake();
      }
      if (!(e instanceof SpdyProtocolError)) console.error('simulator: SPDY exec frame failed:', e);
      finish(e instanceof SpdyProtocolError ? GOAWAY.PROTOCOL_ERROR : GOAWAY.INTERNAL_ERROR);
      teardownAfterGoaway();
    };
    const teardownAfterGoaway = () => void out.then(teardown);
    const onData = (chunk: Buffer) => {
      if (closed || tooLarge) return;
      let frames: Frame[];
      try {
        frames = reader.push(chunk);
      } catch (e) {
        socket.off('data', onData);
        return fail(e);
      }
      for (const f of frames)
        queue = queue.then(() => (closed || finishing || tooLarge ? undefined : onFrame(f))).catch(fail);
    };
    socket.on('data', onData);
    socket.on('error', () => socket.destroy());
    socket.on('close', teardown);
    if (head.length) onData(head);

    const created = await waitUntil(() => [...expected].every((t) => byType.has(t)), STREAM_CREATION_TIMEOUT_MS);
    if (!created) {
      if (!closed) {
        await sendStatus({
          metadata: {},
          status: 'Failure',
          message: 'timed out waiting for client to create streams',
          reason: 'Timeout',
          code: 504,
        });
        finish(GOAWAY.OK);
      }
      return;
    }
    const gotStdin = await waitUntil(() => ready() || tooLarge, o.stdinTimeoutMs ?? 30_000);
    if (closed) return;
    let result: Awaited<ReturnType<typeof runExec>>;
    if (tooLarge || !gotStdin) {
      const none = new Uint8Array();
      result = { stdout: none, stderr: none, status: stdinFailure(tooLarge ? 'too-large' : 'timeout') };
    } else result = await runExec(o, plan, plan.stdin ? new Uint8Array(Buffer.concat(stdin)) : null);
    stdin = [];
    for (const [type, data] of [
      ['stdout', result.stdout],
      ['stderr', result.stderr],
    ] as const) {
      const s = byType.get(type);
      if (!s) continue;
      for (let i = 0; i < data.length; i += CHUNK) {
        const part = Buffer.from(data.subarray(i, i + CHUNK));
        void write(() => ({ type: 'data', streamId: s.id, flags: 0, data: part }));
      }
    }
    await sendStatus(result.status);
    finish(GOAWAY.OK);

    /** The Status on the error stream, then FIN on every stream: the client reads each to its end. */
    function sendStatus(status: Record<string, unknown>) {
      const err = byType.get('error');
      if (err)
        void write(() => ({ type: 'data', streamId: err.id, flags: 0, data: Buffer.from(JSON.stringify(status)) }));
      for (const s of byType.values())
        void write(() => ({ type: 'data', streamId: s.id, flags: FLAG_FIN, data: Buffer.alloc(0) }));
      return out;
    }
  }

  return {
    handle,
    close() {
      for (const socket of sessions) socket.destroy();
      sessions.clear();
    },
  };
}
