// The cache's bookkeeping, fed the objects an informer would deliver (no cluster needed for these rules):
// slimming, incremental pool membership, attention, events per object, daemon pod lookup, SSE coalescing.
import { describe, expect, it } from 'vitest';
import { ClusterCache } from './cache';
import { eventStream, setStreamView } from './stream';
import { poolJson, poolsReply } from './views/pools';

const pool = (name: string, extra: Record<string, string> = {}) => ({
  apiVersion: 'machineconfiguration.openshift.io/v1',
  kind: 'MachineConfigPool',
  metadata: { name, resourceVersion: '1', managedFields: [{ big: 'x'.repeat(1000) }] },
  spec: {
    machineConfigSelector: { matchLabels: { 'machineconfiguration.openshift.io/role': name } },
    nodeSelector: { matchLabels: { [`node-role.kubernetes.io/${name}`]: '' } },
    ...extra,
  },
  status: { machineCount: 1, conditions: [] },
});

const node = (name: string, role: string, state = 'Done', rv = '1') => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name,
    resourceVersion: rv,
    labels: { [`node-role.kubernetes.io/${role}`]: '', 'node-role.kubernetes.io/worker': '' },
    annotations: {
      'machineconfiguration.openshift.io/state': state,
      'machineconfiguration.openshift.io/reason': state === 'Done' ? '' : 'content mismatch for file "/etc/x"',
      'unrelated.example.com/huge': 'y'.repeat(5000),
    },
    managedFields: [{ huge: 'z'.repeat(5000) }],
  },
  status: {
    images: [{ names: ['quay.io/x'], sizeBytes: 1 }],
    conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: 'now' }],
    nodeInfo: { kubeletVersion: 'v1.29.6', machineID: 'abc', bootID: 'def' },
    capacity: { cpu: '4' },
  },
});

function feed(cache: ClusterCache, kind: string, obj: unknown, deleted = false) {
  (cache as any).onObject(kind, obj, deleted);
}

describe('ClusterCache', () => {
  it('slims nodes in place and keeps only what the console shows', () => {
    const c = new ClusterCache();
    const n = node('w1', 'worker');
    feed(c, 'Node', n);
    const kept = c.nodes.get('w1')!;
    expect(kept).toBe(n); // the informer's own reference, slimmed in place
    expect(JSON.stringify(kept)).not.toContain('managedFields');
    expect((kept.status as any).images).toBeUndefined();
    expect(kept.metadata.annotations).toEqual({
      'machineconfiguration.openshift.io/state': 'Done',
      'machineconfiguration.openshift.io/reason': '',
    });
    expect(kept.status!.nodeInfo).toEqual({ kubeletVersion: 'v1.29.6' });
  });

  it('keeps pool membership and attention up to date incrementally', () => {
    const c = new ClusterCache();
    feed(c, 'Node', node('w1', 'worker'));
    feed(c, 'Node', node('i1', 'infra'));
    feed(c, 'MachineConfigPool', pool('worker'));
    feed(c, 'MachineConfigPool', pool('infra'));
    expect(c.poolOf('w1')).toBe('worker');
    expect(c.poolOf('i1')).toBe('infra'); // a custom pool wins over worker
    expect(c.poolNodeNames('worker')).toEqual(['w1']);
    feed(c, 'Node', node('w2', 'worker', 'Degraded'));
    expect(c.poolNodeNames('worker').sort()).toEqual(['w1', 'w2']);
    const reply = poolsReply(c);
    expect(reply.attention).toEqual([expect.objectContaining({ node: 'w2', pool: 'worker', state: 'Degraded' })]);
    expect(reply.attention[0].explanation.kind).toBe('content');
    feed(c, 'Node', node('w2', 'worker', 'Done', '2'));
    expect(poolsReply(c).attention).toEqual([]);
    feed(c, 'Node', c.nodes.get('w1'), true);
    expect(c.poolNodeNames('worker')).toEqual(['w2']);
    expect(JSON.parse(poolJson(c, 'worker')).nodes.map((n: any) => n.name)).toEqual(['w2']);
  });

  it('memoises pool replies per generation', () => {
    const c = new ClusterCache();
    feed(c, 'MachineConfigPool', pool('worker'));
    feed(c, 'Node', node('w1', 'worker'));
    const a = poolJson(c, 'worker');
    expect(poolJson(c, 'worker')).toBe(a);
    feed(c, 'Node', node('w3', 'worker'));
    expect(poolJson(c, 'worker')).not.toBe(a);
  });

  it('indexes events by involved object and finds the daemon pod of a node', () => {
    const c = new ClusterCache();
    for (let i = 0; i < 60; i++) {
      feed(c, 'Event', {
        metadata: { name: `w1.${i}`, namespace: 'default', resourceVersion: String(i) },
        involvedObject: { kind: 'Node', name: 'w1' },
        reason: 'R',
        message: `m${i}`,
        type: 'Normal',
        lastTimestamp: `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`,
      });
    }
    feed(c, 'Event', {
      metadata: { name: 'p', namespace: 'x' },
      involvedObject: { kind: 'Pod', name: 'p' },
      reason: 'Pulled',
    });
    const ev = c.eventsFor('Node', 'w1');
    expect(ev).toHaveLength(50); // bounded per object, newest kept
    expect(ev[0].message).toBe('m59');
    expect(c.eventsFor('Pod', 'p')).toEqual([]);
    feed(c, 'Pod', {
      metadata: { name: 'machine-config-daemon-abcde', namespace: 'openshift-machine-config-operator' },
      spec: { nodeName: 'w1', containers: [{ name: 'machine-config-daemon', image: 'x' }] },
      status: { phase: 'Running' },
    });
    expect(c.daemonPodFor('w1')).toMatchObject({
      name: 'machine-config-daemon-abcde',
      containers: ['machine-config-daemon'],
    });
    feed(c, 'Pod', { metadata: { name: 'machine-config-daemon-abcde' } }, true);
    expect(c.daemonPodFor('w1')).toBeNull();
  });
});

