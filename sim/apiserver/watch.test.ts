// Watches and informers: client-node's Watch and makeInformer against the server, plus raw streams.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { startHarness, type Harness } from './test-harness';

let h: Harness;
let core: k8s.CoreV1Api;

beforeAll(async () => {
  // A short history so that "too old" is easy to reach; fast bookmarks for the bookmark test.
  h = await startHarness({ store: { historySize: 5 }, server: { bookmarkIntervalMs: 100 } });
  core = h.kc().makeApiClient(k8s.CoreV1Api);
});
afterAll(() => h?.close());

const node = (name: string, labels: Record<string, string> = {}) => ({ metadata: { name, labels } });

async function until(cond: () => boolean, what: string, ms = 5000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Read a raw watch stream: the parsed lines, until `count` lines or the server ends it. */
async function readWatch(path: string, opts: { count?: number; accept?: string; during?: () => Promise<void> } = {}) {
  const ac = new AbortController();
  const r = await h.fetch(path, { signal: ac.signal, headers: opts.accept ? { Accept: opts.accept } : {} });
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toBe('application/json');
  const reader = r.body!.getReader();
  const events: any[] = [];
  let buf = '';
  let ended = false;
  const pump = (async () => {
    const dec = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) {
        ended = true;
        return;
      }
      buf += dec.decode(value, { stream: true });
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        events.push(JSON.parse(buf.slice(0, i)));
        buf = buf.slice(i + 1);
      }
    }
  })();
  await opts.during?.();
  if (opts.count !== undefined) await until(() => events.length >= opts.count! || ended, `${opts.count} watch events`);
  else await pump;
  ac.abort();
  return { events, ended };
}

describe('watch', () => {
  it('starts with synthetic ADDED for resourceVersion 0, then live events; DELETED carries the deletion RV', async () => {
    await core.createNode({ body: node('w-a', { pool: 'worker' }) });
    const { events } = await readWatch('/api/v1/nodes?watch=true&resourceVersion=0', {
      count: 4,
      during: async () => {
        await core.createNode({ body: node('w-b') });
        await core.patchNode({ name: 'w-a', body: [{ op: 'add', path: '/metadata/labels/x', value: '1' }] });
        await core.deleteNode({ name: 'w-b' });
      },
    });
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
      'ADDED w-a',
      'ADDED w-b',
      'MODIFIED w-a',
      'DELETED w-b',
    ]);
    expect(Number(events[3].object.metadata.resourceVersion)).toBe(h.store.resourceVersion());
  });

  it('maps selector transitions to ADDED, MODIFIED and DELETED', async () => {
    const rv = String(h.store.resourceVersion());
    const { events } = await readWatch(`/api/v1/nodes?watch=1&labelSelector=pool%3Dworker&resourceVersion=${rv}`, {
      count: 3,
      during: async () => {
        const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
        await core.createNode({ body: node('w-c') });
        await core.patchNode({ name: 'w-c', body: { metadata: { labels: { pool: 'worker' } } } }, merge);
        await core.patchNode({ name: 'w-c', body: { metadata: { labels: { extra: 'y' } } } }, merge);
        await core.patchNode({ name: 'w-c', body: { metadata: { labels: { pool: 'infra' } } } }, merge);
      },
    });
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    // DELETED by selector: the last matching content, with the RV of the change that made it stop matching.
    expect(events[2].object.metadata.labels.pool).toBe('worker');
    expect(events[2].object.metadata.resourceVersion).toBe(String(h.store.resourceVersion()));
  });

  it('ends the stream after timeoutSeconds, sending bookmarks when allowed', async () => {
    const t0 = Date.now();
    const { events, ended } = await readWatch(
      '/api/v1/nodes?watch=true&timeoutSeconds=1&allowWatchBookmarks=true&resourceVersion=' + h.store.resourceVersion(),
    );
    expect(ended).toBe(true);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.type === 'BOOKMARK' && e.object.kind === 'Node')).toBe(true);
    expect(events.at(-1).object.metadata.resourceVersion).toBe(String(h.store.resourceVersion()));
  });

  it('sends a 410 ERROR event and closes for a too-old resourceVersion (client-node Watch)', async () => {
    for (let i = 0; i < 8; i++) await core.createNode({ body: node(`old-${i}`) });
    const seen: [string, any][] = [];
    const done = new Promise<unknown>((resolve) => {
      void new k8s.Watch(h.kc()).watch(
        '/api/v1/nodes',
        { resourceVersion: '1' },
        (type, obj) => seen.push([type, obj]),
        resolve,
      );
    });
    await done;
    expect(seen).toHaveLength(1);
    expect(seen[0][0]).toBe('ERROR');
    expect(seen[0][1]).toMatchObject({ kind: 'Status', reason: 'Expired', code: 410 });
    expect(seen[0][1].message).toMatch(/^too old resource version: 1 \(\d+\)$/);
  });

  it('encodes events as Tables for kubectl', async () => {
    const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
    const { events } = await readWatch('/api/v1/nodes?watch=true&fieldSelector=metadata.name%3Dw-a&resourceVersion=0', {
      count: 1,
      accept,
    });
    expect(events[0].type).toBe('ADDED');
    expect(events[0].object.kind).toBe('Table');
    expect(events[0].object.rows[0].cells[0]).toBe('w-a');
    expect(events[0].object.columnDefinitions.length).toBeGreaterThan(0);
  });
});

