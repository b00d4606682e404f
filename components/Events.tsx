// Kubernetes Events about an object, newest first by time (parsed, not compared as text: `eventTime` carries
// microseconds, `lastTimestamp` whole seconds), with the time itself shown in UTC beside the age.
import type { EventItem } from '@/lib/api/types';
import { age, epoch, when } from './format';
import { Badge, Empty } from './ui';

export function Events({ events }: { events: EventItem[] }) {
  if (events.length === 0) return <Empty>No events.</Empty>;
  const last = (e: EventItem) => epoch(e.lastTimestamp ?? e.firstTimestamp);
  const sorted = [...events].sort((a, b) => last(b) - last(a) || epoch(b.firstTimestamp) - epoch(a.firstTimestamp));
  return (
    <div className="max-h-72 overflow-auto rounded border border-line">
      <table className="dense w-full" aria-label="Events">
        <thead>
          <tr>
            <th>Last seen (UTC)</th>
            <th>Type</th>
            <th>Reason</th>
            <th>Object</th>
            <th className="w-full">Message</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((e, i) => (
            <tr key={i} data-testid="event-row">
              <td className="whitespace-nowrap font-mono text-xs" data-testid="event-time">
                {when(e.lastTimestamp ?? e.firstTimestamp)}{' '}
                <span className="text-muted">({age(e.lastTimestamp ?? e.firstTimestamp)} ago)</span>
              </td>
              <td>
                {e.type === 'Warning' ? (
                  <Badge tone="warn">Warning</Badge>
                ) : (
                  <span className="text-muted">{e.type}</span>
                )}
              </td>
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
