// Watch streams: resume from a resourceVersion (or start with synthetic ADDED events), selector transitions,
// 410 ERROR for too-old versions, bookmarks, timeoutSeconds, and Table-encoded events for kubectl.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject, Store, StoreEvent } from '../types';
import type { HistoryResult } from '../store';
import { apiVersionOf, type ResourceInfo } from './resources';
import type { Predicate } from './selectors';
import { badRequest, expired } from './status';
import { toTable, type IncludeObject } from './tables';

export interface WatchOptions {
  info: ResourceInfo;
  namespace?: string;
  match: Predicate;
  resourceVersion: string | null;
  timeoutSeconds?: number;
  bookmarks: boolean;
  table: boolean;
  include: IncludeObject;
  /** How often a bookmark is sent when bookmarks are allowed. */
  bookmarkIntervalMs?: number;
}

type History = (resource: StoreEvent['resource'], rv: number) => HistoryResult;

const MAX_BUFFERED = 64 * 1024 * 1024;

type WireType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export function serveWatch(
  req: IncomingMessage,
  res: ServerResponse,
  store: Store,
  history: History,
  o: WatchOptions,
  track: (close: () => void) => () => void,
): void {
  const { info } = o;
  let from: number | undefined;
  if (o.resourceVersion && o.resourceVersion !== '0') {
    if (!/^\d+$/.test(o.resourceVersion)) throw badRequest(`invalid resource version "${o.resourceVersion}"`);
    from = Number(o.resourceVersion);
  }
  const inScope = (obj: KubeObject) => !o.namespace || obj.metadata.namespace === o.namespace;
  let columnsSent = false;
  const encode = (type: WireType, object: unknown): string => {
    if (o.table && (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED')) {
      const obj = object as KubeObject;
      const t = toTable(info.name, [obj], obj.metadata.resourceVersion ?? '', {
        include: o.include,
        withColumns: !columnsSent,
      });
      columnsSent = true;
      return JSON.stringify({ type, object: t }) + '\n';
    }
    return JSON.stringify({ type, object }) + '\n';
  };

  // Map one store event through namespace and selectors: ADDED when an object starts matching, DELETED (previous
  // content, the new RV) when it stops, MODIFIED while it keeps matching.
  const translate = (e: StoreEvent): [WireType, KubeObject] | undefined => {
    if (e.resource !== info.name) return undefined;
    const now = inScope(e.object) && o.match(e.object);
    const before = e.previous ? inScope(e.previous) && o.match(e.previous) : false;
    if (e.type === 'ADDED') return now ? ['ADDED', e.object] : undefined;
    if (e.type === 'DELETED') return before || now ? ['DELETED', e.object] : undefined;
    if (now && before) return ['MODIFIED', e.object];
    if (now) return ['ADDED', e.object];
    if (before) {
      const gone = {
        ...e.previous!,
        metadata: { ...e.previous!.metadata, resourceVersion: String(e.resourceVersion) },
      };
      return ['DELETED', gone];
    }
    return undefined;
  };

  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();
  req.socket.setKeepAlive(true, 30_000);
  req.socket.setNoDelay(true);

  // Computing the starting point and subscribing happen in the same tick: store writes are synchronous, so no
  // event can fall between them.
  let initial: string[] = [];
  if (from === undefined) {
    initial = store
      .list(info.name, info.namespaced ? o.namespace : undefined)
      .filter((x) => inScope(x) && o.match(x))
      .map((x) => encode('ADDED', x));
  } else {
    const h = history(info.name, from);
    if ('expired' in h) {
      res.end(JSON.stringify({ type: 'ERROR', object: expired(from, h.oldest).status }) + '\n');
      return;
    }
    for (const e of h.events) {
      const t = translate(e);
      if (t) initial.push(encode(t[0], t[1]));
    }
  }

  let closed = false;
  const unsubscribe = store.subscribe((e) => {
    if (closed) return;
    const t = translate(e);
    if (!t) return;
    res.write(encode(t[0], t[1]));
    // A client that stops reading would make the server buffer forever: end its stream, it re-watches.
    if (res.writableLength > MAX_BUFFERED) finish();
  });
  let bookmarkTimer: NodeJS.Timeout | undefined;
  let timeout: NodeJS.Timeout | undefined;
  const bookmark = () =>
    res.write(
      encode('BOOKMARK', {
        kind: info.kind,
        apiVersion: apiVersionOf(info),
        metadata: { resourceVersion: String(store.resourceVersion()) },
      }),
    );
  const finish = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    untrack();
    clearInterval(bookmarkTimer);
    clearTimeout(timeout);
    if (!res.writableEnded) res.end();
  };
  const untrack = track(finish);
  req.on('close', finish);
  res.on('close', finish);
  res.on('error', finish);

  for (const line of initial) res.write(line);
  if (o.bookmarks) {
    bookmarkTimer = setInterval(bookmark, o.bookmarkIntervalMs ?? 15_000);
    bookmarkTimer.unref?.();
  }
  if (o.timeoutSeconds !== undefined && o.timeoutSeconds > 0) {
    timeout = setTimeout(() => {
      if (o.bookmarks && !closed) bookmark();
      finish();
    }, o.timeoutSeconds * 1000);
  }
}