describe('informer', () => {
  it('sees create, update and delete', async () => {
    const ns = 'inf';
    await core.createNamespace({ body: { metadata: { name: ns } } });
    const informer = k8s.makeInformer(h.kc(), `/api/v1/namespaces/${ns}/pods`, () =>
      core.listNamespacedPod({ namespace: ns }),
    );
    const log: string[] = [];
    informer.on('add', (o) => log.push(`add ${o.metadata!.name}`));
    informer.on('update', (o) => log.push(`update ${o.metadata!.name} ${o.metadata!.labels?.v}`));
    informer.on('delete', (o) => log.push(`delete ${o.metadata!.name}`));
    await informer.start();
    try {
      const pod = { metadata: { name: 'p1', labels: { v: '1' } }, spec: { containers: [{ name: 'c', image: 'i' }] } };
      await core.createNamespacedPod({ namespace: ns, body: pod });
      await until(() => log.includes('add p1'), 'add');
      await core.patchNamespacedPod({
        namespace: ns,
        name: 'p1',
        body: [{ op: 'replace', path: '/metadata/labels/v', value: '2' }],
      });
      await until(() => log.includes('update p1 2'), 'update');
      await core.deleteNamespacedPod({ namespace: ns, name: 'p1' });
      await until(() => log.includes('delete p1'), 'delete');
      expect(informer.list(ns)).toEqual([]);
    } finally {
      await informer.stop();
    }
  });

  it('relists after a 410 from a too-old resourceVersion', async () => {
    await core.createNode({ body: node('relist-a') });
    let lists = 0;
    const listFn = async () => {
      lists += 1;
      const list = await core.listNode();
      // The first list claims an ancient RV, as a client that slept through history would have.
      if (lists === 1) list.metadata = { ...list.metadata, resourceVersion: '1' };
      return list;
    };
    const informer = k8s.makeInformer(h.kc(), '/api/v1/nodes', listFn);
    const errors: unknown[] = [];
    informer.on('error', (e) => errors.push(e));
    const updates: string[] = [];
    informer.on('update', (o) => updates.push(o.metadata!.name!));
    await informer.start();
    try {
      await until(() => lists >= 2, 'the informer to relist');
      for (let i = 0; i < 5 && !updates.includes('relist-a'); i++) {
        await core.patchNode({ name: 'relist-a', body: [{ op: 'add', path: '/metadata/labels/n', value: String(i) }] });
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(updates).toContain('relist-a');
      expect(informer.get('relist-a')?.metadata?.labels?.n).toBeDefined();
      expect(errors).toEqual([]);
    } finally {
      await informer.stop();
    }
  });
});
