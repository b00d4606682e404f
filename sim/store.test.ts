// The object store: versions, events, history, persistence across restarts, a damaged state file.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { createStore } from './store';
import { StoreError, type StoreEvent } from './types';
import { startHarness } from './apiserver/test-harness';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'plumb-store-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const node = (name: string) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } });

describe('store', () => {
  it('versions every write with one counter, emits events, skips no-op updates', () => {
    const s = createStore();
    const events: StoreEvent[] = [];
    s.subscribe((e) => events.push(e));
    const a = s.create('nodes', node('a'));
    expect(a.metadata).toMatchObject({ resourceVersion: '1', generation: 1 });
    expect(a.metadata.uid).toBeTruthy();
    s.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, spec: {} });
    const same = s.update('nodes', 'a', undefined, () => {});
    expect(same).toBe(a);
    const labelled = s.update('nodes', 'a', undefined, (o) => {
      o.metadata.labels = { x: '1' };
    });
    expect(labelled.metadata).toMatchObject({ resourceVersion: '3', generation: 1 });
    const spec = s.update('nodes', 'a', undefined, (o) => ({ ...o, spec: { unschedulable: true } }));
    expect(spec.metadata.generation).toBe(2);
    const status = s.update('nodes', 'a', undefined, (o) => {
      o.status = { phase: 'x' };
    });
    expect(status.metadata.generation).toBe(2);
    const gone = s.delete('nodes', 'a');
    expect(gone.metadata.resourceVersion).toBe('6');
    expect(events.map((e) => `${e.type}:${e.resourceVersion}`)).toEqual([
      'ADDED:1',
      'ADDED:2',
      'MODIFIED:3',
      'MODIFIED:4',
      'MODIFIED:5',
      'DELETED:6',
    ]);
    expect(events[2].previous?.metadata.labels).toBeUndefined();
    expect(s.resourceVersion()).toBe(6);
  });

  it('hands out frozen objects, so a reader cannot corrupt the store', () => {
    const s = createStore();
    s.create('nodes', node('a'));
    const got = s.get('nodes', 'a')!;
    expect(() => {
      (got.metadata as any).name = 'b';
    }).toThrow(TypeError);
    expect(s.list('nodes')[0].metadata.name).toBe('a');
  });

  it('throws StoreErrors: AlreadyExists, NotFound, Conflict; namespaced kinds need a namespace', () => {
    const s = createStore();
    s.create('nodes', node('a'));
    const reason = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof StoreError ? e.reason : String(e);
      }
      return 'no error';
    };
    expect(reason(() => s.create('nodes', node('a')))).toBe('AlreadyExists');
    expect(reason(() => s.update('nodes', 'b', undefined, () => {}))).toBe('NotFound');
    expect(reason(() => s.delete('nodes', 'b'))).toBe('NotFound');
    expect(reason(() => s.replace('nodes', { ...node('a'), metadata: { name: 'a', resourceVersion: '99' } }))).toBe(
      'Conflict',
    );
    expect(reason(() => s.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }))).toBe(
      'BadRequest',
    );
    const replaced = s.replace('nodes', { ...node('a'), spec: { x: 1 } });
    expect(replaced.metadata.generation).toBe(2);
  });

  it('keeps a bounded history per resource and reports expiry', () => {
    const s = createStore({ historySize: 3 });
    for (let i = 0; i < 5; i++) s.create('nodes', node(`n${i}`));
    s.create('machineconfigs', {
      apiVersion: 'machineconfiguration.openshift.io/v1',
      kind: 'MachineConfig',
      metadata: { name: 'mc' },
    });
    expect(s.eventsSince('nodes', 0)).toEqual({ expired: true, oldest: 2 });
    const h = s.eventsSince('nodes', 2);
    expect('events' in h && h.events.map((e) => e.resourceVersion)).toEqual([3, 4, 5]);
    const mc = s.eventsSince('machineconfigs', 0);
    expect('events' in mc && mc.events.map((e) => e.resourceVersion)).toEqual([6]);
  });

  it('persists objects and the counter; a restart continues the resourceVersions', async () => {
    const dir = tempDir();
    const s = createStore({ dataDir: dir });
    s.create('nodes', node('a'));
    s.update('nodes', 'a', undefined, (o) => {
      o.metadata.labels = { k: 'v' };
    });
    await s.close();
    const again = createStore({ dataDir: dir });
    expect(again.get('nodes', 'a')?.metadata.labels).toEqual({ k: 'v' });
    expect(again.resourceVersion()).toBe(2);
    expect(again.create('nodes', node('b')).metadata.resourceVersion).toBe('3');
    // History from before the restart is gone: resuming from it means relisting.
    expect(again.eventsSince('nodes', 1)).toMatchObject({ expired: true });
    await again.close();
  });

  it('refuses a damaged state file with a clear error and leaves it untouched', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'state.json'), '{"version":1,"resourceVersion":');
    expect(() => createStore({ dataDir: dir })).toThrow(/state file .*state\.json is damaged \(not valid JSON/);
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).toBe('{"version":1,"resourceVersion":');
    writeFileSync(
      join(dir, 'state.json'),
      JSON.stringify({ version: 1, resourceVersion: 3, objects: { nodes: [{ metadata: {} }] } }),
    );
    expect(() => createStore({ dataDir: dir })).toThrow(
      /damaged \(an object in "objects.nodes" has no metadata.name\)/,
    );
  });
});

describe('store behind the API server across a restart', () => {
  it('serves the same objects and keeps counting resourceVersions', async () => {
    const dir = tempDir();
    const first = await startHarness({ dir });
    const core = first.kc().makeApiClient(k8s.CoreV1Api);
    await core.createNode({ body: { metadata: { name: 'persisted', labels: { a: 'b' } } } });
    const rvBefore = (await core.listNode()).metadata!.resourceVersion!;
    await first.close({ keepDir: true });

    const second = await startHarness({ dir });
    try {
      const core2 = second.kc().makeApiClient(k8s.CoreV1Api);
      const n = await core2.readNode({ name: 'persisted' });
      expect(n.metadata?.labels).toEqual({ a: 'b' });
      const created = await core2.createNode({ body: { metadata: { name: 'after' } } });
      expect(Number(created.metadata!.resourceVersion)).toBe(Number(rvBefore) + 1);
    } finally {
      await second.close();
    }
  });
});
