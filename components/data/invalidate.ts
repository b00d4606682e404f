// Which react-query keys a change notice from /api/stream touches. Pure, so it reads as a table.
import type { ChangeNotice } from '@/lib/api/types';
import { keys } from './keys';

/**
 * The node or pool an Event concerns. The server names the involved object; should a raw Event name
 * (`<object>.<hex suffix>`) come through instead, strip the suffix.
 */
export function eventSubject(eventName: string): string {
  return eventName.replace(/\.[0-9a-f]{6,}$/i, '');
}

export function keysFor(notice: ChangeNotice): (readonly unknown[])[] {
  switch (notice.kind) {
    case 'Node':
      // A node's state feeds its pool's counts, the overview and its own drift report.
      return [
        keys.node(notice.name),
        keys.nodes,
        keys.pools,
        keys.poolAll,
        keys.drift(notice.name),
        keys.fileAll(notice.name),
      ];
    case 'MachineConfigNode':
      return [keys.node(notice.name)];
    case 'MachineConfigPool':
      return [keys.pools, keys.pool(notice.name), keys.machineConfigs];
    case 'MachineConfig':
      return [keys.machineConfigs, keys.machineConfig(notice.name)];
    case 'Event': {
      const subjects = [...new Set([notice.name, eventSubject(notice.name)])];
      return subjects.flatMap((s) => [keys.node(s), keys.pool(s)]);
    }
    default:
      return [];
  }
}

/**
 * Which queries a notice in a stream `delta` touches. Narrower than keysFor: rows, pool counts and pool events come
 * patched in the same message, so a node's notice refetches only its own pages.
 */
export function keysForDelta(notice: ChangeNotice): (readonly unknown[])[] {
  switch (notice.kind) {
    case 'Node':
      return [keys.node(notice.name), keys.drift(notice.name), keys.fileAll(notice.name)];
    case 'Event':
      return [keys.node(notice.name)];
    default:
      return keysFor(notice);
  }
}

/** What a delta stream must watch for the queries on screen: pools by their rows, nodes by their pages. */
export function streamScope(queryKeys: readonly (readonly unknown[])[]): { pools: string[]; nodes: string[] } {
  const pools = new Set<string>();
  const nodes = new Set<string>();
  for (const k of queryKeys) {
    const [kind, name] = k;
    if (typeof name !== 'string') continue;
    if (kind === 'pool') pools.add(name);
    else if (kind === 'node' || kind === 'drift' || kind === 'file') nodes.add(name);
  }
  return { pools: [...pools].sort(), nodes: [...nodes].sort() };
}

/** The stream's URL for a scope. */
export function streamUrl(scope: { pools: string[]; nodes: string[] }): string {
  const q = new URLSearchParams({ v: '2' });
  for (const p of scope.pools) q.append('pool', p);
  for (const n of scope.nodes) q.append('node', n);
  return `/api/stream?${q}`;
}
