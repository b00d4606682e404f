// Ignition configs as the MCO reads them (MCO pkg/controller/common/helpers.go IgnParseWrapper and
// DecodeIgnitionFileContents): spec 2.2 and 3.0–3.5, normalised to one v3 shape; file contents decoded from data
// URLs (+ gzip). Pure: no Node APIs.
import { parseDataUrl } from './dataurl';
import { goQuote } from './goquote';
import { gunzip } from './gzip';
import {
  McoError,
  type IgnitionConfig,
  type IgnitionDropin,
  type IgnitionFile,
  type IgnitionUnit,
  type IgnitionUser,
} from './types';

/**
 * The version the MCO 4.14–4.18 writes rendered configs in (MCO pkg/controller/common/constants.go
 * InternalMCOIgnitionVersion); also what v2 configs convert to.
 */
export const INTERNAL_IGNITION_VERSION = '3.4.0';
export const SUPPORTED_SPEC_VERSIONS = '2.2, 3.0, 3.1, 3.2, 3.3, 3.4, 3.5';
const MAX_V3_MINOR = 5;

// The MCO's IgnParseWrapper messages (pkg/controller/common/helpers.go), with the 3.5-era version list.
export const INVALID_VERSION_MESSAGE = `parsing Ignition config failed: invalid version. Supported spec versions: ${SUPPORTED_SPEC_VERSIONS}`;
export const UNKNOWN_VERSION_MESSAGE = `parsing Ignition config failed: unknown version. Supported spec versions: ${SUPPORTED_SPEC_VERSIONS}`;

/** How a normalised config was written originally. Kept beside the object, so the JSON stays Ignition's own. */
export interface IgnitionOrigin {
  /** The `ignition.version` the source carried, e.g. "2.2.0" or "3.2.0". */
  sourceVersion: string;
  spec: 2 | 3;
}

const origins = new WeakMap<object, IgnitionOrigin>();

