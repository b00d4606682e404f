// /api/stream: Server-Sent Events, in two forms.
//
// `/api/stream?v=2&pool=P&node=N` (what the browser opens; pool and node repeat): `hello` first, then `delta`
// events (lib/api/types.ts StreamDelta) carrying what changed in the views the client shows: every pool's summary
// (counts, conditions), the rows and events of the watched pools, and notices for the watched nodes' pages. What a
// client receives scales with what it shows, not with the cluster: a pool page during a rollout gets one row patch
// per changing node per second at most, instead of every Node object the cluster's watch sends. Each delta is
// numbered per stream; when a slow reader lets the queue grow, messages are dropped and the gap in the numbers
// tells the browser to fetch again. (Not gzipped: Next's route responses lose a `content-encoding` header set here,
// and the browser would read the compressed bytes as text.)
//
// `/api/stream` (no `v`): the first form, kept for scripts: `change` {kind, name} for every object, coalesced to at
// most one per object per 250 ms (the last one always arrives).
//
// Both send `status` on connect and whenever the connection to the cluster changes, and a heartbeat every 15 s.
// With forwarded users the kinds a stream carries are re-checked while it is open (PLUMB_STREAM_RECHECK_MS, 60 s by
// default), so a user whose role binding or token is revoked stops receiving within that time.
import 'server-only';
import type {
  ChangeNotice,
  EventItem,
  NodeRowPatch,
  PoolPagePatch,
  PoolSummaryPatch,
  StreamDelta,
  StreamHello,
} from '../lib/api/types';
import { indexPatch, mergePatch } from '../lib/api/patch';
import { randomUUID } from 'node:crypto';
import type { CacheChange, ClusterCache } from './cache';
import { ApiFailure, toApiFailure } from './errors';
import { processSingleton } from './singleton';
import { poolNode } from './views/pools';

export const COALESCE_MS = 250;
export const HEARTBEAT_MS = 15_000;
/** A delta gathers what changed within this window, so a burst is one message. */
export const BATCH_MS = 100;
/** At most one row patch per node per this long (a node's 14 updates in a second become one). */
export const ROW_MS = 1000;
/** At most one summary patch per pool per this long. */
export const POOL_MS = 500;
/** Messages a reader may leave unread before the stream drops messages (and the gap makes it refetch). */
export const MAX_QUEUED = 200;

type Kind = ChangeNotice['kind'];
export type Kinds = Set<Kind>;

export interface StreamRecheck {
  /** The kinds the user may see now; throws (401/403) when the user may no longer use the console at all. */
  kinds: () => Promise<Kinds>;
  everyMs: number;
}

/** What a delta stream watches, from its query (`pool` and `node` repeat; at most 20 of each). */
export function streamScope(url: URL): { pools: Set<string>; nodes: Set<string> } | null {
  if (url.searchParams.get('v') !== '2') return null;
  const names = (k: string) =>
    new Set(
      url.searchParams
        .getAll(k)
        .filter((s) => /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(s))
        .slice(0, 20),
    );
  return { pools: names('pool'), nodes: names('node') };
}

/** At most this many names in one posted view (a table's rows on screen and its overscan are far fewer). */
export const MAX_VIEW = 200;

/**
 * The open delta streams by id, with the identity key of their user: `POST /api/stream/view` finds them here. Its
 * route is bundled apart from the stream's, so the map is process-wide (server/singleton.ts).
 */
const openStreams = () =>
  processSingleton(
    'openStreams',
    () => new Map<string, { owner: string; view: (pool: string, names: string[]) => void }>(),
  );

/**
 * The rows of `pool` a page has on screen (lib/api/types.ts StreamViewBody). Only the stream's own user may set it:
 * anyone else, or a stream that has closed, gets 404 (the page then waits for its next hello).
 */
export function setStreamView(id: string, owner: string, pool: string, names: string[]): void {
  const s = openStreams().get(id);
  if (!s || s.owner !== owner) throw new ApiFailure(404, 'not_found', 'no such stream (it may have closed)');
  s.view(pool, names.slice(0, MAX_VIEW));
}

interface Sink {
  write(text: string): void;
  /** Messages queued and not yet read by the client. */
  backlog(): number;
}

/**
 * The stream for one client; `kinds` limits what it carries to what the client's user may see (default: all), and
 * `recheck` refreshes that set while the stream is open. A token the cluster now rejects (401), or a user who may
 * see none of the kinds, ends the stream; a check that fails for another reason (cluster unreachable) keeps the
 * last answer until the next one.
 */
