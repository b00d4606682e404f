// A pool's rendered configs in time order: which one its nodes run now (status), which one they ran before, and
// which one the pool is moving to (spec). Pure, for the MachineConfigs list and the pool page.
import type { MachineConfigSummary, PoolSummary } from '@/lib/api/types';
import { epoch } from './format';

export type ConfigMark = 'current' | 'previous' | 'target';

/** Newest first; equal times by name, so the order is stable. */
export function byCreation(a: MachineConfigSummary, b: MachineConfigSummary): number {
  return epoch(b.creationTimestamp) - epoch(a.creationTimestamp) || a.name.localeCompare(b.name);
}

/** The rendered configs of one pool, newest first. */
export function poolHistory(pool: string, configs: MachineConfigSummary[]): MachineConfigSummary[] {
  return configs.filter((m) => m.rendered && m.pool === pool).sort(byCreation);
}

/** For each rendered config that is some pool's current, previous (the one rendered before the current) or target. */
export function configMarks(
  pools: PoolSummary[],
  configs: MachineConfigSummary[],
): Map<string, { pool: string; mark: ConfigMark }[]> {
  const marks = new Map<string, { pool: string; mark: ConfigMark }[]>();
  const add = (name: string | null | undefined, pool: string, mark: ConfigMark) => {
    if (!name) return;
    marks.set(name, [...(marks.get(name) ?? []), { pool, mark }]);
  };
  for (const p of pools) {
    const history = poolHistory(p.name, configs);
    const at = history.findIndex((m) => m.name === p.renderedConfig);
    add(p.renderedConfig, p.name, 'current');
    if (at >= 0) add(history[at + 1]?.name, p.name, 'previous');
    if (p.targetConfig !== p.renderedConfig) add(p.targetConfig, p.name, 'target');
  }
  return marks;
}
