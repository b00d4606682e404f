// The simulated cluster's API server on node:http: routing, authentication and authorization, discovery,
// CRUD, watch, tables, exec, OpenAPI v3, field validation, dry runs, list chunking and a real server's limits. Every handler is wrapped: a failure becomes a Status reply, never a crash.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ExecHandler, Store } from '../types';
import type { HistoryResult } from '../store';
import { startRbac } from '../rbac';
import { authenticate, authorize, authorizePath, type SimUser } from './auth';
import * as crud from './crud';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, DEFAULT_VERSION, type VersionInfo } from './discovery';
import { boolParam, createExecUpgrade, isExecPath, planExec } from './exec';
import { lookupResource } from './resources';
import { findReview, serveReview } from './reviews';
import { parseFieldSelector, parseLabelSelector } from './selectors';
import { badRequest, internalError, methodNotAllowed, notFoundPath, status, StatusError, tooLarge } from './status';
import { toTable, wantsTable, type IncludeObject } from './tables';
import { serveWatch } from './watch';
import { openApiDocs, openApiRoot } from './openapi';
import { limitParam, listPage } from './paging';
import { fieldValidationParam } from './validation';

export type { SimUser } from './auth';

export interface ApiServerOptions {
  store: Store;
  host?: string;
  port?: number;
  users: SimUser[];
  exec?: ExecHandler;
  version?: Partial<VersionInfo>;
  /** Largest accepted request body (default 3 MiB, kube-apiserver's limit for JSON bodies). */
  maxBodyBytes?: number;
  /** Events kept for watch resumption when the store has no history of its own. */
  historySize?: number;
  bookmarkIntervalMs?: number;
  stdinTimeoutMs?: number;
  /**
   * Serve HTTPS with this key and certificate (PEM). kubectl (client-go) never sends a bearer token over plain
   * http, so kubectl needs this; client-node sends tokens either way.
   */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export interface ApiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** kube-apiserver's request header limit (Go's http.Server MaxHeaderBytes, 1 MiB). */
export const MAX_HEADER_BYTES = 1 << 20;

function send(res: ServerResponse, code: number, body: unknown, warnings: string[] = []) {
  const text = JSON.stringify(body);
  const headers: Record<string, string | number | string[]> = {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  };
  // `299 - "text"`, one header per warning (k8s.io/apiserver pkg/endpoints/handlers/responsewriters/warnings).
  if (warnings.length) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  res.writeHead(code, headers);
  res.end(text);
}

