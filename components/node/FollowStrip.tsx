'use client';
// The progress of an action on a node, as the node reports it.
import type { Follow, Phase } from './follow';
import { Badge, type Tone } from '../ui';

const tone: Record<Phase, Tone> = { Done: 'ok', Working: 'busy', Rebooting: 'busy', Degraded: 'bad', Unreconcilable: 'bad', Unknown: 'idle' };

export function FollowStrip({ follow, onDismiss }: { follow: Follow; onDismiss: () => void }) {
  return (
    <div
      data-testid="follow"
      role="status"
      aria-live="polite"
      className={`mb-4 flex items-center gap-2 rounded border px-3 py-2 text-sm ${follow.finished ? 'border-ok/40 bg-ok-bg' : 'border-busy/40 bg-busy-bg'}`}
    >
      <span className="font-medium">{follow.action}:</span>
      <span>requested</span>
      {follow.phases.map((p, i) => (
        <span key={i} className="flex items-center gap-2">
          <span aria-hidden>→</span>
          <Badge tone={tone[p]}>{p === 'Rebooting' ? 'Rebooting' : p}</Badge>
        </span>
      ))}
      <span className="ml-2 text-muted">{follow.finished ? 'The node is Done.' : 'Following the node live…'}</span>
      <button type="button" className="ml-auto text-xs text-muted underline" onClick={onDismiss}>
        dismiss
      </button>
    </div>
  );
}
