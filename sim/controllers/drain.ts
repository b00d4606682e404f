// The drain controller (MCO pkg/controller/drain/drain_controller.go syncNode): the daemon asks with desiredDrain;
// `drain-<config>` cordons and drains the node, `uncordon-<config>` uncordons it; either way lastAppliedDrain
// records what was done.
import { NodeAnnotations as A, type Node } from '@/lib/mco/types';
import type { KubeObject } from '../types';
import { type Controller, type ControllerOptions, errorMessage } from './common';

export function startDrainController(opts: ControllerOptions & { drainMs: number }): Controller {
  const { store } = opts;
  const log = opts.log ?? (() => {});
  /** Node name → the desiredDrain being worked on, with its timer. */
  const inFlight = new Map<string, { request: string; timer: NodeJS.Timeout | null }>();
  let waiters: (() => void)[] = [];
  let stopped = false;

  const settle = () => {
    if (inFlight.size > 0) return;
    const w = waiters;
    waiters = [];
    for (const r of w) r();
  };

  const finish = (nodeName: string, request: string, unschedulable: boolean) => {
    inFlight.delete(nodeName);
    try {
      const node = store.get('nodes', nodeName);
      if (node && node.metadata.annotations?.[A.desiredDrain] === request) {
        store.update('nodes', nodeName, undefined, (raw) => {
          const o = raw as unknown as Node;
          if (unschedulable) o.spec = { ...(o.spec ?? {}), unschedulable: true };
          else if (o.spec) delete o.spec.unschedulable;
          o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [A.lastAppliedDrain]: request };
        });
      }
    } catch (err) {
      log(`drain of ${nodeName}: ${errorMessage(err)}`);
    }
    settle();
    // A newer request may have arrived while this one was running.
    const latest = store.get('nodes', nodeName);
    if (latest) consider(latest);
  };

  const consider = (node: KubeObject) => {
    if (stopped) return;
    const name = node.metadata.name;
    const desired = node.metadata.annotations?.[A.desiredDrain] ?? '';
    const applied = node.metadata.annotations?.[A.lastAppliedDrain] ?? '';
    if (desired === '' || desired === applied) return;
    const current = inFlight.get(name);
    if (current) {
      if (current.request === desired) return;
      if (current.timer) clearTimeout(current.timer);
      inFlight.delete(name);
    }
    if (desired.startsWith('drain-')) {
      const entry = { request: desired, timer: null as NodeJS.Timeout | null };
      inFlight.set(name, entry);
      // Cordon first, then drain for drainMs (the simulated pods leave), then report it done.
      try {
        if (!(node.spec as Node['spec'])?.unschedulable) {
          store.update('nodes', name, undefined, (raw) => {
            const o = raw as unknown as Node;
            o.spec = { ...(o.spec ?? {}), unschedulable: true };
          });
        }
        // The Cordon and Drain events are the daemon's (MCO pkg/daemon/drain.go performDrain).
      } catch (err) {
        log(`cordon of ${name}: ${errorMessage(err)}`);
      }
      entry.timer = setTimeout(() => finish(name, desired, true), opts.drainMs);
    } else if (desired.startsWith('uncordon-')) {
      inFlight.set(name, { request: desired, timer: null });
      queueMicrotask(() => finish(name, desired, false));
    } else {
      log(`node ${name}: ignoring unknown desiredDrain ${JSON.stringify(desired)}`);
    }
  };

  const unsubscribe = store.subscribe((e) => {
    if (e.resource !== 'nodes') return;
    if (e.type === 'DELETED') {
      const f = inFlight.get(e.object.metadata.name);
      if (f?.timer) clearTimeout(f.timer);
      inFlight.delete(e.object.metadata.name);
      settle();
      return;
    }
    consider(e.object);
  });
  for (const n of store.list('nodes')) consider(n);

  return {
    idle: () => (inFlight.size === 0 ? Promise.resolve() : new Promise<void>((r) => waiters.push(r))),
    stop() {
      stopped = true;
      unsubscribe();
      for (const f of inFlight.values()) if (f.timer) clearTimeout(f.timer);
      inFlight.clear();
      settle();
    },
  };
}
