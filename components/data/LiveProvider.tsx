'use client';
// The query client plus the one EventSource on /api/stream. Change notices invalidate the matching queries, so
// every page follows the cluster without polling; `status` notices and 503s drive the "cluster unreachable" banner.
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ChangeNotice, ClusterStatusNotice } from '@/lib/api/types';
import { ApiFailure } from './fetcher';
import { keysFor } from './invalidate';

export interface Connectivity {
  /** The EventSource is open. */
  stream: boolean;
  /** The console server is in touch with the cluster. */
  cluster: boolean;
  message: string | null;
}

const ConnectivityContext = createContext<Connectivity>({ stream: true, cluster: true, message: null });
export const useConnectivity = () => useContext(ConnectivityContext);

export function LiveProvider({ children }: { children: ReactNode }) {
  const [conn, setConn] = useState<Connectivity>({ stream: true, cluster: true, message: null });
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
    // Notices arrive in bursts during a rollout (thousands of nodes): gather the keys they touch and refetch each
    // once per short window instead of once per notice.
    const pending = new Map<string, readonly unknown[]>();
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      flushTimer = undefined;
      for (const key of pending.values()) void client.invalidateQueries({ queryKey: key });
      pending.clear();
    };
    const open = () => {
      es = new EventSource('/api/stream');
      es.onopen = () => {
        setConn((c) => ({ ...c, stream: true }));
        // After an outage anything may have changed: refetch what is on screen.
        if (wasDown) void client.invalidateQueries();
        wasDown = false;
      };
      es.addEventListener('change', (ev) => {
        try {
          const notice = JSON.parse((ev as MessageEvent<string>).data) as ChangeNotice;
          for (const key of keysFor(notice)) pending.set(JSON.stringify(key), key);
          flushTimer ??= setTimeout(flush, 150);
        } catch {
          // A malformed notice is ignored; the next one will refresh the view.
        }
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
        setConn((c) => ({ ...c, stream: false }));
        if (es?.readyState === EventSource.CLOSED) {
          es.close();
          retry = setTimeout(open, 2000);
        }
      };
    };
    open();
    return () => {
      clearTimeout(retry);
      clearTimeout(flushTimer);
      es?.close();
    };
  }, [client]);

  return (
    <QueryClientProvider client={client}>
      <ConnectivityContext.Provider value={conn}>{children}</ConnectivityContext.Provider>
    </QueryClientProvider>
  );
}