/** An OpenAPI v3 document: immutable under its hash URL, redirected there when asked with another hash. */
function sendOpenApi(res: ServerResponse, key: string, hash: string | null) {
  const d = openApiDocs().get(key);
  if (!d) throw notFoundPath();
  if (hash !== null && hash !== d.hash) {
    res.writeHead(301, { Location: `/openapi/v3/${key}?hash=${d.hash}`, 'Cache-Control': 'no-cache, private' });
    return res.end();
  }
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(d.json),
    ETag: `"${d.hash}"`,
    'Cache-Control': hash === null ? 'no-cache, private' : 'public, immutable',
  });
  res.end(d.json);
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(tooLarge(limit));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(tooLarge(limit));
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A fallback event history for stores that do not keep one (the simulator's own store does). */
function ownHistory(store: Store, size: number) {
  const buf: import('../types').StoreEvent[] = [];
  let floor = store.resourceVersion();
  const unsubscribe = store.subscribe((e) => {
    buf.push(e);
    if (buf.length > size) floor = buf.shift()!.resourceVersion;
  });
  const since = (resource: string, rv: number): HistoryResult =>
    rv < floor
      ? { expired: true, oldest: floor }
      : { events: buf.filter((e) => e.resource === resource && e.resourceVersion > rv) };
  return { since, unsubscribe };
}

interface Route {
  group: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
}

/** `/api/v1/...` or `/apis/<group>/v1/...` into its parts, or undefined when the path is not a resource path. */
function parseResourcePath(pathname: string): Route | undefined {
  let segs: string[];
  try {
    segs = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined;
  }
  let group: string;
  let rest: string[];
  if (segs[0] === 'api' && segs[1] === 'v1') {
    group = '';
    rest = segs.slice(2);
  } else if (segs[0] === 'apis' && segs[2] === 'v1' && segs.length > 3) {
    group = segs[1];
    rest = segs.slice(3);
  } else return undefined;
  if (rest.length === 0) return undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && !['status', 'finalize'].includes(rest[2])) {
    if (rest.length > 5) return undefined;
    return { group, namespace: rest[1], resource: rest[2], name: rest[3], subresource: rest[4] };
  }
  if (rest.length > 3) return undefined;
  return { group, resource: rest[0], name: rest[1], subresource: rest[2] };
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const { store, users } = opts;
  const limit = opts.maxBodyBytes ?? 3 * 1024 * 1024;
  const version = { ...DEFAULT_VERSION, ...opts.version };
  const storeHistory = (store as Partial<{ eventsSince: (r: string, rv: number) => HistoryResult }>).eventsSince;
  const fallback = storeHistory ? undefined : ownHistory(store, opts.historySize ?? 10_000);
  const history = storeHistory ? storeHistory.bind(store) : fallback!.since;
  const watches = new Set<() => void>();
  const track = (close: () => void) => {
    watches.add(close);
    return () => watches.delete(close);
  };
  // The default roles and bindings, and ClusterRole aggregation, as the kube-apiserver and controller-manager run them.
  const rbac = startRbac(store);
  const execUpgrade = createExecUpgrade({ store, users, exec: opts.exec, stdinTimeoutMs: opts.stdinTimeoutMs });

  async function route(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://sim.local');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    const q = url.searchParams;

    // Public endpoints, as system:public-info-viewer allows on a real cluster.
    if (path === '/healthz' || path === '/readyz' || path === '/livez') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      return res.end('ok');
    }
    if (path === '/version') return send(res, 200, version);

    const user = authenticate(req, users);
    const r = parseResourcePath(path);
    if (!r && !isExecPath(path)) authorizePath(user, method.toLowerCase(), path, store);
    if (path === '/api') return send(res, 200, apiVersions(req.headers.host ?? 'localhost'));
    if (path === '/apis') return send(res, 200, apiGroupList());
    if (path === '/openapi/v3') return send(res, 200, openApiRoot());
    if (path.startsWith('/openapi/v3/')) return sendOpenApi(res, path.slice('/openapi/v3/'.length), q.get('hash'));
    if (path === '/openapi/v2' || path === '/swagger-2.0.0.pb-v1' || path.startsWith('/openapi/')) throw notFoundPath();
    let m: RegExpExecArray | null;
    if ((m = /^\/apis\/([^/]+)$/.exec(path))) {
      const g = apiGroup(m[1]);
      if (!g) throw notFoundPath();
      return send(res, 200, g);
    }
    if (path === '/api/v1' || (m = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path))) {
      const list = path === '/api/v1' ? apiResourceList('', 'v1') : apiResourceList(m![1], m![2]);
      if (!list) throw notFoundPath();
      return send(res, 200, list);
    }
    if (isExecPath(path)) {
      // Reaching here means no websocket upgrade happened: planExec answers with the reason.
      planExec(req, url, { store, users, exec: opts.exec });
      throw badRequest('Upgrade request required');
    }

    if (!r) throw notFoundPath();

    const review = findReview(r.group, r.resource);
    if (review) {
      if (r.name || r.subresource || review.namespaced !== (r.namespace !== undefined)) throw notFoundPath();
      if (method !== 'POST')
        throw status(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`, {});
      authorize(user, { verb: 'create', resource: r.resource, group: r.group, namespace: r.namespace }, store);
      const x = serveReview(review, await readBody(req, limit), { store, users, user, namespace: r.namespace });
      return send(res, x.code, x.body);
    }

    const info = lookupResource(r.group, r.resource);
    if (!info) throw notFoundPath();
    if (info.namespaced !== (r.namespace !== undefined) && (r.name || !info.namespaced)) throw notFoundPath();
    if (info.namespaced && !r.namespace && method !== 'GET') throw notFoundPath();
    if (r.subresource && !(r.subresource === 'status' && info.statusSubresource)) throw notFoundPath();
    const t: crud.Target = {
      info,
      namespace: r.namespace,
      name: r.name,
      subresource: r.subresource as 'status' | undefined,
    };

    const isWatch = boolParam(q.get('watch'));
    const verb = r.name
      ? ({ GET: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' } as Record<string, string>)[method]
      : ({ GET: isWatch ? 'watch' : 'list', POST: 'create', DELETE: 'deletecollection' } as Record<string, string>)[
          method
        ];
    if (!verb) throw methodNotAllowed(info, method);
    authorize(
      user,
      {
        verb,
        resource: info.name,
        subresource: r.subresource,
        group: info.group,
        namespace: r.namespace,
        name: r.name,
      },
      store,
    );

    const table = wantsTable(req.headers.accept);
    const includeParam = q.get('includeObject');
    const include: IncludeObject = includeParam === 'None' || includeParam === 'Object' ? includeParam : 'Metadata';
    const reply = (x: crud.Reply) => send(res, x.code, x.body, x.warnings);
    const dryRunValues = q.getAll('dryRun');
    for (const d of dryRunValues)
      if (d !== 'All') throw badRequest(`dryRun: Unsupported value: "${d}": supported values: "All"`);
    const write: crud.WriteOptions = {
      dryRun: dryRunValues.length > 0,
      validation: fieldValidationParam(q.get('fieldValidation')),
      contentType: req.headers['content-type'],
    };

    switch (verb) {
      case 'get': {
        const o = crud.getOne(store, t);
        return send(res, 200, table ? toTable(info.name, [o], o.metadata.resourceVersion ?? '', { include }) : o);
      }
      case 'list':
      case 'watch':
      case 'deletecollection': {
        const labels = parseLabelSelector(q.get('labelSelector'));
        const fields = parseFieldSelector(info.name, q.get('fieldSelector'));
        const match = (o: import('../types').KubeObject) => labels(o) && fields(o);
        if (verb === 'deletecollection') return reply(crud.removeCollection(store, t, match, write));
        if (verb === 'watch') {
          const ts = q.get('timeoutSeconds');
          if (ts !== null && !/^\d+$/.test(ts)) throw badRequest(`invalid timeoutSeconds "${ts}"`);
          return serveWatch(
            req,
            res,
            store,
            history,
            {
              info,
              namespace: r.namespace,
              match,
              resourceVersion: q.get('resourceVersion'),
              timeoutSeconds: ts === null ? undefined : Number(ts),
              bookmarks: boolParam(q.get('allowWatchBookmarks')),
              table,
              include,
              bookmarkIntervalMs: opts.bookmarkIntervalMs,
            },
            track,
          );
        }
        const continueToken = q.get('continue');
        if (continueToken !== null && q.get('resourceVersion'))
          throw badRequest('specifying resource version is not allowed when using continue');
        const page = listPage(
          {
            info,
            namespace: r.namespace,
            match,
            selective: !!(q.get('labelSelector') || q.get('fieldSelector')),
            limit: limitParam(q.get('limit')),
            continueToken,
          },
          store.resourceVersion(),
          () => store.list(info.name),
          (since) => history(info.name, since),
        );
        const body: { metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number } } = table
          ? toTable(info.name, page.items, page.resourceVersion, { include })
          : crud.listBody(info, page.items, page.resourceVersion);
        if (page.continue) body.metadata.continue = page.continue;
        if (page.remainingItemCount !== undefined) body.metadata.remainingItemCount = page.remainingItemCount;
        return send(res, 200, body);
      }
      case 'create':
        return reply(crud.create(store, t, await readBody(req, limit), write));
      case 'update':
        return reply(crud.update(store, t, await readBody(req, limit), write));
      case 'patch':
        return reply(crud.patch(store, t, req.headers['content-type'], await readBody(req, limit), write));
      case 'delete':
        return reply(crud.remove(store, t, await readBody(req, limit), write));
    }
  }

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch((e: unknown) => {
      const s = e instanceof StatusError ? e.status : internalError((e as Error)?.message ?? String(e));
      if (!(e instanceof StatusError)) console.error('simulator: request failed:', req.method, req.url, e);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // Drain an unread body so the connection stays usable.
      req.resume();
      send(res, s.code, s);
    });
  };
  const server = opts.tls
    ? createTlsServer({ key: opts.tls.key, cert: opts.tls.cert, maxHeaderSize: MAX_HEADER_BYTES }, handler)
    : createServer({ maxHeaderSize: MAX_HEADER_BYTES }, handler);
  // Watches stay open for as long as the client wants: no request timeout.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 65_000;
  server.on('upgrade', (req, socket, head) => {
    try {
      const url = new URL(req.url ?? '/', 'http://sim.local');
      if (isExecPath(url.pathname)) return execUpgrade.handle(req, socket, head, url);
      const body = JSON.stringify(notFoundPath().status);
      socket.end(
        `HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    } catch (e) {
      console.error('simulator: upgrade failed:', e);
      socket.destroy();
    }
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // Go's server answers over-long headers with 431 and this text.
    if (socket.writable && err.code === 'HPE_HEADER_OVERFLOW')
      socket.end(
        'HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n431 Request Header Fields Too Large',
      );
    else if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `${opts.tls ? 'https' : 'http'}://${shownHost}:${port}`,
    port,
    async close() {
      for (const close of [...watches]) close();
      execUpgrade.close();
      rbac.stop();
      fallback?.unsubscribe();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
