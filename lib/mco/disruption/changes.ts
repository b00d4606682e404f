// What changed between two rendered MachineConfigs, in the terms the daemon decides by (MCO pkg/daemon/update.go
// newMachineConfigDiff; pkg/controller/common/helpers.go CalculateConfigFileDiffs, CalculateConfigUnitDiffs /
// GetChangedConfigUnitsByType). The daemon compares whole Ignition entries with reflect.DeepEqual, so a file
// whose owner or data-URL encoding changed is "changed" even when its bytes and mode are not.
import { listDiff } from '../diff';
import { decodeFileContents, parseIgnition } from '../ignition';
import type { IgnitionConfig, IgnitionFile, IgnitionUnit, ListDiff, MachineConfig } from '../types';
import { disruptionRules } from './version';

export type ChangeKind = 'added' | 'removed' | 'changed';

/** Which part of a file entry differs; `encoding` = same bytes written as a different data URL or compression. */
export type FileField = 'contents' | 'mode' | 'owner' | 'overwrite' | 'encoding' | 'append' | 'other';

export interface FileChange {
  path: string;
  change: ChangeKind;
  /** For `changed`: what differs (never empty). For added/removed: []. */
  fields: FileField[];
  modeBefore: number | null;
  modeAfter: number | null;
}

export type UnitField = 'contents' | 'enabled' | 'mask' | 'dropins';

export interface UnitChange {
  name: string;
  change: ChangeKind;
  fields: UnitField[];
  /** Dropins of a changed unit, by name. */
  dropins?: { added: string[]; removed: string[]; changed: string[] };
}

export interface SshKeyChange {
  user: string;
  added: string[];
  removed: string[];
}

export interface ConfigChanges {
  /** Changed files in the daemon's diffFileSet: removed (old config order), then added or changed (new order). */
  files: FileChange[];
  /** Changed units (the unit diff set): order per version, see DisruptionRules.unitOrder. */
  units: UnitChange[];
  /** `diff.files`: the storage.files lists differ at all (also true when only their order changed). */
  filesSection: boolean;
  /** `diff.units`: the systemd.units lists differ at all. */
  unitsSection: boolean;
  /** `diff.passwd`: the passwd sections differ (SSH keys are the only passwd change the MCO allows). */
  passwd: boolean;
  /** SSH keys per user that were added or removed (display; `passwd` is what the daemon decides by). */
  sshKeys: SshKeyChange[];
  osImageURL: { from: string; to: string } | null;
  /** Kernel arguments: `changed` is the daemon's test (order matters, nil = empty); added/removed for display. */
  kernelArguments: ListDiff & { changed: boolean };
  extensions: ListDiff & { changed: boolean };
  fips: { from: boolean; to: boolean } | null;
  kernelType: { from: string; to: string } | null;
}

type Json = Record<string, unknown>;

/**
 * A canonical form for reflect.DeepEqual on decoded Go structs: null/absent pointers are the same; empty lists
 * and empty structs are dropped (rendered configs are marshalled with omitempty, so nil and empty never both
 * occur there); keys sorted.
 */
