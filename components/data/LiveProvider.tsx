'use client';
// The query client plus the one EventSource on /api/stream?v=2, scoped to the pools and nodes the page shows. Its
// `delta` messages patch the replies held in the query cache in place (rows, pool counts, pool events: see
// lib/api/patch.ts); whole views are fetched again only after a gap in the message numbers, a reconnect, or a change
// the server says it cannot patch (a pool's node list, the overview's attention list, a watched node's page).
// `status` notices and 503s drive the "cluster unreachable" banner.
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { applyToPool, applyToPools, coveredBy } from '@/lib/api/patch';
import type { CacheRev, ClusterStatusNotice, PoolReply, PoolsReply, StreamDelta, StreamHello } from '@/lib/api/types';
import { ApiFailure } from './fetcher';
import { keysForDelta, streamScope, streamUrl } from './invalidate';
import { keys } from './keys';

export interface Connectivity {
  /** The EventSource is open. */
  stream: boolean;
  /** The console server is in touch with the cluster. */
  cluster: boolean;
  message: string | null;
}

const ConnectivityContext = createContext<Connectivity>({ stream: true, cluster: true, message: null });
export const useConnectivity = () => useContext(ConnectivityContext);

/** Tell the stream which rows of a pool are on screen (lib/api/types.ts StreamViewBody). */
type SetView = (pool: string, names: string[]) => void;
const StreamViewContext = createContext<SetView>(() => {});
export const useStreamView = () => useContext(StreamViewContext);

/** A view is posted this long after the table last scrolled, so a scroll is one request. */
const VIEW_DEBOUNCE_MS = 150;

/** Deltas kept for replay onto late replies (a few seconds of a rollout). */
const REPLAY_KEPT = 100;

