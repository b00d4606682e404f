// Which source MachineConfig gives each managed path its final value: the render's merge replayed per field
// (Ignition merge: the last config in merge order that sets a field wins; MCO pkg/controller/common/helpers.go
// MergeMachineConfigs).
import { parseIgnition } from './ignition';
import { managedPaths, unitPath, dropinPath } from './managed';
import { mergeMachineConfigs, sortForMerge } from './render';
import { McoError, type Attribution, type IgnitionConfig, type MachineConfig, type ManagedKind } from './types';

const isSet = (v: unknown) => v !== undefined && v !== null;

interface Track {
  kind: ManagedKind;
  declaredBy: string[];
  /** field → the sources that set it, in merge order. */
  setters: Map<string, string[]>;
}

function note(
  tracks: Map<string, Track>,
  path: string,
  kind: ManagedKind,
  source: string,
  fields: Record<string, unknown>,
) {
  let t = tracks.get(path);
  if (!t || t.kind !== kind) {
    // A child entry of another kind at the same path replaces the parent's (files ↔ links ↔ directories);
    // a file and a unit at one path are different entries: keep the first kind seen.
    if (t && t.kind !== kind) return;
    t = { kind, declaredBy: [], setters: new Map() };
    tracks.set(path, t);
  }
  if (!t.declaredBy.includes(source)) t.declaredBy.push(source);
  for (const [field, value] of Object.entries(fields)) {
    if (!isSet(value)) continue;
    const list = t.setters.get(field) ?? [];
    list.push(source);
    t.setters.set(field, list);
  }
}

/**
 * For every path the merged config manages (managedPaths of mergeMachineConfigs), which source won `contents`
 * (files: contents.source; units and dropins: contents) and, for files, `mode`; every source that declared the path
 * (merge order); and the sources that set a field a later source set again (overridden).
 * Sources merge in sortForMerge order; metadata-only sources declare nothing. Throws McoError like
 * mergeMachineConfigs for invalid sources.
 */
export function attributeSources(configs: MachineConfig[]): Attribution {
  const merged = mergeMachineConfigs(configs);
  const tracks = new Map<string, Track>();
  for (const mc of sortForMerge(configs)) {
    const raw = mc.spec?.config;
    if (!isSet(raw)) continue;
    let ign: IgnitionConfig;
    try {
      ign = parseIgnition(raw);
    } catch (e) {
      throw new McoError(`MachineConfig ${JSON.stringify(mc.metadata.name)}: ${(e as Error).message}`);
    }
    const name = mc.metadata.name;
    for (const f of ign.storage?.files ?? []) {
      note(tracks, f.path, 'file', name, { contents: f.contents?.source, mode: f.mode });
    }
    // A directory or link at a file's path removes the file (Ignition's shared path key space).
    for (const list of [ign.storage?.directories, ign.storage?.links]) {
      for (const d of (list as { path?: string }[] | undefined) ?? []) {
        if (typeof d?.path === 'string' && tracks.get(d.path)?.kind === 'file') tracks.delete(d.path);
      }
    }
    for (const u of ign.systemd?.units ?? []) {
      for (const d of u.dropins ?? []) {
        note(tracks, dropinPath(u.name, d.name), 'dropin', name, { contents: d.contents });
      }
      note(tracks, unitPath(u.name), 'unit', name, { contents: u.contents, enabled: u.enabled, mask: u.mask });
    }
  }

  const out: Attribution = {};
  for (const mp of managedPaths(merged.spec.config as IgnitionConfig)) {
    if (out[mp.path]) continue;
    const t = tracks.get(mp.path);
    const last = (field: string) => t?.setters.get(field)?.at(-1) ?? null;
    const overridden: string[] = [];
    for (const setters of t?.setters.values() ?? []) {
      for (const s of setters.slice(0, -1)) if (!overridden.includes(s)) overridden.push(s);
    }
    out[mp.path] = {
      path: mp.path,
      kind: mp.kind,
      contentsFrom: last('contents'),
      modeFrom: mp.kind === 'file' ? last('mode') : null,
      declaredBy: t?.declaredBy ?? [],
      overridden: (t?.declaredBy ?? []).filter((s) => overridden.includes(s)),
    };
  }
  return out;
}
