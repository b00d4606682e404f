'use client';
// Whether the user may do an action, and if not, why (shown as title and visible text beside the button).
import type { WhoAmIReply } from '@/lib/api/types';
import { useWhoAmI } from '../data/hooks';

type Action = keyof WhoAmIReply['can'];

export function usePermission(action: Action): { allowed: boolean; why: string; known: boolean } {
  const who = useWhoAmI();
  if (!who.data) return { allowed: false, known: false, why: who.error ? 'Cannot tell who you are: ' + (who.error as Error).message : 'Checking permissions…' };
  if (who.data.readOnly) return { allowed: false, known: true, why: 'The console runs read-only: actions are turned off.' };
  if (!who.data.can[action]) return { allowed: false, known: true, why: who.data.why[action] ?? `${who.data.user} is not allowed to do this.` };
  return { allowed: true, known: true, why: '' };
}
