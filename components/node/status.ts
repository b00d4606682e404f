import type { FileCheckStatus } from '@/lib/api/types';
import type { Tone } from '../ui';

export const statusTone = (s: FileCheckStatus): Tone => (s === 'ok' ? 'ok' : 'bad');
/** Drifted first, in a stable order of severity. */
export const statusRank: Record<FileCheckStatus, number> = { missing: 0, unreadable: 1, content: 2, mode: 3, ok: 4 };
