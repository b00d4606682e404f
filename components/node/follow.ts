'use client';
// Following a node after an action: the phases it went through (Working, Rebooting, Done), read from the node
// as the live stream refreshes it, so the page shows progress without a reload.
import { useEffect, useRef, useState } from 'react';
import type { NodeReply } from '@/lib/api/types';

export type Phase = 'Done' | 'Working' | 'Rebooting' | 'Degraded' | 'Unreconcilable' | 'Unknown';

export function phaseOf(n: NodeReply): Phase {
  if (n.postConfigAction === 'Rebooting' || !n.ready) return 'Rebooting';
  const s = n.state;
  if (s === 'Done' || s === 'Working' || s === 'Degraded' || s === 'Unreconcilable') return s;
  return 'Unknown';
}

export interface Follow {
  action: string;
  /** The file an action restored, to say when that file is fixed while others still differ. */
  path?: string;
  phases: Phase[];
  finished: boolean;
}

/** Start following with `start(label)`; phases accumulate until the node is Done again after a change. */
export function useFollow(node: NodeReply | undefined) {
  const [follow, setFollow] = useState<Follow | null>(null);
  const startPhase = useRef<Phase | null>(null);
  const changed = useRef(false);
  const phase = node ? phaseOf(node) : null;

  useEffect(() => {
    if (!follow || follow.finished || !phase) return;
    if (phase !== startPhase.current) changed.current = true;
    setFollow((f) => {
      if (!f) return f;
      const last = f.phases[f.phases.length - 1];
      const phases = last === phase ? f.phases : [...f.phases, phase];
      const finished = changed.current && phase === 'Done';
      return last === phase && finished === f.finished ? f : { ...f, phases, finished };
    });
  }, [phase, follow]);

  return {
    follow,
    start(action: string, path?: string) {
      startPhase.current = phase;
      changed.current = false;
      setFollow({ action, path, phases: [], finished: false });
    },
    clear: () => setFollow(null),
  };
}
