// What the daemon needs from one rendered MachineConfig, computed once and shared by every daemon (thousands of
// nodes on the same config share the decoded bytes): the validation list (lib/mco managedPaths, the daemon's order),
// the writes that apply it (every file, unit, dropin and mask, as the MCO's file writers do). Whether two configs
// are reconcilable is lib/mco/reconcile.ts.
import {
  decodeFileContents,
  managedPaths,
  parseIgnition,
  type IgnitionConfig,
  type MachineConfig,
  type ManagedPath,
} from '@/lib/mco';
import type { KubeObject } from '../types';

export const SYSTEMD_DIR = '/etc/systemd/system';

export type PlannedWrite =
  | { path: string; action: 'write'; contents: Uint8Array; mode: number }
  | { path: string; action: 'mask' }
  /** A unit that is no longer masked: drop the /dev/null link if there is one. */
  | { path: string; action: 'unmask' }
  /** An empty dropin: the MCO removes it. */
  | { path: string; action: 'remove' }
  | { path: string; action: 'error'; error: string };

export interface ConfigPlan {
  name: string;
  mc: KubeObject;
  ignition: IgnitionConfig | null;
  /** The validation list, or null with `parseError` when the config cannot be parsed. */
  managed: ManagedPath[] | null;
  parseError?: string;
  writes: PlannedWrite[];
  /** The bytes of /etc/machine-config-daemon/currentconfig (the MachineConfig as JSON, as the MCD stores it). */
  currentConfigBytes: Uint8Array;
}

const encoder = new TextEncoder();
const cache = new Map<string, ConfigPlan>();
const CACHE_LIMIT = 64;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

function plannedWrites(ign: IgnitionConfig): PlannedWrite[] {
  const writes: PlannedWrite[] = [];
  for (const f of ign.storage?.files ?? []) {
    try {
      const parts = [decodeFileContents(f.contents?.source ?? null, f.contents?.compression ?? null)];
      for (const a of f.append ?? []) parts.push(decodeFileContents(a.source ?? null, a.compression ?? null));
      writes.push({ path: f.path, action: 'write', contents: concat(parts), mode: f.mode ?? 0o644 });
    } catch (err) {
      writes.push({ path: f.path, action: 'error', error: `couldn't decode file "${f.path}": ${message(err)}` });
    }
  }
  for (const u of ign.systemd?.units ?? []) {
    for (const d of u.dropins ?? []) {
      const path = `${SYSTEMD_DIR}/${u.name}.d/${d.name}`;
      if (d.contents) writes.push({ path, action: 'write', contents: encoder.encode(d.contents), mode: 0o644 });
      else writes.push({ path, action: 'remove' });
    }
    const path = `${SYSTEMD_DIR}/${u.name}`;
    if (u.mask) writes.push({ path, action: 'mask' });
    else {
      writes.push({ path, action: 'unmask' });
      if (u.contents) writes.push({ path, action: 'write', contents: encoder.encode(u.contents), mode: 0o644 });
    }
  }
  return writes;
}

/** The plan of a MachineConfig object from the store (cached by name and resourceVersion). */
export function configPlan(mc: KubeObject): ConfigPlan {
  const key = `${mc.metadata.name}\0${mc.metadata.resourceVersion ?? ''}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let ignition: IgnitionConfig | null = null;
  let managed: ManagedPath[] | null = null;
  let parseError: string | undefined;
  try {
    ignition = parseIgnition((mc.spec as { config?: unknown } | undefined)?.config ?? {});
    managed = managedPaths(mc as unknown as MachineConfig);
  } catch (err) {
    parseError = message(err);
  }
  const plan: ConfigPlan = {
    name: mc.metadata.name,
    mc,
    ignition,
    managed,
    ...(parseError !== undefined ? { parseError } : {}),
    writes: ignition ? plannedWrites(ignition) : [],
    currentConfigBytes: encoder.encode(JSON.stringify(mc)),
  };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, plan);
  return plan;
}