function canon(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) {
    const items = v.map((x) => canon(x) ?? null);
    return items.length ? items : undefined;
  }
  if (typeof v === 'object') {
    const out: Json = {};
    for (const k of Object.keys(v as Json).sort()) {
      const c = canon((v as Json)[k]);
      if (c !== undefined) out[k] = c;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v;
}
const key = (v: unknown) => JSON.stringify(canon(v) ?? null);

// The fields Ignition's Go types know (ign3types.File, Unit, Dropin): unknown JSON fields are dropped on decode.
const fileFields = (f: IgnitionFile) => ({
  path: f.path,
  overwrite: f.overwrite,
  mode: f.mode,
  user: f.user,
  group: f.group,
  contents: f.contents,
  append: f.append,
});
const unitFields = (u: IgnitionUnit) => ({
  name: u.name,
  contents: u.contents,
  enabled: u.enabled,
  mask: u.mask,
  dropins: (u.dropins ?? []).map((d) => ({ name: d.name, contents: d.contents })),
});

function ignitionOf(mc: MachineConfig): IgnitionConfig {
  const raw = mc.spec?.config;
  return raw ? parseIgnition(raw) : { ignition: { version: '3.4.0' } };
}

function bytesOf(f: IgnitionFile): string | null {
  try {
    return Array.from(decodeFileContents(f.contents?.source, f.contents?.compression)).join(',');
  } catch {
    return null;
  }
}

function fileFieldsChanged(a: IgnitionFile, b: IgnitionFile): FileField[] {
  const fields: FileField[] = [];
  if (key(a.contents) !== key(b.contents)) {
    const ba = bytesOf(a);
    const bb = bytesOf(b);
    fields.push(ba !== null && ba === bb ? 'encoding' : 'contents');
  }
  if (key(a.mode) !== key(b.mode)) fields.push('mode');
  if (key(a.user) !== key(b.user) || key(a.group) !== key(b.group)) fields.push('owner');
  if (key(a.overwrite) !== key(b.overwrite)) fields.push('overwrite');
  if (key(a.append) !== key(b.append)) fields.push('append');
  if (fields.length === 0) fields.push('other');
  return fields;
}

function byName<T>(items: T[], name: (t: T) => string): Map<string, T> {
  // Later entries win, as Go's map assignment in CalculateConfigFileDiffs does.
  const m = new Map<string, T>();
  for (const it of items) m.set(name(it), it);
  return m;
}

function fileChanges(oldFiles: IgnitionFile[], newFiles: IgnitionFile[]): FileChange[] {
  const before = byName(oldFiles, (f) => f.path);
  const after = byName(newFiles, (f) => f.path);
  const out: FileChange[] = [];
  for (const [path, f] of before) {
    if (!after.has(path))
      out.push({ path, change: 'removed', fields: [], modeBefore: f.mode ?? null, modeAfter: null });
  }
  for (const [path, f] of after) {
    const old = before.get(path);
    if (!old) out.push({ path, change: 'added', fields: [], modeBefore: null, modeAfter: f.mode ?? null });
    else if (key(fileFields(old)) !== key(fileFields(f))) {
      out.push({
        path,
        change: 'changed',
        fields: fileFieldsChanged(old, f),
        modeBefore: old.mode ?? null,
        modeAfter: f.mode ?? null,
      });
    }
  }
  return out;
}

function unitChange(old: IgnitionUnit, u: IgnitionUnit): UnitChange {
  const fields: UnitField[] = [];
  if (key(old.contents) !== key(u.contents)) fields.push('contents');
  if (key(old.enabled) !== key(u.enabled)) fields.push('enabled');
  if (key(old.mask) !== key(u.mask)) fields.push('mask');
  const a = unitFields(old).dropins;
  const b = unitFields(u).dropins;
  const change: UnitChange = { name: u.name, change: 'changed', fields };
  if (key(a) !== key(b)) {
    fields.push('dropins');
    const da = byName(a, (d) => d.name);
    const db = byName(b, (d) => d.name);
    change.dropins = {
      added: [...db.keys()].filter((n) => !da.has(n)),
      removed: [...da.keys()].filter((n) => !db.has(n)),
      changed: [...db.keys()].filter((n) => da.has(n) && key(da.get(n)) !== key(db.get(n))),
    };
  }
  return change;
}

function unitChanges(
  oldUnits: IgnitionUnit[],
  newUnits: IgnitionUnit[],
  order: 'removedFirst' | 'byType',
): UnitChange[] {
  const before = byName(oldUnits, (u) => u.name);
  const after = byName(newUnits, (u) => u.name);
  const removed: UnitChange[] = [];
  const added: UnitChange[] = [];
  const changed: UnitChange[] = [];
  const mixed: UnitChange[] = [];
  for (const name of before.keys()) if (!after.has(name)) removed.push({ name, change: 'removed', fields: [] });
  for (const [name, u] of after) {
    const old = before.get(name);
    if (!old) {
      const c: UnitChange = { name, change: 'added', fields: [] };
      added.push(c);
      mixed.push(c);
    } else if (key(unitFields(old)) !== key(unitFields(u))) {
      const c = unitChange(old, u);
      changed.push(c);
      mixed.push(c);
    }
  }
  return order === 'removedFirst' ? [...removed, ...mixed] : [...added, ...changed, ...removed];
}

function sshKeyChanges(a: IgnitionConfig, b: IgnitionConfig): SshKeyChange[] {
  const ua = byName(a.passwd?.users ?? [], (u) => u.name);
  const ub = byName(b.passwd?.users ?? [], (u) => u.name);
  const out: SshKeyChange[] = [];
  for (const user of new Set([...ua.keys(), ...ub.keys()])) {
    const ka = ua.get(user)?.sshAuthorizedKeys ?? [];
    const kb = ub.get(user)?.sshAuthorizedKeys ?? [];
    const added = kb.filter((k) => !ka.includes(k));
    const removed = ka.filter((k) => !kb.includes(k));
    if (added.length || removed.length) out.push({ user, added, removed });
  }
  return out;
}

/** The daemon's slice test: both empty (nil or []) → unchanged, else reflect.DeepEqual (order matters). */
function sliceChanged(a: readonly string[] | null | undefined, b: readonly string[] | null | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  if (x.length === 0 && y.length === 0) return false;
  return x.length !== y.length || x.some((v, i) => v !== y[i]);
}

/** CanonicalizeKernelType (pkg/helpers): realtime and 64k-pages stay, anything else is default. */
export function canonicalKernelType(t: string | undefined): string {
  return t === 'realtime' || t === '64k-pages' ? t : 'default';
}

/**
 * The changes from `oldConfig` to `newConfig` as the daemon of `version` sees them. Both configs need a spec
 * (rendered configs have one); Ignition errors throw McoError. The order of `files` and `units` is the order the
 * daemon feeds them to the policy lookup (upstream it iterates Go maps; here: config order).
 */
export function configChanges(oldConfig: MachineConfig, newConfig: MachineConfig, version: string): ConfigChanges {
  const rules = disruptionRules(version);
  const a = ignitionOf(oldConfig);
  const b = ignitionOf(newConfig);
  const oldFiles = a.storage?.files ?? [];
  const newFiles = b.storage?.files ?? [];
  const oldUnits = a.systemd?.units ?? [];
  const newUnits = b.systemd?.units ?? [];
  const sa = oldConfig.spec ?? {};
  const sb = newConfig.spec ?? {};
  const osA = sa.osImageURL ?? '';
  const osB = sb.osImageURL ?? '';
  const ktA = canonicalKernelType(sa.kernelType);
  const ktB = canonicalKernelType(sb.kernelType);
  return {
    files: fileChanges(oldFiles, newFiles),
    units: unitChanges(oldUnits, newUnits, rules.unitOrder),
    filesSection: key(oldFiles.map(fileFields)) !== key(newFiles.map(fileFields)),
    unitsSection: key(oldUnits.map(unitFields)) !== key(newUnits.map(unitFields)),
    passwd: key(a.passwd) !== key(b.passwd),
    sshKeys: sshKeyChanges(a, b),
    osImageURL: osA !== osB ? { from: osA, to: osB } : null,
    kernelArguments: {
      ...listDiff(sa.kernelArguments ?? [], sb.kernelArguments ?? []),
      changed: sliceChanged(sa.kernelArguments, sb.kernelArguments),
    },
    extensions: {
      ...listDiff(sa.extensions ?? [], sb.extensions ?? []),
      changed: sliceChanged(sa.extensions, sb.extensions),
    },
    fips: (sa.fips ?? false) !== (sb.fips ?? false) ? { from: sa.fips ?? false, to: sb.fips ?? false } : null,
    kernelType: ktA !== ktB ? { from: ktA, to: ktB } : null,
  };
}
