#!/usr/bin/env node
// The console's production server (run by `npm start` through scripts/console.mjs, which sets HOSTNAME and PORT):
// first the front of server/security.ts (a foreign Host name or a malformed URL is refused before anything else runs;
// every reply gets the security headers), then the hottest reads, which server/fastreads.ts answers from the
// in-process cache when it can (see there why), then Next's request handler for everything else.
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import next from 'next';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const hostname = process.env.HOSTNAME || '127.0.0.1';
const port = Number(process.env.PORT || 3000);
const FAST_READS = Symbol.for('plumb.fastReads');
const FRONT = Symbol.for('plumb.front');

const app = next({ dev: false, dir: ROOT, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

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
  res.writeHead(200, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(body),
    'server-timing': `app;dur=${(performance.now() - t0).toFixed(2)}`,
  });
  res.end(body);
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
  res.writeHead(v.refuse.status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(body);
  return true;
}

const server = http.createServer((req, res) => {
  if (refused(req, res)) return;
  if (!fastReply(req, res)) handle(req, res);
});
server.listen(port, hostname, () => console.log(`Plumb console ready on http://${hostname}:${port}`));
const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