describe('eventStream', () => {
  it('sends status first and coalesces a burst of changes to one object', async () => {
    const c = new ClusterCache();
    const ctl = new AbortController();
    const res = eventStream(new Request('http://localhost/api/stream', { signal: ctl.signal }), c);
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let text = '';
    const readFor = async (ms: number) => {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        const r = await Promise.race([
          reader.read(),
          new Promise<null>((r) => setTimeout(() => r(null), until - Date.now())),
        ]);
        if (!r || r.done) break;
        text += dec.decode(r.value);
      }
    };
    for (let i = 0; i < 10; i++) feed(c, 'Node', node('w1', 'worker', 'Done', String(i)));
    feed(c, 'Node', node('w2', 'worker'));
    await readFor(600);
    ctl.abort();
    const events = [...text.matchAll(/event: (\w+)\ndata: (.*)\n/g)].map((m) => [m[1], JSON.parse(m[2])]);
    expect(events[0]).toEqual(['status', { connected: false, message: 'connecting to the cluster' }]);
    const changes = events.filter((e) => e[0] === 'change').map((e) => e[1]);
    // The first change of w1 at once, the rest of the burst as one trailing notice; w2 on its own.
    expect(changes.filter((n) => n.name === 'w1')).toHaveLength(2);
    expect(changes.filter((n) => n.name === 'w2')).toEqual([{ kind: 'Node', name: 'w2' }]);
  });
});

/** A delta stream on `c` for `query`, read into `events` by `readFor(ms)`. */
function openStream(c: ClusterCache, query: string) {
  const ctl = new AbortController();
  const res = eventStream(new Request(`http://localhost/api/stream?${query}`, { signal: ctl.signal }), c);
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  const events: { event: string; data: any }[] = [];
  let buf = '';
  // One read in flight across calls: a read that loses the race still takes the next chunk.
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | null = null;
  const readFor = async (ms: number) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      pending ??= reader.read();
      const r = await Promise.race([pending, new Promise<null>((r) => setTimeout(() => r(null), until - Date.now()))]);
      if (!r) break;
      pending = null;
      if (r.done) break;
      buf += dec.decode(r.value);
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) events.push({ event, data: JSON.parse(data) });
      }
    }
  };
  return { events, readFor, abort: () => ctl.abort() };
}

