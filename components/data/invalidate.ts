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
      return [keys.node(notice.name), keys.nodes, keys.pools, keys.poolAll, keys.drift(notice.name), keys.fileAll(notice.name)];
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
