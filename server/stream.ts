// /api/stream: Server-Sent Events. `change` {kind, name} coalesced to at most one per object per 250 ms (the last
// one always arrives), `status` on connect and whenever the connection to the cluster changes, a heartbeat every 15 s.
import type { ChangeNotice } from '../lib/api/types';
import type { ClusterCache } from './cache';

export const COALESCE_MS = 250;
export const HEARTBEAT_MS = 15_000;

/** The stream for one client; `kinds` limits the change notices to what the client's user may see (default: all). */
export function eventStream(req: Request, cache: ClusterCache, kinds?: Set<ChangeNotice['kind']>): Response {
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
      const unsubscribe = cache.subscribe(onChange);
      const unStatus = cache.onStatus((s) => send('status', s));
      cleanup = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        unStatus();
        clearInterval(heartbeat);
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
