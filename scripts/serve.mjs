#!/usr/bin/env node
// The console's production server (run by `npm start` through scripts/console.mjs, which sets HOSTNAME and PORT):
// first the front of server/security.ts (a foreign Host name or a malformed URL is refused before anything else runs;
// every reply gets the security headers), then Next's request handler for everything, except what must not wait for Next:
// - /healthz and /readyz (server/health.ts) and /metrics (server/metrics.ts: bearer token checked with the cluster);
// - the hottest reads, which server/fastreads.ts answers from the in-process cache when it can (see there why).
// Everything else goes to the route handlers unchanged. With PLUMB_METRICS_PORT, a second listener (HTTPS when given
// a certificate) serves only the probes and /metrics, for the kubelet and Prometheus, which do not come through
// the authenticating proxy in front of the main port.
// SIGTERM/SIGINT: stop accepting connections, close the event streams (browsers reconnect to another replica),
// let requests in flight (actions included) finish for at most PLUMB_SHUTDOWN_TIMEOUT_MS, then exit.
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const hostname = process.env.HOSTNAME || '127.0.0.1';
const port = Number(process.env.PORT || 3000);
const SHUTDOWN_MS = Number(process.env.PLUMB_SHUTDOWN_TIMEOUT_MS || 20_000);
// Set by server/*.ts (instrumentation.ts registers them): this file runs outside Next's module graph.
const FAST_READS = Symbol.for('plumb.fastReads');
const FRONT = Symbol.for('plumb.front');
const HEALTH = Symbol.for('plumb.health');
const METRICS = Symbol.for('plumb.metricsHooks');
const DRAINING = Symbol.for('plumb.draining');

// The build's own resolved config, as Next's standalone server.js passes it: the standalone folder the container
// runs has no next.config.js, and with `output: 'standalone'` Next expects its config this way (else it warns).
const serverFiles = join(ROOT, process.env.PLUMB_DIST_DIR || '.next', 'required-server-files.json');
if (!process.env.__NEXT_PRIVATE_STANDALONE_CONFIG && existsSync(serverFiles)) {
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(JSON.parse(readFileSync(serverFiles, 'utf8')).config);
}

const app = next({ dev: false, dir: ROOT, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

function send(res, status, contentType, body, extra = {}) {
  res.writeHead(status, {
    'content-type': contentType,
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(body),
    ...extra,
  });
  res.end(body);
}

/** /healthz, /readyz, /metrics; true when answered (or being answered). */
function operational(req, res) {
  const path = req.url?.split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (path === '/healthz' || path === '/readyz') {
    const reply =
      globalThis[HEALTH]?.(path) ??
      (path === '/healthz'
        ? { status: 200, body: '{"ok":true}' }
        : { status: 503, body: '{"ready":false,"reason":"starting"}' });
    send(res, reply.status, 'application/json', reply.body);
    return true;
  }
  if (path === '/metrics') {
    const hooks = globalThis[METRICS];
    if (!hooks) {
      send(res, 503, 'text/plain; charset=utf-8', 'starting\n');
      return true;
    }
    hooks.scrape(req.headers.authorization).then(
      (r) => send(res, r.status, r.contentType, r.body),
      (err) => send(res, 500, 'text/plain; charset=utf-8', `${err?.message ?? err}\n`),
    );
    return true;
  }
  return false;
}

function fastReply(req, res) {
  if (req.method !== 'GET' || !req.url?.startsWith('/api/pools')) return false;
  const read = globalThis[FAST_READS];
  if (typeof read !== 'function') return false;
  const t0 = performance.now();
  let body;
  try {
    body = read(req.url.split('?')[0]);
  } catch {
    return false; // the route handler will give the proper error reply
  }
  if (body == null) return false;
  send(res, 200, 'application/json', body, { 'server-timing': `app;dur=${(performance.now() - t0).toFixed(2)}` });
  return true;
}

/** The front's verdict applied: headers set on `res`; true when the request was refused and answered. */
function refused(req, res) {
  const front = globalThis[FRONT];
  // Registered by instrumentation.ts once Next has started; until then (as for everything) Next's own proxy
  // (proxy.ts) runs the same check before any handler, and the fast path below is not registered either.
  if (typeof front !== 'function') return false;
  const v = front(req.url ?? '/', req.headers.host);
  for (const [k, val] of Object.entries(v.headers)) res.setHeader(k, val);
  if (!v.refuse) return false;
  const body = JSON.stringify({ error: v.refuse.error, message: v.refuse.message });
  res.writeHead(v.refuse.status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
  return true;
}

/** Requests being answered (event streams apart): shutdown waits for these. */
const inflight = new Set();
const streams = new Set();

const server = http.createServer((req, res) => {
  if (refused(req, res)) return;
  if (operational(req, res)) return;
  const t0 = performance.now();
  const isStream = req.url?.startsWith('/api/stream');
  const set = isStream ? streams : inflight;
  set.add(res);
  res.once('close', () => set.delete(res));
  res.once('finish', () =>
    globalThis[METRICS]?.recordRequest(req.method, req.url, res.statusCode, (performance.now() - t0) / 1000),
  );
  if (!fastReply(req, res)) handle(req, res);
});
server.listen(port, hostname, () => console.log(`Plumb console ready on http://${hostname}:${port}`));

let metricsServer = null;
if (process.env.PLUMB_METRICS_PORT) {
  const mport = Number(process.env.PLUMB_METRICS_PORT);
  const mhost = process.env.PLUMB_METRICS_HOST || '0.0.0.0';
  const onRequest = (req, res) => {
    if (!operational(req, res))
      send(res, 404, 'text/plain; charset=utf-8', 'only /metrics, /healthz and /readyz are served here\n');
  };
  const cert = process.env.PLUMB_METRICS_CERT;
  const key = process.env.PLUMB_METRICS_KEY;
  metricsServer =
    cert && key
      ? https.createServer({ cert: readFileSync(cert), key: readFileSync(key) }, onRequest)
      : http.createServer(onRequest);
  metricsServer.listen(mport, mhost, () =>
    console.log(
      `Plumb metrics and probes on ${cert && key ? 'https' : 'http'}://${mhost}:${mport} (/metrics, /healthz, /readyz)`,
    ),
  );
}

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  globalThis[DRAINING] = true;
  console.log(
    `[plumb] ${signal}: closing ${streams.size} event stream(s), waiting for ${inflight.size} request(s) in flight (at most ${SHUTDOWN_MS} ms)`,
  );
  server.close();
  metricsServer?.close();
  // A closed stream makes the browser's EventSource reconnect, through the Service, to a replica that stays.
  for (const res of streams) res.destroy();
  const deadline = Date.now() + SHUTDOWN_MS;
  while (inflight.size > 0 && Date.now() < deadline) {
    server.closeIdleConnections();
    await new Promise((r) => setTimeout(r, 50));
  }
  if (inflight.size > 0)
    console.warn(`[plumb] ${inflight.size} request(s) still running after ${SHUTDOWN_MS} ms: exiting anyway`);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
