// The cache's bookkeeping, fed the objects an informer would deliver (no cluster needed for these rules):
// slimming, incremental pool membership, attention, events per object, daemon pod lookup, SSE coalescing.
import { describe, expect, it } from 'vitest';
import { ClusterCache } from './cache';
import { eventStream } from './stream';
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
    feed(c, 'Event', { metadata: { name: 'p', namespace: 'x' }, involvedObject: { kind: 'Pod', name: 'p' }, reason: 'Pulled' });
    const ev = c.eventsFor('Node', 'w1');
    expect(ev).toHaveLength(50); // bounded per object, newest kept
    expect(ev[0].message).toBe('m59');
    expect(c.eventsFor('Pod', 'p')).toEqual([]);
    feed(c, 'Pod', {
      metadata: { name: 'machine-config-daemon-abcde', namespace: 'openshift-machine-config-operator' },
      spec: { nodeName: 'w1', containers: [{ name: 'machine-config-daemon', image: 'x' }] },
      status: { phase: 'Running' },
    });
    expect(c.daemonPodFor('w1')).toMatchObject({ name: 'machine-config-daemon-abcde', containers: ['machine-config-daemon'] });
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
        const r = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), until - Date.now()))]);
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