describe('eventStream deltas (?v=2)', () => {
  it('sends hello, then numbered deltas: the watched pool rows merged per node, pool counts, attention as stale', async () => {
    const c = new ClusterCache();
    feed(c, 'MachineConfigPool', pool('worker'));
    feed(c, 'MachineConfigPool', pool('infra'));
    feed(c, 'Node', node('w1', 'worker'));
    feed(c, 'Node', node('i1', 'infra'));
    const { events, readFor, abort } = openStream(c, 'v=2&pool=worker');
    await readFor(50);
    expect(events[0]).toMatchObject({ event: 'hello', data: { epoch: c.epoch, pools: ['worker'], nodes: [] } });

    // A burst on one node of the watched pool and one of another pool; a pool's counts change.
    feed(c, 'Node', node('w1', 'worker', 'Working', '2'));
    feed(c, 'Node', node('i1', 'infra', 'Working', '2'));
    feed(c, 'MachineConfigPool', {
      ...pool('worker'),
      status: { machineCount: 1, updatedMachineCount: 1, conditions: [] },
    });
    await readFor(400);
    const first = events.filter((e) => e.event === 'delta');
    expect(first).toHaveLength(1);
    expect(first[0].data).toMatchObject({
      seq: 1,
      rows: [{ name: 'w1', pool: 'worker', set: { state: 'Working' } }],
      pools: [{ name: 'worker', set: { updatedMachineCount: 1 } }],
    });
    expect(first[0].data.rows).toHaveLength(1);

    // Within the node's second: held back and merged into one row patch; the node now needs attention.
    feed(c, 'Node', node('w1', 'worker', 'Degraded', '3'));
    const w1Gen = c.generation;
    feed(c, 'Node', node('w1', 'worker', 'Degraded', '4')); // nothing on its row changed
    feed(c, 'Node', node('i1', 'infra', 'Done', '5')); // a later change the held row does not contain
    await readFor(300);
    const second = events.filter((e) => e.event === 'delta');
    expect(second).toHaveLength(2);
    expect(second[1].data).toMatchObject({ seq: 2, stale: { overview: true } });
    expect(second[1].data.rows).toBeUndefined();
    await readFor(1000);
    const third = events.filter((e) => e.event === 'delta');
    expect(third[2].data).toMatchObject({ seq: 3, rows: [{ name: 'w1', pool: 'worker' }] });
    expect(third[2].data.rows[0].set).toEqual({ state: 'Degraded' });
    // The message is as new as the cache; the held row only as new as its own last change (a reply fetched
    // between the two holds the row but not necessarily what came after it).
    expect(third[2].data.gen).toBe(c.generation);
    expect(third[2].data.rows[0].gen).toBe(w1Gen);
    expect(w1Gen).toBeLessThan(c.generation);
    abort();
  });
  it('sends rows out of the posted view cut to the index fields, and a row coming into view whole', async () => {
    const c = new ClusterCache();
    feed(c, 'MachineConfigPool', pool('worker'));
    for (const n of ['w1', 'w2', 'w3']) feed(c, 'Node', node(n, 'worker'));
    const { events, readFor, abort } = openStream(c, 'v=2&pool=worker');
    await readFor(50);
    const id = events[0].data.id as string;
    expect(() => setStreamView(id, 'someone-else', 'worker', ['w1'])).toThrow(/no such stream/);
    setStreamView(id, 'kubeconfig', 'worker', ['w1']);

    feed(c, 'Node', node('w1', 'worker', 'Degraded', '2'));
    feed(c, 'Node', node('w2', 'worker', 'Degraded', '2'));
    await readFor(400);
    const rows = events.filter((e) => e.event === 'delta').flatMap((e) => e.data.rows ?? []);
    expect(rows.find((r: any) => r.name === 'w1').set).toEqual({
      state: 'Degraded',
      reason: 'content mismatch for file "/etc/x"',
    });
    expect(rows.find((r: any) => r.name === 'w2').set).toEqual({ state: 'Degraded' });

    // w2 scrolls into view: it missed its reason, so its whole row comes at once; w3 missed nothing.
    setStreamView(id, 'kubeconfig', 'worker', ['w2', 'w3']);
    await readFor(300);
    const later = events.filter((e) => e.event === 'delta').flatMap((e) => e.data.rows ?? []);
    const whole = later.filter((r: any) => r.name === 'w2');
    expect(whole).toHaveLength(2);
    expect(whole[1].set).toMatchObject({
      state: 'Degraded',
      reason: 'content mismatch for file "/etc/x"',
      ready: true,
    });
    expect(later.some((r: any) => r.name === 'w3')).toBe(false);
    abort();
  });
});
