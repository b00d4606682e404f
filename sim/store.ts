// The simulator's versioned object store: objects in memory, one resourceVersion counter (like etcd's revision),
// a ring buffer of recent events per resource for watches that resume from a resourceVersion, and a debounced,
// atomic JSON snapshot on disk so the cluster (and its counter) survive restarts.
//
// Stored objects are deep-frozen and shared: get/list hand out the stored value itself (no copy per read), and
// every write builds a new object, so a 5,000-node cluster never copies the whole store.
import { randomUUID, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hasMetadata, objectOr } from './raw';
import { StoreError, type KubeObject, type Resource, type Store, type StoreEvent } from './types';

export const RESOURCES: readonly Resource[] = [
  'namespaces',
  'nodes',
  'pods',
  'events',
  'machineconfigs',
  'machineconfigpools',
  'machineconfignodes',
  'machineconfigurations',
  'machineosconfigs',
  'machineosbuilds',
  'pinnedimagesets',
  'roles',
  'clusterroles',
  'rolebindings',
  'clusterrolebindings',
];
const NAMESPACED = new Set<Resource>(['pods', 'events', 'roles', 'rolebindings']);

export function isNamespaced(resource: Resource): boolean {
  return NAMESPACED.has(resource);
}

/** How a watch may resume: the events after an RV, or 'expired' when they are no longer kept. */
export type HistoryResult = { events: StoreEvent[] } | { expired: true; oldest: number };

export interface SimStore extends Store {
  /** The events of `resource` with resourceVersion > rv, or expired when the ring buffer no longer reaches back. */
  eventsSince(resource: Resource, rv: number): HistoryResult;
  /** Write the pending snapshot now. */
  flush(): Promise<void>;
  /** Flush and stop the persistence timer; the store stays readable. */
  close(): Promise<void>;
}

export interface StoreOptions {
  dataDir?: string;
  /** Events kept per resource for watch resumption. */
  historySize?: number;
  /** Minimum time between two snapshot writes. */
  persistIntervalMs?: number;
}

interface StateFile {
  version: 1;
  resourceVersion: number;
  objects: Partial<Record<Resource, KubeObject[]>>;
}

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const ka = Object.keys(ra).filter((k) => ra[k] !== undefined);
  const kb = Object.keys(rb).filter((k) => rb[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(rb, k) && deepEqual(ra[k], rb[k]));
}

/** Everything outside metadata and status: a change here bumps metadata.generation. */
function specPart(o: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, ...rest } = o;
  return rest;
}

function key(name: string, namespace?: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** Deep copy of JSON data (much faster than structuredClone for plain objects). */
export function clone<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map(clone) as T;
  const out: Record<string, unknown> = {};
  for (const k in v) if (Object.prototype.hasOwnProperty.call(v, k)) out[k] = clone((v as Record<string, unknown>)[k]);
  return out as T;
}

class Ring {
  private buf: StoreEvent[] = [];
  private start = 0;
  /** The RV of the newest event dropped from the buffer (0: nothing dropped yet). */
  floor: number;
  constructor(
    private size: number,
    floor: number,
  ) {
    this.floor = floor;
  }
  push(e: StoreEvent) {
    if (this.buf.length < this.size) this.buf.push(e);
    else {
      this.floor = this.buf[this.start].resourceVersion;
      this.buf[this.start] = e;
      this.start = (this.start + 1) % this.size;
    }
  }
  since(rv: number): HistoryResult {
    if (rv < this.floor) return { expired: true, oldest: this.floor };
    const out: StoreEvent[] = [];
    for (let i = 0; i < this.buf.length; i++) {
      const e = this.buf[(this.start + i) % this.buf.length];
      if (e.resourceVersion > rv) out.push(e);
    }
    return { events: out };
  }
}

function loadState(path: string): StateFile | undefined {
  if (!existsSync(path)) return undefined;
  const damaged = (why: string) =>
    new Error(
      `The simulator state file ${path} is damaged (${why}). Move it away or delete it to start a fresh cluster; it was left untouched.`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw damaged(`not valid JSON: ${(e as Error).message}`);
  }
  const state = objectOr(parsed);
  if (!state || state.version !== 1) throw damaged('missing or unknown "version"');
  if (
    typeof state.resourceVersion !== 'number' ||
    !Number.isInteger(state.resourceVersion) ||
    state.resourceVersion < 0
  )
    throw damaged('"resourceVersion" is not a non-negative integer');
  if (!state.objects || typeof state.objects !== 'object') throw damaged('missing "objects"');
  for (const [res, list] of Object.entries(state.objects)) {
    if (!RESOURCES.includes(res as Resource)) throw damaged(`unknown resource "${res}"`);
    if (!Array.isArray(list)) throw damaged(`"objects.${res}" is not a list`);
    for (const o of list as unknown[]) {
      if (!hasMetadata(o) || typeof o.metadata.name !== 'string')
        throw damaged(`an object in "objects.${res}" has no metadata.name`);
      if (NAMESPACED.has(res as Resource) && typeof o.metadata.namespace !== 'string')
        throw damaged(`${res} "${o.metadata.name}" has no namespace`);
    }
  }
  return parsed as StateFile;
}

function nowTimestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function createStore(opts: StoreOptions = {}): SimStore {
  const historySize = opts.historySize ?? 4096;
  const interval = opts.persistIntervalMs ?? 500;
  const statePath = opts.dataDir ? join(opts.dataDir, 'state.json') : undefined;
  const data = new Map<Resource, Map<string, KubeObject>>(RESOURCES.map((r) => [r, new Map()]));
  let rv = 0;

  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const loaded = statePath ? loadState(statePath) : undefined;
  if (loaded) {
    rv = loaded.resourceVersion;
    for (const [res, list] of Object.entries(loaded.objects) as [Resource, KubeObject[]][]) {
      const m = data.get(res)!;
      for (const o of list) m.set(key(o.metadata.name, o.metadata.namespace), deepFreeze(o));
    }
  }
  // After a restart nothing older than the loaded counter can be replayed: such watches get 410 and relist.
  const history = new Map<Resource, Ring>(RESOURCES.map((r) => [r, new Ring(historySize, rv)]));
  const listeners = new Set<(e: StoreEvent) => void>();

  // ---- persistence: at most one write per interval; writes never overlap; tmp file + rename is atomic.
  let dirty = false;
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> | undefined;
  let closed = false;
  // A big cluster makes each snapshot costly: space writes so that saving takes at most ~10% of the time.
  let nextDelay = interval;

  function snapshot(): string {
    const objects: StateFile['objects'] = {};
    for (const [res, m] of data) objects[res] = [...m.values()];
    return JSON.stringify({ version: 1, resourceVersion: rv, objects } satisfies StateFile);
  }
  async function writeNow(): Promise<void> {
    if (!statePath) return;
    while (writing) await writing;
    if (!dirty) return;
    dirty = false;
    const tmp = `${statePath}.${process.pid}.tmp`;
    writing = (async () => {
      const t0 = performance.now();
      const text = snapshot();
      nextDelay = Math.max(interval, Math.min(10_000, (performance.now() - t0) * 10));
      await writeFile(tmp, text, { mode: 0o600 }); // holds every Secret: owner only (sim/private-files.ts)
      await rename(tmp, statePath);
    })();
    try {
      await writing;
    } catch (e) {
      dirty = true;
      console.error(`simulator: could not save ${statePath}: ${(e as Error).message}`);
    } finally {
      writing = undefined;
    }
  }
  function schedule() {
    if (!statePath || closed) return;
    dirty = true;
    if (!timer) {
      timer = setTimeout(() => {
        timer = undefined;
        void writeNow();
      }, nextDelay);
      timer.unref?.();
    }
  }

  function emit(e: StoreEvent) {
    history.get(e.resource)!.push(e);
    schedule();
    for (const l of listeners) {
      try {
        l(e);
      } catch (err) {
        console.error('simulator: store listener failed:', err);
      }
    }
  }

  function checkResource(resource: Resource) {
    if (!data.has(resource)) throw new StoreError('BadRequest', `unknown resource "${resource}"`);
  }
  function nsFor(resource: Resource, namespace: string | undefined): string | undefined {
    if (!NAMESPACED.has(resource)) return undefined;
    if (!namespace) throw new StoreError('BadRequest', `${resource} are namespaced: a namespace is required`);
    return namespace;
  }
  function notFound(resource: Resource, name: string): StoreError {
    return new StoreError('NotFound', `${resource} "${name}" not found`);
  }

  /** Finish a write: fixed identity fields, new RV, generation, freeze, store, emit. */
  function commit(resource: Resource, old: KubeObject, next: KubeObject): KubeObject {
    if (!next || typeof next !== 'object' || !next.metadata || typeof next.metadata !== 'object')
      throw new StoreError('BadRequest', `${resource} "${old.metadata.name}": the new object has no metadata`);
    next.metadata.name = old.metadata.name;
    if (old.metadata.namespace) next.metadata.namespace = old.metadata.namespace;
    next.metadata.uid = old.metadata.uid;
    next.metadata.creationTimestamp = old.metadata.creationTimestamp;
    next.metadata.resourceVersion = old.metadata.resourceVersion;
    next.metadata.generation = old.metadata.generation;
    if (deepEqual(next, old)) return old;
    if (!deepEqual(specPart(next), specPart(old))) next.metadata.generation = (old.metadata.generation ?? 1) + 1;
    rv += 1;
    next.metadata.resourceVersion = String(rv);
    deepFreeze(next);
    data.get(resource)!.set(key(old.metadata.name, old.metadata.namespace), next);
    emit({ type: 'MODIFIED', resource, object: next, previous: old, resourceVersion: rv });
    return next;
  }

  const store: SimStore = {
    get(resource, name, namespace) {
      checkResource(resource);
      return data.get(resource)!.get(key(name, NAMESPACED.has(resource) ? namespace : undefined));
    },
    list(resource, namespace) {
      checkResource(resource);
      const all = [...data.get(resource)!.values()];
      if (!namespace || !NAMESPACED.has(resource)) return all;
      return all.filter((o) => o.metadata.namespace === namespace);
    },
    create(resource, obj) {
      checkResource(resource);
      if (!obj || typeof obj !== 'object' || !obj.metadata || typeof obj.metadata !== 'object')
        throw new StoreError('BadRequest', `${resource}: the object has no metadata`);
      const o = clone(obj);
      const m = o.metadata;
      if (!m.name) {
        const gen = (m as { generateName?: unknown }).generateName;
        if (typeof gen !== 'string' || !gen)
          throw new StoreError('Invalid', `${resource}: metadata.name or metadata.generateName is required`);
        do m.name = gen + randomBytes(4).toString('hex').slice(0, 5);
        while (data.get(resource)!.has(key(m.name, m.namespace)));
      }
      const ns = nsFor(resource, m.namespace);
      if (ns) m.namespace = ns;
      else delete m.namespace;
      const k = key(m.name, ns);
      if (data.get(resource)!.has(k)) throw new StoreError('AlreadyExists', `${resource} "${m.name}" already exists`);
      m.uid ??= randomUUID();
      m.creationTimestamp ??= nowTimestamp();
      m.generation = 1;
      rv += 1;
      m.resourceVersion = String(rv);
      deepFreeze(o);
      data.get(resource)!.set(k, o);
      emit({ type: 'ADDED', resource, object: o, resourceVersion: rv });
      return o;
    },
    update(resource, name, namespace, mutate) {
      checkResource(resource);
      const ns = nsFor(resource, namespace);
      const old = data.get(resource)!.get(key(name, ns));
      if (!old) throw notFound(resource, name);
      const draft = clone(old);
      const next = mutate(draft) ?? draft;
      return commit(resource, old, Object.isFrozen(next) ? clone(next) : next);
    },
    replace(resource, obj) {
      checkResource(resource);
      if (!obj?.metadata?.name) throw new StoreError('BadRequest', `${resource}: the object has no metadata.name`);
      const ns = nsFor(resource, obj.metadata.namespace);
      const old = data.get(resource)!.get(key(obj.metadata.name, ns));
      if (!old) throw notFound(resource, obj.metadata.name);
      const want = obj.metadata.resourceVersion;
      if (want && want !== old.metadata.resourceVersion)
        throw new StoreError(
          'Conflict',
          `Operation cannot be fulfilled on ${resource} "${obj.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
        );
      return commit(resource, old, clone(obj));
    },
    delete(resource, name, namespace) {
      checkResource(resource);
      const ns = nsFor(resource, namespace);
      const k = key(name, ns);
      const old = data.get(resource)!.get(k);
      if (!old) throw notFound(resource, name);
      data.get(resource)!.delete(k);
      rv += 1;
      // The DELETED event carries the deletion RV (what a real server reports); only metadata is copied.
      const gone = deepFreeze({ ...old, metadata: { ...old.metadata, resourceVersion: String(rv) } });
      emit({ type: 'DELETED', resource, object: gone, previous: old, resourceVersion: rv });
      return gone;
    },
    resourceVersion() {
      return rv;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    eventsSince(resource, since) {
      checkResource(resource);
      return history.get(resource)!.since(since);
    },
    async flush() {
      if (timer) {
        clearTimeout(timer);
        timer = undefined;
      }
      await writeNow();
    },
    async close() {
      await store.flush();
      closed = true;
    },
  };
  return store;
}
