// /api/stream: Server-Sent Events. `change` {kind, name} coalesced to at most one per object per 250 ms (the last
// one always arrives), `status` on connect and whenever the connection to the cluster changes, a heartbeat every 15 s.
// With forwarded users the kinds a stream carries are re-checked while it is open (PLUMB_STREAM_RECHECK_MS, 60 s by
// default), so a user whose role binding or token is revoked stops receiving within that time.
import type { ChangeNotice } from '../lib/api/types';
import type { ClusterCache } from './cache';
import { toApiFailure } from './errors';

export const COALESCE_MS = 250;
export const HEARTBEAT_MS = 15_000;

export type Kinds = Set<ChangeNotice['kind']>;

export interface StreamRecheck {
  /** The kinds the user may see now; throws (401/403) when the user may no longer use the console at all. */
  kinds: () => Promise<Kinds>;
  everyMs: number;
}

/**
 * The stream for one client; `kinds` limits the change notices to what the client's user may see (default: all),
 * and `recheck` refreshes that set while the stream is open. A token the cluster now rejects (401), or a user who
 * may see none of the kinds, ends the stream; a check that fails for another reason (cluster unreachable) keeps the
 * last answer until the next one.
 */
export function eventStream(req: Request, cache: ClusterCache, kinds?: Kinds, recheck?: StreamRecheck): Response {
  const enc = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const write = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(enc.encode(text));
        } catch {
          cleanup();
        }
      };
      const send = (event: string, data: unknown) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

      const lastSent = new Map<string, number>();
      const pending = new Map<string, NodeJS.Timeout>();
      const onChange = (n: ChangeNotice) => {
        if (kinds && !kinds.has(n.kind)) return;
        const key = `${n.kind}/${n.name}`;
        if (pending.has(key)) return; // a send is already scheduled for this object
        const wait = (lastSent.get(key) ?? 0) + COALESCE_MS - Date.now();
        const fire = () => {
          pending.delete(key);
          lastSent.set(key, Date.now());
          send('change', n);
        };
        if (wait <= 0) fire();
        else pending.set(key, setTimeout(fire, wait));
      };
      const heartbeat = setInterval(() => {
        write(`: heartbeat ${new Date().toISOString()}\n\n`);
        const old = Date.now() - COALESCE_MS * 4;
        for (const [k, t] of lastSent) if (t < old) lastSent.delete(k);
      }, HEARTBEAT_MS);
      let checking = false;
      const recheckTimer = recheck
        ? setInterval(() => {
            if (checking || closed) return;
            checking = true;
            recheck
              .kinds()
              .then(
                (now) => {
                  kinds = now;
                  if (now.size === 0) cleanup();
                },
                (err) => {
                  const status = toApiFailure(err).status;
                  if (status === 401 || status === 403) cleanup();
                },
              )
              .finally(() => (checking = false));
          }, recheck.everyMs)
        : null;
      const unsubscribe = cache.subscribe(onChange);
      const unStatus = cache.onStatus((s) => send('status', s));
      cleanup = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        unStatus();
        clearInterval(heartbeat);
        if (recheckTimer) clearInterval(recheckTimer);
        for (const t of pending.values()) clearTimeout(t);
        pending.clear();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      req.signal.addEventListener('abort', () => cleanup());
      write('retry: 2000\n\n');
      send('status', cache.getStatus());
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
}
