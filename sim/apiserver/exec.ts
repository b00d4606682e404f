// pods/exec over websocket (v5.channel.k8s.io / v4.channel.k8s.io, binary frames): collect stdin until the client
// half-closes it, run the ExecHandler, send stdout/stderr on the requested channels, then the channel-3 Status.
// SPDY/3.1 upgrades (kubectl < 1.30, oc 4.16 and older) are planned here too and handed to exec-spdy.ts.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { authenticate, authorize } from './auth';
import { infoFor } from './resources';
import { createSpdyExec, SPDY_PROTOCOLS } from './exec-spdy';
import { MAX_STDIN, runExec, stdinFailure, type ExecOptions, type Plan } from './exec-run';

export type { ExecOptions, Plan };
import { badRequest, internalError, notFound, status, StatusError, type Status } from './status';

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const CHUNK = 256 * 1024;

const EXEC_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach)$/;

export function isExecPath(pathname: string): boolean {
  return EXEC_PATH.test(pathname);
}

/** `watch=`-style booleans: absent, "0" and "false" are false; anything else is true. */
export function boolParam(v: string | null): boolean {
  return v !== null && v !== '0' && v.toLowerCase() !== 'false';
}

function writeRawStatus(socket: Duplex, s: Status) {
  const body = JSON.stringify(s);
  const text =
    { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error' }[
      s.code
    ] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${s.code} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Everything that is checked before the upgrade, so errors reach the client as an HTTP Status. */
export function planExec(req: IncomingMessage, url: URL, o: ExecOptions): Plan {
  const m = EXEC_PATH.exec(url.pathname)!;
  let namespace: string, pod: string;
  try {
    namespace = decodeURIComponent(m[1]);
    pod = decodeURIComponent(m[2]);
  } catch {
    throw badRequest('malformed namespace or pod name in the path');
  }
  const user = authenticate(req, o.users);
  authorize(user, { verb: 'create', resource: 'pods', subresource: m[3], group: '', namespace, name: pod }, o.store);
  const upgrade = String(req.headers.upgrade ?? '').toLowerCase();
  const spdy = upgrade.startsWith('spdy');
  if (m[3] === 'attach') throw badRequest('attach is not supported by this simulated cluster; use exec');
  if (spdy && upgrade !== 'spdy/3.1')
    throw badRequest(`unsupported upgrade protocol ${req.headers.upgrade}; use SPDY/3.1`);
  if (!spdy && upgrade !== 'websocket') throw status(400, 'BadRequest', 'Upgrade request required');
  const p = o.store.get('pods', pod, namespace);
  if (!p) throw notFound(infoFor('pods'), pod);
  const names: string[] = ((p.spec as { containers?: { name: string }[] } | undefined)?.containers ?? []).map(
    (c) => c.name,
  );
  let container = url.searchParams.get('container') ?? '';
  if (!container) {
    if (names.length === 1) container = names[0];
    else throw badRequest(`a container name must be specified for pod ${pod}, choose one of: [${names.join(' ')}]`);
  } else if (!names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${pod}`);
  const command = url.searchParams.getAll('command');
  if (command.length === 0) throw badRequest('you must specify at least one command for the container');
  const tty = boolParam(url.searchParams.get('tty'));
  const plan: Plan = {
    transport: spdy ? 'spdy' : 'websocket',
    namespace,
    pod,
    container,
    command,
    stdin: boolParam(url.searchParams.get('stdin')),
    stdout: boolParam(url.searchParams.get('stdout')),
    // With a TTY stderr is merged into stdout by the runtime: the stream is not used.
    stderr: boolParam(url.searchParams.get('stderr')) && !tty,
    tty,
  };
  if (!plan.stdin && !plan.stdout && !boolParam(url.searchParams.get('stderr')))
    throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  if (spdy) {
    // As the kubelet's httpstream.Handshake: the client lists what it speaks, the server picks; no overlap is a 403.
    const offered = String(req.headers['x-stream-protocol-version'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (!SPDY_PROTOCOLS.some((p) => offered.includes(p)))
      throw status(
        403,
        'Forbidden',
        `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server supports [${SPDY_PROTOCOLS.join(' ')}]`,
      );
    return plan;
  }
  const offered = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((s) => s.trim());
  if (!PROTOCOLS.some((p) => offered.includes(p)))
    throw badRequest(
      `unable to upgrade: none of the offered subprotocols is supported; use one of ${PROTOCOLS.join(', ')}`,
    );
  return plan;
}

/** Stdin bytes until the client half-closes stdin ([255, 0] in v5) or closes the socket. */
function collectStdin(ws: WebSocket, v5: boolean, timeoutMs: number): Promise<Uint8Array | 'timeout' | 'too-large'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (r: Uint8Array | 'timeout' | 'too-large') => {
      clearTimeout(timer);
      ws.off('message', onMessage);
      ws.off('close', onClose);
      resolve(r);
    };
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    const onMessage = (data: RawData, isBinary: boolean) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      if (!isBinary || buf.length === 0) return;
      if (buf[0] === 0) {
        size += buf.length - 1;
        if (size > MAX_STDIN) done('too-large');
        else chunks.push(buf.subarray(1));
      } else if (v5 && buf[0] === 255 && buf[1] === 0) done(new Uint8Array(Buffer.concat(chunks)));
    };
    const onClose = () => done(new Uint8Array(Buffer.concat(chunks)));
    ws.on('message', onMessage);
    ws.on('close', onClose);
  });
}

export function createExecUpgrade(o: ExecOptions) {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 16 * 1024 * 1024,
    handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  const sockets = new Set<WebSocket>();
  const spdy = createSpdyExec(o);

  function handle(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL) {
    let plan: Plan;
    try {
      plan = planExec(req, url, o);
    } catch (e) {
      writeRawStatus(socket, e instanceof StatusError ? e.status : internalError((e as Error).message).status);
      return;
    }
    if (plan.transport === 'spdy') return spdy.handle(socket, head, plan);
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => ws.terminate());
      session(ws, plan).catch((err) => {
        console.error('simulator: exec session failed:', err);
        ws.terminate();
      });
    });
  }

  async function session(ws: WebSocket, plan: Plan) {
    const v5 = ws.protocol === 'v5.channel.k8s.io';
    const send = (channel: number, data: Uint8Array) =>
      new Promise<void>((resolve) => {
        if (ws.readyState !== ws.OPEN) return resolve();
        const frame = Buffer.allocUnsafe(data.length + 1);
        frame[0] = channel;
        frame.set(data, 1);
        ws.send(frame, { binary: true }, () => resolve());
      });
    // Listen for stdin before anything is awaited: the client may send it right after the handshake.
    const stdinDone = plan.stdin ? collectStdin(ws, v5, o.stdinTimeoutMs ?? 30_000) : undefined;
    // The initial empty frame on the lowest requested writable channel tells the client the streams are ready.
    await send(plan.stdout ? 1 : plan.stderr ? 2 : 3, new Uint8Array());

    let stdin: Uint8Array | null = null;
    if (stdinDone) {
      const got = await stdinDone;
      if (got === 'timeout' || got === 'too-large') {
        const failure = stdinFailure(got);
        await send(3, Buffer.from(JSON.stringify(failure)));
        if (ws.readyState === ws.OPEN) ws.close(1000);
        return;
      }
      stdin = got;
    }

    const r = await runExec(o, plan, stdin);
    for (const [ch, data] of [
      [1, r.stdout],
      [2, r.stderr],
    ] as const) {
      for (let i = 0; i < data.length; i += CHUNK) await send(ch, data.subarray(i, i + CHUNK));
    }
    const result = r.status;
    await send(3, Buffer.from(JSON.stringify(result)));
    if (ws.readyState === ws.OPEN) ws.close(1000);
  }

  return {
    handle,
    close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      spdy.close();
    },
  };
}