export function eventStream(
  req: Request,
  cache: ClusterCache,
  kinds?: Kinds,
  recheck?: StreamRecheck,
  owner = 'kubeconfig',
): Response {
  const scope = streamScope(new URL(req.url));
  const streamId = randomUUID();
  const may = (k: Kind) => !kinds || kinds.has(k);
  const enc = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const enqueue = (bytes: Uint8Array) => {
        if (closed) return;
        try {
          controller.enqueue(bytes);
        } catch {
          cleanup();
        }
      };
      const sink: Sink = {
        write(text) {
          enqueue(enc.encode(text));
        },
        backlog: () => -(controller.desiredSize ?? 0),
      };
      const send = (event: string, data: unknown) => sink.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

      const onChange = scope ? deltaSender(cache, scope, may, sink, send) : noticeSender(may, send);
      if (scope && onChange.view) openStreams().set(streamId, { owner, view: onChange.view });
      const heartbeat = setInterval(() => {
        sink.write(`: heartbeat ${new Date().toISOString()}\n\n`);
        onChange.prune();
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
      const unsubscribe = cache.subscribe(onChange.change);
      const unStatus = cache.onStatus((s) => send('status', s));
      cleanup = () => {
        if (closed) return;
        closed = true;
        openStreams().delete(streamId);
        unsubscribe();
        unStatus();
        clearInterval(heartbeat);
        if (recheckTimer) clearInterval(recheckTimer);
        onChange.stop();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      req.signal.addEventListener('abort', () => cleanup());
      sink.write('retry: 2000\n\n');
      if (scope) {
        const hello: StreamHello = {
          id: streamId,
          epoch: cache.epoch,
          gen: cache.generation,
          pools: [...scope.pools],
          nodes: [...scope.nodes],
        };
        send('hello', hello);
      }
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

interface Sender {
  change(c: CacheChange): void;
  /** The delta form: set the rows of a pool the page has on screen. */
  view?(pool: string, names: string[]): void;
  /** Forget old send times (every heartbeat). */
  prune(): void;
  stop(): void;
}

/** The first form: `change` {kind, name} per object, at most one per object per COALESCE_MS. */
function noticeSender(may: (k: Kind) => boolean, send: (event: string, data: unknown) => void): Sender {
  const lastSent = new Map<string, number>();
  const pending = new Map<string, NodeJS.Timeout>();
  return {
    change(c) {
      if (!may(c.kind)) return;
      const n: ChangeNotice = { kind: c.kind, name: c.name };
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
    },
    prune() {
      const old = Date.now() - COALESCE_MS * 4;
      for (const [k, t] of lastSent) if (t < old) lastSent.delete(k);
    },
    stop() {
      for (const t of pending.values()) clearTimeout(t);
      pending.clear();
    },
  };
}

/** The delta form: gather a stream's share of each change, and send it as numbered `delta` messages. */
function deltaSender(
  cache: ClusterCache,
  scope: { pools: Set<string>; nodes: Set<string> },
  may: (k: Kind) => boolean,
  sink: Sink,
  send: (event: string, data: unknown) => void,
): Sender {
  let seq = 0;
  // Each held item keeps the generation of its newest change (StreamDelta: a reply that new already holds it).
  const rows = new Map<string, { pool: string; set: NodeRowPatch; gen: number; due: number }>();
  const pools = new Map<string, { set?: PoolSummaryPatch; page?: PoolPagePatch; gen: number; due: number }>();
  /** Per watched pool, the rows the page has on screen, once it has said (until then every row goes whole). */
  const views = new Map<string, Set<string>>();
  /** Rows out of view that missed fields beyond the index ones: sent whole when they come into view. */
  const missed = new Set<string>();
  const events = new Map<string, { pool: string; gen: number; item: EventItem }>();
  const changed = new Map<string, ChangeNotice>();
  const stalePools = new Set<string>();
  let staleOverview = false;
  const rowSent = new Map<string, number>();
  const poolSent = new Map<string, number>();
  let timer: NodeJS.Timeout | null = null;
  let timerAt = Infinity;

  /** One timer, at the earliest due item but no sooner than BATCH_MS from now (a burst becomes one message). */
  const schedule = (due: number) => {
    if (due === Infinity) return;
    const at = Math.max(Date.now() + BATCH_MS, due);
    if (timer && timerAt <= at) return;
    if (timer) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(flush, at - Date.now());
  };
  /** The earliest due item still queued (after a flush). */
  const earliest = () => {
    let due = Infinity;
    if (events.size || changed.size || stalePools.size || staleOverview) due = 0;
    for (const r of rows.values()) due = Math.min(due, r.due);
    for (const p of pools.values()) due = Math.min(due, p.due);
    return due;
  };

  const flush = () => {
    timer = null;
    timerAt = Infinity;
    const now = Date.now();
    const d: StreamDelta = { seq: ++seq, gen: cache.generation };
    for (const [name, r] of rows) {
      if (r.due > now) continue;
      (d.rows ??= []).push({ name, pool: r.pool, gen: r.gen, set: r.set });
      rows.delete(name);
      rowSent.set(name, now);
    }
    for (const [name, p] of pools) {
      if (p.due > now) continue;
      (d.pools ??= []).push({
        name,
        gen: p.gen,
        ...(p.set ? { set: p.set } : {}),
        ...(p.page ? { page: p.page } : {}),
      });
      pools.delete(name);
      poolSent.set(name, now);
    }
    if (events.size) d.events = [...events.values()];
    if (changed.size) d.changed = [...changed.values()];
    if (stalePools.size || staleOverview)
      d.stale = {
        ...(stalePools.size ? { pools: [...stalePools] } : {}),
        ...(staleOverview ? { overview: true } : {}),
      };
    events.clear();
    changed.clear();
    stalePools.clear();
    staleOverview = false;
    if (d.rows || d.pools || d.events || d.changed || d.stale) {
      // A reader this far behind gets a gap in `seq` instead of an ever longer queue: it refetches what it shows.
      if (sink.backlog() <= MAX_QUEUED) send('delta', d);
    } else seq--;
    schedule(earliest());
  };

  const due = (sent: Map<string, number>, key: string, every: number) =>
    Math.max(Date.now(), (sent.get(key) ?? 0) + every);

  return {
    change(c) {
      if (!may(c.kind)) return;
      const gen = cache.generation;
      let at = 0;
      switch (c.kind) {
        case 'Node':
          if (c.row && scope.pools.has(c.row.pool)) {
            let set = c.row.set;
            const view = views.get(c.row.pool);
            if (view && !view.has(c.name)) {
              const cut = indexPatch(set);
              if (cut.dropped) missed.add(c.name);
              set = cut.set;
            }
            if (Object.keys(set).length) {
              const q = rows.get(c.name);
              at = q?.due ?? due(rowSent, c.name, ROW_MS);
              rows.set(c.name, { pool: c.row.pool, set: mergePatch(q?.set, set), gen, due: at });
            }
          }
          for (const p of c.members ?? []) if (scope.pools.has(p)) stalePools.add(p);
          if (c.attention) staleOverview = true;
          if (scope.nodes.has(c.name)) changed.set(`Node/${c.name}`, { kind: 'Node', name: c.name });
          break;
        case 'MachineConfigPool':
          if (c.summary || c.page) {
            const q = pools.get(c.name);
            at = q?.due ?? due(poolSent, c.name, POOL_MS);
            const set = c.summary ? mergePatch(q?.set, c.summary) : q?.set;
            pools.set(c.name, { set, page: c.page ?? q?.page, gen, due: at });
          }
          for (const p of c.members ?? []) if (scope.pools.has(p)) stalePools.add(p);
          if (c.reshaped) changed.set(`MachineConfigPool/${c.name}`, { kind: 'MachineConfigPool', name: c.name });
          break;
        case 'Event':
          if (c.event && scope.pools.has(c.event.pool)) {
            if (c.event.item) events.set(c.event.item.id ?? '', { pool: c.event.pool, gen, item: c.event.item });
            else stalePools.add(c.event.pool);
          }
          if (scope.nodes.has(c.name)) changed.set(`Event/${c.name}`, { kind: 'Event', name: c.name });
          break;
        case 'MachineConfigNode':
          if (scope.nodes.has(c.name)) changed.set(`MachineConfigNode/${c.name}`, { kind: c.kind, name: c.name });
          break;
        case 'MachineConfig':
          changed.set(`MachineConfig/${c.name}`, { kind: c.kind, name: c.name });
          break;
      }
      // Notices and stale views go out with the next batch; a held row or pool at its own time.
      schedule(events.size || changed.size || stalePools.size || staleOverview ? 0 : at || Infinity);
    },
    view(pool, names) {
      if (!scope.pools.has(pool)) return;
      const view = new Set(names);
      views.set(pool, view);
      // Rows coming into view that missed fields while out of it: send them whole now.
      const gen = cache.generation;
      for (const name of view) {
        if (!missed.has(name)) continue;
        missed.delete(name);
        const node = cache.nodes.get(name);
        if (!node || cache.poolOf(name) !== pool) continue;
        const { name: _name, ...set } = poolNode(node);
        rows.set(name, { pool, set: mergePatch(rows.get(name)?.set, set), gen, due: Date.now() });
      }
      schedule(0);
    },
    prune() {
      const old = Date.now() - ROW_MS * 2;
      for (const [k, t] of rowSent) if (t < old) rowSent.delete(k);
      for (const [k, t] of poolSent) if (t < old) poolSent.delete(k);
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