export function LiveProvider({ children }: { children: ReactNode }) {
  const [conn, setConn] = useState<Connectivity>({ stream: true, cluster: true, message: null });
  // The rows on screen per pool, posted to the open stream (again after each hello: a new stream knows none). Kept
  // here, not in the stream's effect: a table rendered with the page's first screen reports its rows in its own
  // effect, which runs before this provider's.
  const [views] = useState(() => new Map<string, string>());
  const [unposted] = useState(() => new Set<string>());
  const postRef = useRef(() => {});
  const setView = useMemo<SetView>(
    () => (pool, names) => {
      const key = JSON.stringify(names);
      if (views.get(pool) === key) return;
      views.set(pool, key);
      unposted.add(pool);
      postRef.current();
    },
    [views, unposted],
  );
  const client = useMemo(
    () =>
      new QueryClient({
        queryCache: new QueryCache({
          onError: (err) => {
            if (err instanceof ApiFailure && err.code === 'cluster_unreachable')
              setConn((c) => ({ ...c, cluster: false, message: err.message }));
          },
          onSuccess: () => setConn((c) => (c.cluster ? c : { ...c, cluster: true, message: null })),
        }),
        defaultOptions: {
          queries: {
            staleTime: 60_000,
            refetchOnWindowFocus: false,
            retry: (n, err) => n < 2 && !(err instanceof ApiFailure && [400, 401, 403, 404, 422].includes(err.status)),
          },
        },
      }),
    [],
  );

  useEffect(() => {
    let es: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let wasDown = false;
    let epoch: string | null = null;
    let lastSeq = 0;
    let helloGen = 0;
    /** The newest generation the stream has told of: a reply older than it misses what the stream already said. */
    let streamGen = 0;
    /** The stream's recent deltas, to replay onto a reply that lands older than them. */
    let recent: StreamDelta[] = [];
    let trimmed = false;
    let openedAt = 0;
    let scope = { pools: [] as string[], nodes: [] as string[] };
    let scopeKey = '';
    let streamId: string | null = null;
    let viewTimer: ReturnType<typeof setTimeout> | undefined;
    const postViews = () => {
      viewTimer = undefined;
      if (!streamId) return;
      for (const pool of unposted) {
        if (!scope.pools.includes(pool)) continue;
        const names = JSON.parse(views.get(pool) ?? '[]') as string[];
        void fetch('/api/stream/view', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id: streamId, pool, names }),
        }).catch(() => {
          // The stream closed or the console restarted: the next hello posts the views again.
        });
      }
      unposted.clear();
    };
    postRef.current = () => {
      viewTimer ??= setTimeout(postViews, VIEW_DEBOUNCE_MS);
    };
    // Notices arrive in bursts: gather the keys they touch and refetch each once per short window.
    const pending = new Map<string, readonly unknown[]>();
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      flushTimer = undefined;
      for (const key of pending.values()) void client.invalidateQueries({ queryKey: key });
      pending.clear();
    };
    const refetch = (key: readonly unknown[]) => {
      pending.set(JSON.stringify(key), key);
      flushTimer ??= setTimeout(flush, 150);
    };

    const onDelta = (d: StreamDelta) => {
      if (d.seq !== lastSeq + 1) {
        // A message was dropped (the server's queue for this page overflowed): patches would drift, fetch again.
        lastSeq = d.seq;
        void client.invalidateQueries();
        return;
      }
      lastSeq = d.seq;
      streamGen = Math.max(streamGen, d.gen);
      recent.push(d);
      if (recent.length > REPLAY_KEPT) {
        recent = recent.slice(-REPLAY_KEPT);
        trimmed = true;
      }
      if (d.pools?.length) client.setQueryData<PoolsReply>(keys.pools, (old) => old && applyToPools(old, d, epoch));
      for (const pool of scope.pools)
        client.setQueryData<PoolReply>(keys.pool(pool), (old) => old && applyToPool(old, d, epoch));
      for (const n of d.changed ?? []) for (const key of keysForDelta(n)) refetch(key);
      for (const p of d.stale?.pools ?? []) refetch(keys.pool(p));
      if (d.stale?.overview) refetch(keys.pools);
    };

    const open = () => {
      openedAt = Date.now();
      // A new stream knows no views: they are posted on its hello, not to the id of the stream it replaces (which
      // answers 404 once closed; a page rendered with its first screen sets its view just as it reopens the stream).
      streamId = null;
      es = new EventSource(streamUrl(scope));
      es.onopen = () => {
        setConn((c) => ({ ...c, stream: true }));
        // After an outage anything may have changed: refetch what is on screen.
        if (wasDown) void client.invalidateQueries();
        wasDown = false;
      };
      es.addEventListener('hello', (ev) => {
        try {
          const h = JSON.parse((ev as MessageEvent<string>).data) as StreamHello;
          streamId = h.id;
          for (const pool of views.keys()) unposted.add(pool);
          postViews();
          epoch = h.epoch;
          helloGen = h.gen;
          streamGen = h.gen;
          recent = [];
          trimmed = false;
          lastSeq = 0;
          // Replies fetched before the stream began miss what changed in between: fetch those again.
          for (const key of [keys.pools, ...scope.pools.map(keys.pool)]) {
            const data = client.getQueryData<{ rev?: CacheRev }>(key);
            if (data && !coveredBy(data.rev, epoch, helloGen)) refetch(key);
          }
          for (const n of scope.nodes)
            if ((client.getQueryState(keys.node(n))?.dataUpdatedAt ?? Infinity) < openedAt) refetch(keys.node(n));
        } catch {
          // ignore
        }
      });
      es.addEventListener('delta', (ev) => {
        let d: StreamDelta;
        try {
          d = JSON.parse((ev as MessageEvent<string>).data) as StreamDelta;
        } catch {
          // A malformed message: the next one shows a gap, and the views are fetched again.
          return;
        }
        onDelta(d);
      });
      es.addEventListener('status', (ev) => {
        try {
          const s = JSON.parse((ev as MessageEvent<string>).data) as ClusterStatusNotice;
          setConn((c) => {
            if (s.connected && !c.cluster) void client.invalidateQueries();
            return { ...c, cluster: s.connected, message: s.connected ? null : s.message };
          });
        } catch {
          // ignore
        }
      });
      es.onerror = () => {
        // The browser retries by itself while CONNECTING; when it gives up (CLOSED) reopen with a delay.
        wasDown = true;
        streamId = null; // the browser's reconnect is a new stream on the server: it says hello again
        setConn((c) => ({ ...c, stream: false }));
        if (es?.readyState === EventSource.CLOSED) {
          es.close();
          retry = setTimeout(open, 2000);
        }
      };
    };

    // The stream watches what the page shows (the pools and nodes of the active queries): follow navigation.
    let scopeTimer: ReturnType<typeof setTimeout> | undefined;
    const rescope = () => {
      scopeTimer = undefined;
      const active = client
        .getQueryCache()
        .findAll({ type: 'active' })
        .map((q) => q.queryKey);
      const next = streamScope(active);
      const key = JSON.stringify(next);
      if (key === scopeKey) return;
      const before = scope;
      scope = next;
      scopeKey = key;
      if (!es) return open();
      es.close();
      clearTimeout(retry);
      // What the old stream watched and the new one does not is no longer followed: mark it stale for its return.
      // What both watch may have changed between the two streams: fetch it again.
      for (const p of before.pools)
        void client.invalidateQueries({
          queryKey: keys.pool(p),
          refetchType: next.pools.includes(p) ? 'active' : 'none',
        });
      for (const n of before.nodes)
        for (const k of [keys.node(n), keys.drift(n), keys.fileAll(n)])
          void client.invalidateQueries({ queryKey: k, refetchType: next.nodes.includes(n) ? 'active' : 'none' });
      open();
    };
    const unwatch = client.getQueryCache().subscribe((e) => {
      // A fetched reply that lands older than what the stream already told (it was in flight, or built before the
      // stream began) replaced the patches held before it: replay the recent deltas onto it, or fetch it again when
      // they do not reach back far enough. Our own setQueryData (a patch, a replay) is `manual` and keeps the fetched
      // `rev`: replaying on it again would loop.
      if (e.type === 'updated' && e.action.type === 'success' && !e.action.manual && streamGen) {
        const key = e.query.queryKey;
        const [kind, name] = key;
        const data = e.action.data as { rev?: CacheRev } | undefined;
        if (
          (kind === 'pools' || (kind === 'pool' && scope.pools.includes(name as string))) &&
          data?.rev?.epoch === epoch &&
          data.rev.gen < streamGen
        ) {
          const from = data.rev.gen;
          // Every delta after `from` is kept: none were dropped since the hello, or the oldest kept is not newer.
          if ((!trimmed && from >= helloGen) || (recent.length > 0 && recent[0].gen <= from)) {
            const replay = recent.filter((d) => d.gen > from);
            queueMicrotask(() =>
              client.setQueryData(
                key,
                (old: PoolReply | PoolsReply | undefined) =>
                  old &&
                  replay.reduce<PoolReply | PoolsReply>(
                    (r, d) => ('nodes' in r ? applyToPool(r, d, epoch) : applyToPools(r, d, epoch)),
                    old,
                  ),
              ),
            );
          } else refetch(key);
        }
      }
      if (
        e.type === 'observerAdded' ||
        e.type === 'observerRemoved' ||
        e.type === 'removed' ||
        e.type === 'observerOptionsUpdated'
      )
        scopeTimer ??= setTimeout(rescope, 50);
    });
    rescope();
    if (typeof window !== 'undefined')
      (window as unknown as { plumbQueryClient?: QueryClient }).plumbQueryClient = client;
    return () => {
      unwatch();
      clearTimeout(scopeTimer);
      clearTimeout(retry);
      clearTimeout(flushTimer);
      clearTimeout(viewTimer);
      postRef.current = () => {};
      es?.close();
    };
  }, [client, views, unposted]);

  return (
    <QueryClientProvider client={client}>
      <ConnectivityContext.Provider value={conn}>
        <StreamViewContext.Provider value={setView}>{children}</StreamViewContext.Provider>
      </ConnectivityContext.Provider>
    </QueryClientProvider>
  );
}
