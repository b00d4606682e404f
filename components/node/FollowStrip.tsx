'use client';
// The progress of an action on a node, as the node reports it.
import type { DriftReply } from '@/lib/api/types';
import type { Follow, Phase } from './follow';
import { Badge, type Tone } from '../ui';

const tone: Record<Phase, Tone> = {
  Done: 'ok',
  Working: 'busy',
  Rebooting: 'busy',
  Degraded: 'bad',
  Unreconcilable: 'bad',
  Unknown: 'idle',
};

/**
 * What the strip says. A restored file is fixed as soon as the drift report reads it back as ok, but the daemon keeps
 * the node Degraded while any other file differs, so say that instead of waiting for Done forever.
 */
export function followText(follow: Follow, drift: DriftReply | undefined): { text: string; fixed: boolean } {
  if (follow.finished) return { text: 'The node is Done.', fixed: true };
  const file = follow.path ? drift?.files.find((f) => f.path === follow.path) : undefined;
  if (file?.status === 'ok') {
    const others = drift!.files.filter((f) => f.status !== 'ok').length;
    if (others === 0)
      return { text: 'This file is fixed; no other file differs. Waiting for the node to report Done…', fixed: true };
    return {
      text: `This file is fixed, ${others} other${others === 1 ? ' remains' : 's remain'} drifted.`,
      fixed: true,
    };
  }
  return { text: 'Following the node live…', fixed: false };
}

export function FollowStrip({
  follow,
  drift,
  onDismiss,
}: {
  follow: Follow;
  drift?: DriftReply;
  onDismiss: () => void;
}) {
  const t = followText(follow, drift);
  return (
    <div
      data-testid="follow"
      role="status"
      aria-live="polite"
      className={`mb-4 flex items-center gap-2 rounded border px-3 py-2 text-sm ${t.fixed ? 'border-ok/40 bg-ok-bg' : 'border-busy/40 bg-busy-bg'}`}
    >
      <span className="font-medium">{follow.action}:</span>
      <span>requested</span>
      {follow.phases.map((p, i) => (
        <span key={i} className="flex items-center gap-2">
          <span aria-hidden>→</span>
          <Badge tone={tone[p]}>{p === 'Rebooting' ? 'Rebooting' : p}</Badge>
        </span>
      ))}
      <span className="ml-2 text-muted" data-testid="follow-text">
        {t.text}
      </span>
      <button type="button" className="ml-auto text-xs text-muted underline" onClick={onDismiss}>
        dismiss
      </button>
    </div>
  );
}
