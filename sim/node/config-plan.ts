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
  /** `unit`: a unit file, which the daemon disables first when enabled and the config says enabled or not. */
  | { path: string; action: 'write'; contents: Uint8Array; mode: number; unit?: string }
  /** os.RemoveAll of the path, then a link to /dev/null (file_writers.go writeUnit). */
  | { path: string; action: 'mask' }
  /** `mask: false` without contents: os.RemoveAll of whatever is at the path (a stale mask). */
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
  /** Units the config enables and disables (`enabled: true|false`), in order, for `systemctl enable|disable`. */
  enable: string[];
  disable: string[];
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
    // file_writers.go writeUnit: a mask wins; contents replace whatever is at the path (a link is replaced, not
    // followed); only an explicit `mask: false` without contents removes what is there (BZ 1966445).
    if (u.mask) writes.push({ path, action: 'mask' });
    else if (u.contents) {
      const unit = u.enabled === true || u.enabled === false ? u.name : undefined;
      writes.push({
        path,
        action: 'write',
        contents: encoder.encode(u.contents),
        mode: 0o644,
        ...(unit ? { unit } : {}),
      });
    } else if (u.mask === false) writes.push({ path, action: 'unmask' });
  }
  return writes;
}

/** update.go writeUnits: `enabled: true` units are enabled, `false` disabled, unset ones left to presets. */
function enablement(ign: IgnitionConfig): { enable: string[]; disable: string[] } {
  const units = ign.systemd?.units ?? [];
  return {
    enable: units.filter((u) => u.enabled === true).map((u) => u.name),
    disable: units.filter((u) => u.enabled === false).map((u) => u.name),
  };
}

/** The plan of a MachineConfig object from the store (cached by name and resourceVersion). */
export function configPlan(mc: KubeObject): ConfigPlan {
  // The uid too: stores in one process (tests) reuse names and resourceVersions.
  const key = `${mc.metadata.name}\0${mc.metadata.uid ?? ''}\0${mc.metadata.resourceVersion ?? ''}`;
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
    ...(ignition ? enablement(ignition) : { enable: [], disable: [] }),
    currentConfigBytes: encoder.encode(JSON.stringify(mc)),
  };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, plan);
  return plan;
}
