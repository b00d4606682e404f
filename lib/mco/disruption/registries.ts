// Whether a change of /etc/containers/registries.conf can skip the drain (MCO pkg/daemon/drain.go
// isSafeContainerRegistryConfChanges, unchanged from release-4.14 to HEAD). Safe: only additions of mirrors, or
// of registries, that pull by digest only (https://bugzilla.redhat.com/show_bug.cgi?id=1943315).
import { parseDataUrl } from '../dataurl';
import { McoError, type IgnitionConfig } from '../types';
import { CONTAINER_REGISTRY_CONF_PATH } from './policies';
import { parseToml, type TomlTable, type TomlValue } from './toml';

/** sysregistriesv2.Endpoint. */
export interface RegistryEndpoint {
  location: string;
  insecure: boolean;
  pullFromMirror: string;
}
/** sysregistriesv2.Registry (the fields the comparison reads). */
export interface Registry extends RegistryEndpoint {
  prefix: string;
  mirrors: RegistryEndpoint[];
  blocked: boolean;
  mirrorByDigestOnly: boolean;
}
export interface RegistriesConf {
  unqualifiedSearchRegistries: string[];
  registries: Registry[];
}

export const MIRROR_BY_DIGEST_ONLY = 'digest-only';

function field<T extends TomlValue>(t: TomlTable, k: string, kind: 'string' | 'boolean', at: string): T | undefined {
  const v = t[k];
  if (v === undefined) return undefined;
  if (typeof v !== kind)
    throw new McoError(`toml: ${at}${k}: expected a ${kind}, got ${Array.isArray(v) ? 'an array' : typeof v}`);
  return v as T;
}
function tables(v: TomlValue | undefined, at: string): TomlTable[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'object' || Array.isArray(x))) {
    throw new McoError(`toml: ${at}: expected an array of tables`);
  }
  return v as TomlTable[];
}
function endpoint(t: TomlTable, at: string): RegistryEndpoint {
  return {
    location: field<string>(t, 'location', 'string', at) ?? '',
    insecure: field<boolean>(t, 'insecure', 'boolean', at) ?? false,
    pullFromMirror: field<string>(t, 'pull-from-mirror', 'string', at) ?? '',
  };
}

/** Decodes registries.conf text into the fields V2RegistriesConf has that the comparison reads. */
export function parseRegistriesConf(text: string): RegistriesConf {
  const root = parseToml(text);
  const usr = root['unqualified-search-registries'];
  if (usr !== undefined && (!Array.isArray(usr) || usr.some((x) => typeof x !== 'string'))) {
    throw new McoError('toml: unqualified-search-registries: expected an array of strings');
  }
  return {
    unqualifiedSearchRegistries: (usr as string[] | undefined) ?? [],
    registries: tables(root.registry, 'registry').map((r, i) => ({
      ...endpoint(r, `registry[${i}].`),
      prefix: field<string>(r, 'prefix', 'string', `registry[${i}].`) ?? '',
      blocked: field<boolean>(r, 'blocked', 'boolean', `registry[${i}].`) ?? false,
      mirrorByDigestOnly: field<boolean>(r, 'mirror-by-digest-only', 'boolean', `registry[${i}].`) ?? false,
      mirrors: tables(r.mirror, `registry[${i}].mirror`).map((m, j) => endpoint(m, `registry[${i}].mirror[${j}].`)),
    })),
  };
}

/** GetIgnitionFileDataByPath: the first entry for the path with a source, data URL decoded (never gunzipped). */
function fileData(config: IgnitionConfig, path: string): Uint8Array | null {
  for (const f of config.storage?.files ?? []) {
    if (f.path === path && f.contents?.source != null) return parseDataUrl(f.contents.source).data;
  }
  return null;
}

const sameRegistry = (a: Registry, b: Registry) => JSON.stringify(a) === JSON.stringify(b);
const findMirror = (loc: string, mirrors: RegistryEndpoint[]) => mirrors.find((m) => m.location === loc);
function allDigestOnly(r: Registry): boolean {
  if (r.mirrors.length === 0) return r.mirrorByDigestOnly;
  return r.mirrors.every((m) => m.pullFromMirror === MIRROR_BY_DIGEST_ONLY);
}
/** Registries by scope: the prefix when set, else the location (later entries win, as in a Go map). */
function byScope(conf: RegistriesConf): Map<string, Registry> {
  return new Map(conf.registries.map((r) => [r.prefix !== '' ? r.prefix : r.location, r]));
}

/** The comparison on decoded files: true when the change can skip the drain. */
export function isSafeRegistriesChange(before: RegistriesConf, after: RegistriesConf): boolean {
  // Search registries may only be appended: their order is the lookup order.
  if (before.unqualifiedSearchRegistries.length > after.unqualifiedSearchRegistries.length) return false;
  if (before.unqualifiedSearchRegistries.some((r, i) => after.unqualifiedSearchRegistries[i] !== r)) return false;
  const oldRegs = byScope(before);
  const newRegs = byScope(after);
  for (const scope of oldRegs.keys()) if (!newRegs.has(scope)) return false;
  for (const [scope, reg] of newRegs) {
    const old = oldRegs.get(scope);
    if (!old) {
      if (!allDigestOnly(reg)) return false;
      continue;
    }
    if (sameRegistry(old, reg)) continue;
    if (old.prefix !== reg.prefix || old.location !== reg.location) return false;
    if (old.blocked !== reg.blocked || old.insecure !== reg.insecure) return false;
    if (old.mirrors.some((m) => !findMirror(m.location, reg.mirrors))) return false;
    for (const m of reg.mirrors) {
      const was = findMirror(m.location, old.mirrors);
      if (was && m.pullFromMirror !== was.pullFromMirror && m.pullFromMirror !== MIRROR_BY_DIGEST_ONLY) return false;
      if (!was && m.pullFromMirror !== MIRROR_BY_DIGEST_ONLY && !reg.mirrorByDigestOnly) return false;
    }
  }
  return true;
}

/**
 * isSafeContainerRegistryConfChanges on two Ignition configs: reads registries.conf from each (absent = empty
 * file) and compares. Throws McoError with the daemon's wrapping when a file cannot be decoded.
 */
export function isSafeContainerRegistryConfChanges(oldConfig: IgnitionConfig, newConfig: IgnitionConfig): boolean {
  const read = (c: IgnitionConfig, sep: string) => {
    let data: Uint8Array | null;
    try {
      data = fileData(c, CONTAINER_REGISTRY_CONF_PATH);
    } catch (e) {
      throw new McoError(`failed decoding Data URL scheme string${sep} ${(e as Error).message}`);
    }
    try {
      return parseRegistriesConf(new TextDecoder().decode(data ?? new Uint8Array(0)));
    } catch (e) {
      throw new McoError(
        `failed decoding TOML content from file ${CONTAINER_REGISTRY_CONF_PATH}: ${(e as Error).message}`,
      );
    }
  };
  // The daemon's two messages differ by a colon (drain.go).
  return isSafeRegistriesChange(read(oldConfig, ':'), read(newConfig, ''));
}
