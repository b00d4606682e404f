'use client';
// Whether the user may do an action, and if not, why: shown as the button's title and as visible text beside it.
import type { Capability } from '@/lib/api/types';
import { useWhoAmI } from './hooks';

export interface Permission {
  allowed: boolean;
  why: string;
  /** Whether /api/whoami has answered (before that, no reason is shown beside the button). */
  known: boolean;
}

export function usePermission(action: Capability): Permission {
  const who = useWhoAmI();
  if (!who.data)
    return {
      allowed: false,
      known: false,
      why: who.error ? 'Cannot tell who you are: ' + (who.error as Error).message : 'Checking permissions…',
    };
  if (who.data.readOnly)
    return { allowed: false, known: true, why: 'The console runs read-only: actions are turned off.' };
  if (!who.data.can[action])
    return { allowed: false, known: true, why: who.data.why[action] ?? `${who.data.user} is not allowed to do this.` };
  return { allowed: true, known: true, why: '' };
}

/** The reason an action is not allowed, as visible text beside its disabled button. */
export function PermissionNote({ perm, testId }: { perm: Permission; testId?: string }) {
  if (perm.allowed || !perm.known) return null;
  return (
    <span data-testid={testId} className="max-w-80 text-xs text-muted">
      {perm.why}
    </span>
  );
}
