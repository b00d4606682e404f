// Kubernetes Events about an object, newest first.
import type { EventItem } from '@/lib/api/types';
import { age } from './format';
import { Badge, Empty } from './ui';

export function Events({ events }: { events: EventItem[] }) {
  if (events.length === 0) return <Empty>No events.</Empty>;
  const sorted = [...events].sort((a, b) => (b.lastTimestamp ?? '').localeCompare(a.lastTimestamp ?? ''));
  return (
    <div className="max-h-72 overflow-auto rounded border border-line">
      <table className="dense w-full" aria-label="Events">
        <thead>
          <tr>
            <th>Age</th>
            <th>Type</th>
            <th>Reason</th>
            <th>Object</th>
            <th className="w-full">Message</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((e, i) => (
            <tr key={i}>
              <td title={e.lastTimestamp ?? ''}>{age(e.lastTimestamp)}</td>
              <td>{e.type === 'Warning' ? <Badge tone="warn">Warning</Badge> : <span className="text-muted">{e.type}</span>}</td>
              <td className="font-medium">
                {e.reason}
                {e.count > 1 ? <span className="text-muted"> ×{e.count}</span> : null}
              </td>
              <td className="font-mono text-xs">{e.object}</td>
              <td className="!whitespace-normal">{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