/** The origin of a config returned by parseIgnition (undefined for objects it did not produce). */
export function ignitionOrigin(config: IgnitionConfig): IgnitionOrigin | undefined {
  return origins.get(config);
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)?.slice(0, 40)}`;
}

function fail(path: string, what: string, got: unknown): never {
  throw new McoError(`${path}: expected ${what}, got ${describe(got)}`);
}

// Field checkers: null/absent is always fine (Go leaves the field nil), a wrong type is an error naming the field.
function optObject(v: unknown, path: string): Json | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) fail(path, 'an object', v);
  return v;
}
function optArray(v: unknown, path: string): unknown[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) fail(path, 'an array', v);
  return v;
}
function optString(v: unknown, path: string): void {
  if (v !== undefined && v !== null && typeof v !== 'string') fail(path, 'a string', v);
}
function optBool(v: unknown, path: string): void {
  if (v !== undefined && v !== null && typeof v !== 'boolean') fail(path, 'a boolean', v);
}
function optInt(v: unknown, path: string): void {
  if (v === undefined || v === null) return;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'a number', v);
  if (!Number.isInteger(v)) fail(path, 'an integer', v);
}
function reqString(v: unknown, path: string): void {
  if (typeof v !== 'string') fail(path, 'a string', v);
}

function checkResource(v: unknown, path: string): void {
  const r = optObject(v, path);
  if (!r) return;
  optString(r.source, `${path}.source`);
  optString(r.compression, `${path}.compression`);
  const ver = optObject(r.verification, `${path}.verification`);
  if (ver) optString(ver.hash, `${path}.verification.hash`);
  optArray(r.httpHeaders, `${path}.httpHeaders`);
}

function checkNodeUser(v: unknown, path: string): void {
  const u = optObject(v, path);
  if (!u) return;
  optInt(u.id, `${path}.id`);
  optString(u.name, `${path}.name`);
}

/** Each element of an optional array field, which must be an object: `check(element, itsPath)`. */
function eachObject(v: unknown, path: string, check: (o: Json, p: string) => void): void {
  (optArray(v, path) ?? []).forEach((e, i) => {
    const p = `${path}[${i}]`;
    if (!isObject(e)) fail(p, 'an object', e);
    check(e, p);
  });
}

/** Type checks shared by both specs; `spec` decides the shape of `append` and `mask`. */
function checkShape(cfg: Json, prefix: string, spec: 2 | 3): void {
  const storage = optObject(cfg.storage, `${prefix}storage`);
  if (storage) {
    eachObject(storage.files, `${prefix}storage.files`, (f, p) => {
      reqString(f.path, `${p}.path`);
      optInt(f.mode, `${p}.mode`);
      optBool(f.overwrite, `${p}.overwrite`);
      checkNodeUser(f.user, `${p}.user`);
      checkNodeUser(f.group, `${p}.group`);
      checkResource(f.contents, `${p}.contents`);
      if (spec === 3) {
        (optArray(f.append, `${p}.append`) ?? []).forEach((a, j) => checkResource(a, `${p}.append[${j}]`));
      } else {
        optBool(f.append, `${p}.append`);
        optString(f.filesystem, `${p}.filesystem`);
      }
    });
    for (const list of ['directories', 'links'] as const) {
      eachObject(storage[list], `${prefix}storage.${list}`, (d, p) => reqString(d.path, `${p}.path`));
    }
    for (const list of ['disks', 'filesystems', 'raid', 'luks'] as const)
      optArray(storage[list], `${prefix}storage.${list}`);
  }
  const systemd = optObject(cfg.systemd, `${prefix}systemd`);
  if (systemd) {
    eachObject(systemd.units, `${prefix}systemd.units`, (u, p) => {
      reqString(u.name, `${p}.name`);
      optBool(u.enabled, `${p}.enabled`);
      optBool(u.mask, `${p}.mask`);
      if (spec === 2) optBool(u.enable, `${p}.enable`);
      optString(u.contents, `${p}.contents`);
      eachObject(u.dropins, `${p}.dropins`, (d, dp) => {
        reqString(d.name, `${dp}.name`);
        optString(d.contents, `${dp}.contents`);
      });
    });
  }
  const passwd = optObject(cfg.passwd, `${prefix}passwd`);
  if (passwd) {
    eachObject(passwd.users, `${prefix}passwd.users`, (u, p) => {
      reqString(u.name, `${p}.name`);
      optString(u.passwordHash, `${p}.passwordHash`);
      (optArray(u.sshAuthorizedKeys, `${p}.sshAuthorizedKeys`) ?? []).forEach((k, j) =>
        reqString(k, `${p}.sshAuthorizedKeys[${j}]`),
      );
    });
    optArray(passwd.groups, `${prefix}passwd.groups`);
  }
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/;

/**
 * Which spec a version string selects, as Ignition's parsers decide: an unparsable version is "invalid"; v3 is
 * exactly 3.0.0–3.5.0 (ParseCompatibleVersion), v2 exactly 2.2.0 (the v2_2 parser); anything else is "unknown".
 */
function specOf(version: unknown): 2 | 3 {
  const m = typeof version === 'string' ? SEMVER.exec(version) : null;
  if (!m) throw new McoError(INVALID_VERSION_MESSAGE);
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const plain = patch === 0 && m[4] === undefined && m[5] === undefined;
  if (plain && major === 3 && minor <= MAX_V3_MINOR) return 3;
  if (plain && major === 2 && minor === 2) return 2;
  throw new McoError(UNKNOWN_VERSION_MESSAGE);
}

function toJsonObject(raw: unknown): Json {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch (e) {
      throw new McoError(
        `parsing Ignition config spec v3 failed with error: config is not valid JSON: ${(e as Error).message}`,
      );
    }
  } else if (raw instanceof Uint8Array) {
    return toJsonObject(new TextDecoder().decode(raw));
  }
  if (!isObject(value)) throw new McoError(`Ignition config: expected an object, got ${describe(value)}`);
  return value;
}

/**
 * Parses an Ignition config (object, JSON text or bytes) of spec 2.2 or 3.0–3.5 into one v3 shape.
 * - Version errors carry the MCO's exact message (INVALID_/UNKNOWN_VERSION_MESSAGE).
 * - Wrong field types throw McoError naming the field: `storage.files[3].mode: expected a number, got string "420"`.
 * - v3 input keeps its own `ignition.version`; everything else is copied (unknown fields kept).
 * - v2.2 input is converted as the MCO does (removeIgnDuplicateFilesUnitsUsers, then the 2.2→3 translation):
 *   files and units are deduplicated keeping the LAST entry and come out in reverse order; dropins of duplicate
 *   units are concatenated; all users fold into one `core` user with deduplicated keys; `filesystem` is dropped;
 *   `append: true` moves the contents into `append`; `mode`, `user`, `group`, `contents` carry over.
 *   The result's version is INTERNAL_IGNITION_VERSION; ignitionOrigin() tells that it came from v2.
 * Calling it on its own result returns that result unchanged.
 */
export function parseIgnition(raw: unknown): IgnitionConfig {
  return parseIgnitionAt(raw, '');
}

/** parseIgnition with a prefix for field paths in messages (e.g. `spec.config.`). */
export function parseIgnitionAt(raw: unknown, prefix: string): IgnitionConfig {
  if (isObject(raw) && origins.has(raw)) return raw as IgnitionConfig;
  const obj = toJsonObject(raw);
  const ign = obj.ignition;
  if (ign !== undefined && ign !== null && !isObject(ign)) fail(`${prefix}ignition`, 'an object', ign);
  const sourceVersion = isObject(ign) ? ign.version : undefined;
  const spec = specOf(sourceVersion);
  checkShape(obj, prefix, spec);
  const out = spec === 3 ? (cloneJson(obj) as IgnitionConfig) : convertV2(cloneJson(obj) as Json);
  origins.set(out, { sourceVersion: sourceVersion as string, spec });
  return out;
}

function cloneJson<T>(v: T): T {
  try {
    return structuredClone(v);
  } catch (e) {
    throw new McoError(`Ignition config: not plain JSON data: ${(e as Error).message}`);
  }
}

function convertV2(cfg: Json): IgnitionConfig {
  const out: Json = {};
  const ign = cfg.ignition as Json;
  const ignOut: Json = { ...ign, version: INTERNAL_IGNITION_VERSION };
  if (isObject(ign.config)) {
    const c = { ...(ign.config as Json) };
    if ('append' in c) {
      c.merge = c.append;
      delete c.append;
    }
    ignOut.config = c;
  }
  out.ignition = ignOut;

  // removeIgnDuplicateFilesUnitsUsers: walk from the end, keep the first seen (= the last written).
  const storage = isObject(cfg.storage) ? cfg.storage : undefined;
  const systemd = isObject(cfg.systemd) ? cfg.systemd : undefined;
  const passwd = isObject(cfg.passwd) ? cfg.passwd : undefined;
  const files = (storage?.files as Json[] | undefined) ?? [];
  const seenPaths = new Set<string>();
  const outFiles: IgnitionFile[] = [];
  for (let i = files.length - 1; i >= 0; i--) {
    const f = files[i];
    if (seenPaths.has(f.path as string)) continue;
    seenPaths.add(f.path as string);
    outFiles.push(convertV2File(f));
  }
  const units = (systemd?.units as Json[] | undefined) ?? [];
  const outUnits: IgnitionUnit[] = [];
  const unitIndex = new Map<string, number>();
  for (let i = units.length - 1; i >= 0; i--) {
    const u = units[i];
    const name = u.name as string;
    const at = unitIndex.get(name);
    if (at !== undefined) {
      // A duplicate unit only contributes dropins the kept entry lacks.
      const kept = outUnits[at];
      for (const d of (u.dropins as IgnitionDropin[] | null | undefined) ?? []) {
        kept.dropins ??= [];
        if (!kept.dropins.some((k) => k.name === d.name)) kept.dropins.push(d);
      }
      continue;
    }
    unitIndex.set(name, outUnits.length);
    outUnits.push(convertV2Unit(u));
  }
  const users = (passwd?.users as Json[] | undefined) ?? [];
  let outUsers: IgnitionUser[] | undefined;
  if (users.length > 0) {
    const keys: string[] = [];
    for (let i = users.length - 1; i >= 0; i--) {
      if (users[i].name !== 'core') {
        throw new McoError(`unexpected user with name: ${users[i].name}. Only core user is supported`);
      }
      keys.push(...((users[i].sshAuthorizedKeys as string[] | null) ?? []));
    }
    const last = { ...users[users.length - 1] };
    delete last.create;
    last.sshAuthorizedKeys = [...new Set(keys)];
    outUsers = [last as IgnitionUser];
  }

  if (storage) {
    const s: Json = { ...storage };
    if (storage.files !== undefined) s.files = outFiles;
    for (const list of ['directories', 'links'] as const) {
      if (Array.isArray(storage[list])) s[list] = (storage[list] as Json[]).map(dropFilesystem);
    }
    out.storage = s;
  }
  if (systemd) out.systemd = { ...systemd, ...(systemd.units !== undefined ? { units: outUnits } : {}) };
  if (passwd) out.passwd = { ...passwd, ...(outUsers ? { users: outUsers } : {}) };
  // networkd has no v3 counterpart; other top-level sections pass through.
  for (const [k, v] of Object.entries(cfg)) {
    if (!(k in out) && k !== 'networkd') out[k] = v;
  }
  return out as IgnitionConfig;
}

function dropFilesystem(e: Json): Json {
  const { filesystem: _fs, ...rest } = e;
  return rest;
}

function convertV2File(f: Json): IgnitionFile {
  const { filesystem: _fs, append, contents, ...rest } = f;
  const out: Json = { ...rest };
  if (append === true) {
    if (contents !== undefined && contents !== null) out.append = [contents];
  } else if (contents !== undefined) {
    out.contents = contents;
  }
  return out as unknown as IgnitionFile;
}

function convertV2Unit(u: Json): IgnitionUnit {
  const { enable, enabled, mask, ...rest } = u;
  const out: Json = { ...rest };
  // v2's deprecated `enable: true` means enabled; `mask` was a plain bool (false = unset).
  if (typeof enabled === 'boolean') out.enabled = enabled;
  else if (enable === true) out.enabled = true;
  if (mask === true) out.mask = true;
  if (Array.isArray(u.dropins)) out.dropins = (u.dropins as IgnitionDropin[]).map((d) => ({ ...d }));
  return out as unknown as IgnitionUnit;
}

// ---------------------------------------------------------------------------------------------------------------
// File contents

/**
 * The bytes a file entry stands for (`DecodeIgnitionFileContents`): a nil source is empty; the data URL is
 * decoded (percent-encoded or base64); compression ""/nil keeps the bytes, "gzip" gunzips them, anything else
 * is `unsupported compression type "x"`. Errors are McoErrors with the MCO's wording where it has one.
 */
export function decodeFileContents(source: string | null | undefined, compression?: string | null): Uint8Array {
  if (source === undefined || source === null) return new Uint8Array(0);
  let data: Uint8Array;
  try {
    data = parseDataUrl(source).data;
  } catch (e) {
    throw new McoError(`could not decode file content string: ${(e as Error).message}`);
  }
  if (compression === undefined || compression === null || compression === '') return data;
  if (compression !== 'gzip') throw new McoError(`unsupported compression type ${goQuote(String(compression))}`);
  return gunzip(data);
}
