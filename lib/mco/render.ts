// The render controller's rules (MCO pkg/controller/render/render_controller.go and render/hash.go): select a
// pool's MachineConfigs, order them, merge them the way MergeMachineConfigs (pkg/controller/common/helpers.go) and
// Ignition's merge do (last wins per file path / unit / dropin / user, field by field), and name the result.
import SparkMD5 from 'spark-md5';
import { goYamlMarshal } from './goyaml';
import { parseDataUrl } from './dataurl';
import { INTERNAL_IGNITION_VERSION, ignitionOrigin, parseIgnition } from './ignition';
import { invalidFileMode, KERNEL_TYPES } from './machineconfig';
import { isEmptySelector, matchesSelector } from './pools';
import {
  GENERATED_BY_ANNOTATION,
  McoError,
  ROLE_LABEL,
  type IgnitionConfig,
  type MachineConfig,
  type MachineConfigPool,
  type MachineConfigSpec,
  type MergeResult,
} from './types';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The MachineConfigs a pool's machineConfigSelector picks, in the order given. An empty or absent selector picks
 * nothing: the MCO refuses to render such a pool (event SelectingAll).
 */
export function selectMachineConfigs(pool: MachineConfigPool, configs: MachineConfig[]): MachineConfig[] {
  const selector = pool.spec?.machineConfigSelector;
  if (isEmptySelector(selector)) return [];
  return configs.filter((mc) => matchesSelector(selector, mc?.metadata?.labels));
}

const nameOf = (c: MachineConfig) => c?.metadata?.name ?? '';
const byName = (a: MachineConfig, b: MachineConfig) => (nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0);

/** Merge order (MCO ≥4.15): configs labelled role=worker first, then all others; each group by name, byte order. */
export function sortForMerge(configs: MachineConfig[]): MachineConfig[] {
  const worker = configs.filter((c) => c?.metadata?.labels?.[ROLE_LABEL] === 'worker');
  const other = configs.filter((c) => c?.metadata?.labels?.[ROLE_LABEL] !== 'worker');
  return [...worker.sort(byName), ...other.sort(byName)];
}

// ---------------------------------------------------------------------------------------------------------------
// Ignition merge (coreos/ignition config/merge): structs merge recursively, a set child value replaces the parent's,
// lists merge by key (child entry merged into the parent's in place, new keys appended).

type KeyFn = (item: unknown) => string;
const byField =
  (field: string): KeyFn =>
  (item) =>
    isObject(item) ? String(item[field] ?? '') : JSON.stringify(item);
const bySelf: KeyFn = (item) => (typeof item === 'string' ? item : JSON.stringify(item));
const byPartition: KeyFn = (item) => {
  if (!isObject(item)) return JSON.stringify(item);
  if (typeof item.number === 'number' && item.number !== 0) return `number:${item.number}`;
  if (typeof item.label === 'string') return `label:${item.label}`;
  return '';
};

/** List keys by path ("[]" marks a list element). Lists not named here merge by their whole value. */
const LIST_KEYS: Record<string, KeyFn> = {
  'ignition.config.merge': byField('source'),
  'ignition.security.tls.certificateAuthorities': byField('source'),
  'storage.files': byField('path'),
  'storage.directories': byField('path'),
  'storage.links': byField('path'),
  'storage.files[].contents.httpHeaders': byField('name'),
  'storage.disks': byField('device'),
  'storage.disks[].partitions': byPartition,
  'storage.filesystems': byField('device'),
  'storage.raid': byField('name'),
  'storage.luks': byField('name'),
  'systemd.units': byField('name'),
  'systemd.units[].dropins': byField('name'),
  'passwd.users': byField('name'),
  'passwd.groups': byField('name'),
};
/** Lists that are simply concatenated (Ignition's IgnoreDuplicates). */
const CONCAT_LISTS = new Set(['storage.files[].append']);
/** files, directories and links share one key space: a child entry in one removes the parent's in another. */
const PATH_LISTS = ['files', 'directories', 'links'];

function mergeValue(parent: unknown, child: unknown, path: string): unknown {
  if (child === undefined || child === null) return parent;
  if (parent === undefined || parent === null) return child;
  if (isObject(parent) && isObject(child)) return mergeObject(parent, child, path);
  if (Array.isArray(parent) && Array.isArray(child)) return mergeList(parent, child, path, () => false);
  return child;
}

function mergeObject(parent: Json, child: Json, path: string): Json {
  const out: Json = {};
  // Parent entries whose path the child declares in a sibling list (file ↔ directory ↔ link) are dropped.
  let crossKind: Map<string, string> | undefined;
  if (path === 'storage') {
    crossKind = new Map();
    for (const list of PATH_LISTS) {
      for (const item of (child[list] as unknown[] | undefined) ?? []) {
        if (isObject(item) && typeof item.path === 'string') crossKind.set(item.path, list);
      }
    }
  }
  for (const key of new Set([...Object.keys(parent), ...Object.keys(child)])) {
    const sub = path ? `${path}.${key}` : key;
    const p = parent[key];
    const c = child[key];
    if (crossKind && PATH_LISTS.includes(key) && Array.isArray(p)) {
      const dropped = (item: unknown) =>
        isObject(item) && crossKind!.has(item.path as string) && crossKind!.get(item.path as string) !== key;
      out[key] = Array.isArray(c) ? mergeList(p, c, sub, dropped) : p.filter((i) => !dropped(i));
      continue;
    }
    const v = mergeValue(p, c, sub);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/**
 * The MCO's compression fix-up (butane#332, pkg/controller/common/helpers.go ignitionMergeSetFilesDefaultCompression,
 * release-4.20 on): before each merge every file the child declares without `compression` gets "", so it resets an
 * earlier gzip even when the child sets no new source; after the merge "" goes back to absent. Before 4.20 the
 * merge is plain field-wise (an earlier gzip survives a later plain source).
 */
function withDefaultCompression(child: Json): Json {
  const storage = isObject(child.storage) ? child.storage : undefined;
  if (!storage || !Array.isArray(storage.files)) return child;
  const files = storage.files.map((f) => {
    if (!isObject(f)) return f;
    const contents = isObject(f.contents) ? f.contents : {};
    if (contents.compression !== undefined && contents.compression !== null) return f;
    return { ...f, contents: { ...contents, compression: '' } };
  });
  return { ...child, storage: { ...storage, files } };
}

function withoutEmptyCompression(out: Json): Json {
  const storage = isObject(out.storage) ? out.storage : undefined;
  if (!storage || !Array.isArray(storage.files)) return out;
  const files = storage.files.map((f) => {
    if (!isObject(f) || !isObject(f.contents) || f.contents.compression !== '') return f;
    const { compression: _c, ...contents } = f.contents;
    return { ...f, contents };
  });
  return { ...out, storage: { ...storage, files } };
}

function mergeList(parent: unknown[], child: unknown[], path: string, dropped: (item: unknown) => boolean): unknown[] {
  if (CONCAT_LISTS.has(path)) return [...parent, ...child];
  const keyOf = LIST_KEYS[path] ?? bySelf;
  const childByKey = new Map<string, unknown>();
  for (const c of child) childByKey.set(keyOf(c), c);
  const parentKeys = new Set<string>();
  const out: unknown[] = [];
  for (const p of parent) {
    const k = keyOf(p);
    parentKeys.add(k);
    if (childByKey.has(k)) {
      const c = childByKey.get(k);
      out.push(isObject(p) && isObject(c) ? mergeObject(p, c, `${path}[]`) : c);
    } else if (!dropped(p)) {
      out.push(p);
    }
  }
  for (const c of child) if (!parentKeys.has(keyOf(c))) out.push(c);
  return out;
}

/**
 * Merges normalised Ignition configs in order (the first is the base). `resetCompression`: the 4.20+ fix-up
 * (withDefaultCompression); false gives the plain field-wise merge of earlier releases.
 */
export function mergeIgnitionConfigs(configs: IgnitionConfig[], resetCompression = false): IgnitionConfig {
  let out: Json = configs.length > 0 ? (configs[0] as Json) : { ignition: { version: INTERNAL_IGNITION_VERSION } };
  for (let i = 1; i < configs.length; i++) {
    if (resetCompression)
      out = withoutEmptyCompression(mergeObject(out, withDefaultCompression(configs[i] as Json), ''));
    else out = mergeObject(out, configs[i] as Json, '');
  }
  return out as IgnitionConfig;
}

// Fields of Ignition's v3 Go types: json.Marshal of the typed config drops everything else.
const KNOWN_FIELDS: Record<string, string[]> = {
  '': ['ignition', 'kernelArguments', 'passwd', 'storage', 'systemd'],
  ignition: ['config', 'proxy', 'security', 'timeouts', 'version'],
  storage: ['directories', 'disks', 'files', 'filesystems', 'links', 'luks', 'raid'],
  'storage.files[]': ['path', 'overwrite', 'user', 'group', 'mode', 'contents', 'append'],
  'storage.files[].contents': ['compression', 'httpHeaders', 'source', 'verification'],
  'storage.files[].append[]': ['compression', 'httpHeaders', 'source', 'verification'],
  'storage.files[].user': ['id', 'name'],
  'storage.files[].group': ['id', 'name'],
  'storage.directories[]': ['path', 'overwrite', 'user', 'group', 'mode'],
  'storage.links[]': ['path', 'overwrite', 'user', 'group', 'hard', 'target'],
  systemd: ['units'],
  'systemd.units[]': ['contents', 'dropins', 'enabled', 'mask', 'name'],
  'systemd.units[].dropins[]': ['contents', 'name'],
  passwd: ['groups', 'users'],
  'passwd.users[]': [
    'gecos',
    'groups',
    'homeDir',
    'name',
    'noCreateHome',
    'noLogInit',
    'noUserGroup',
    'passwordHash',
    'primaryGroup',
    'shell',
    'shouldExist',
    'sshAuthorizedKeys',
    'system',
    'uid',
  ],
};

/**
 * JSON as the MCO's json.Marshal (clarketm/json, omitempty everywhere) writes the typed config: no nulls, no empty
 * lists or empty objects, no fields the Go types lack; keys sorted (as the API server serves them).
 */
export function toGoJson(value: unknown, path = ''): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => toGoJson(v, `${path}[]`)).filter((v) => v !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (isObject(value)) {
    const known = KNOWN_FIELDS[path];
    const out: Json = {};
    for (const key of Object.keys(value).sort()) {
      if (known && !known.includes(key)) continue;
      const v = toGoJson(value[key], path ? `${path}.${key}` : key);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return value === null ? undefined : value;
}

function versionKey(v: string): number[] {
  return v
    .split(/[.-]/)
    .slice(0, 3)
    .map((n) => Number(n) || 0);
}
function newerVersion(a: string, b: string): boolean {
  const [x, y] = [versionKey(a), versionKey(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] > y[i];
  return false;
}

function isGenerated(mc: MachineConfig): boolean {
  return (mc.metadata.annotations?.[GENERATED_BY_ANNOTATION] ?? '') !== '';
}

/** The ControllerConfig images the MCO starts from (spec.baseOSContainerImage / baseOSExtensionsContainerImage). */
export interface RenderDefaults {
  osImageURL?: string;
  baseOSExtensionsContainerImage?: string;
  /**
   * The OpenShift version whose merge rules apply ("4.14" … "4.20"). Absent = the field-wise merge of releases
   * before 4.20 (pass the cluster's version to get the 4.20 compression fix-up).
   */
  ocpVersion?: string;
}

/** Whether a version's render has the compression fix-up (release-4.20 on; absent version = no). */
export function resetsCompression(ocpVersion: string | undefined): boolean {
  const m = ocpVersion === undefined ? null : /^4\.(\d+)/.exec(ocpVersion);
  return !!m && Number(m[1]) >= 20;
}

/**
 * The image a rendered config gets: the last config WITHOUT the generated-by-controller-version annotation that
 * sets one (a user override); else the given default (the ControllerConfig's); else the first generated config
 * that sets one (the template configs carry the ControllerConfig's image); else "".
 */
function pickImage(
  configs: MachineConfig[],
  field: 'osImageURL' | 'baseOSExtensionsContainerImage',
  fallback: string | undefined,
): string {
  let override = '';
  let base = '';
  for (const mc of configs) {
    const v = mc.spec?.[field] ?? '';
    if (v === '') continue;
    if (!isGenerated(mc)) override = v;
    else if (base === '') base = v;
  }
  return override || fallback || base;
}

function describeError(mc: MachineConfig, e: unknown): McoError {
  const msg = (e as Error).message;
  // The MCO's own version messages travel unchanged (the render controller quotes them verbatim).
  if (msg.startsWith('parsing Ignition') || msg.startsWith('unexpected user')) return new McoError(msg);
  return new McoError(`MachineConfig ${JSON.stringify(mc.metadata.name)}: spec.config: ${msg}`);
}

/**
 * The checks the render controller makes before merging (ValidateMachineConfig), plus the shape this code relies
 * on. MCO checks keep the MCO's words; shape errors name the object and field.
 */
function validateSource(mc: unknown): IgnitionConfig | null {
  const meta = isObject(mc) ? mc.metadata : undefined;
  const name = isObject(meta) ? meta.name : undefined;
  if (typeof name !== 'string' || name === '')
    throw new McoError('MachineConfig: metadata.name: expected a non-empty string');
  const label = `MachineConfig ${JSON.stringify(name)}`;
  const m = mc as unknown as MachineConfig;
  if (m.metadata.labels !== undefined && m.metadata.labels !== null && !isObject(m.metadata.labels)) {
    throw new McoError(`${label}: metadata.labels: expected an object`);
  }
  const spec = (m as { spec?: unknown }).spec;
  if (spec === undefined || spec === null) return null;
  if (!isObject(spec)) throw new McoError(`${label}: spec: expected an object`);
  for (const list of ['kernelArguments', 'extensions'] as const) {
    const v = spec[list];
    if (v !== undefined && v !== null && (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))) {
      throw new McoError(`${label}: spec.${list}: expected an array of strings`);
    }
  }
  for (const field of ['kernelType', 'osImageURL', 'baseOSExtensionsContainerImage'] as const) {
    const v = spec[field];
    if (v !== undefined && v !== null && typeof v !== 'string')
      throw new McoError(`${label}: spec.${field}: expected a string`);
  }
  const kernelType = (spec.kernelType as string | undefined) ?? '';
  if (!(KERNEL_TYPES as readonly string[]).includes(kernelType))
    throw new McoError(`kernelType=${kernelType} is invalid`);
  const raw = spec.config;
  if (raw === undefined || raw === null) return null;
  let ign: IgnitionConfig;
  try {
    ign = parseIgnition(raw);
  } catch (e) {
    throw describeError(m, e);
  }
  if (ignitionOrigin(ign)?.spec === 3) {
    const problems = ignitionProblems(ign);
    if (problems.length > 0) {
      const report = problems.map(([path, msg]) => `error at $.${path}: ${msg}`).join('\n');
      throw new McoError(`parsing Ignition config spec v3 failed with error: config is not valid\nReport: ${report}`);
    }
  }
  const badMode = invalidFileMode(ign);
  if (badMode) throw new McoError(badMode.message);
  return ign;
}

const UNIT_EXTENSIONS = [
  '.service',
  '.socket',
  '.device',
  '.mount',
  '.automount',
  '.swap',
  '.target',
  '.path',
  '.timer',
  '.snapshot',
  '.slice',
  '.scope',
];

// Ignition v3 validation (coreos/ignition config/v3_*/types/url.go, path.go): the URL schemes a source may use,
// and a path must be absolute and already clean (path.Clean(p) == p).
const URL_SCHEMES = ['http', 'https', 'tftp', 's3', 'arn', 'gs', 'data'];

function ignitionPathProblem(p: string): string | null {
  if (!p.startsWith('/')) return 'path not absolute';
  if (cleanSlashPath(p) !== p) return 'path is not fully simplified';
  return null;
}

/** Go's path.Clean for an absolute path. */
function cleanSlashPath(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

/**
 * Fatal findings of Ignition's v3 validation for the fields the MCO manages (paths absolute, data URLs decodable,
 * compression "" or gzip, unit and dropin name extensions), as [JSON path, message]. Ignition's report also gives
 * `, line L col C` positions in the raw JSON, which are not reproduced.
 */
export function ignitionProblems(ign: IgnitionConfig): [string, string][] {
  const out: [string, string][] = [];
  (ign.storage?.files ?? []).forEach((f, i) => {
    const at = `storage.files.${i}`;
    const pathProblem = ignitionPathProblem(f.path);
    if (pathProblem) out.push([`${at}.path`, pathProblem]);
    const resources = [
      ['contents', f.contents] as const,
      ...(f.append ?? []).map((a, j) => [`append.${j}`, a] as const),
    ];
    for (const [name, r] of resources) {
      if (!r) continue;
      const src = r.source;
      if (typeof src === 'string' && src.startsWith('data:')) {
        try {
          parseDataUrl(src);
        } catch {
          out.push([`${at}.${name}.source`, 'invalid data url']);
        }
      } else if (
        typeof src === 'string' &&
        !URL_SCHEMES.includes(/^([A-Za-z][A-Za-z0-9+.-]*):/.exec(src)?.[1].toLowerCase() ?? '')
      ) {
        out.push([`${at}.${name}.source`, 'invalid url scheme']);
      }
      if (r.compression !== undefined && r.compression !== null && r.compression !== '' && r.compression !== 'gzip') {
        out.push([`${at}.${name}.compression`, 'invalid compression method']);
      }
    }
  });
  for (const list of ['directories', 'links'] as const) {
    ((ign.storage?.[list] as { path?: string }[] | undefined) ?? []).forEach((d, i) => {
      const problem = typeof d.path === 'string' ? ignitionPathProblem(d.path) : null;
      if (problem) out.push([`storage.${list}.${i}.path`, problem]);
    });
  }
  (ign.systemd?.units ?? []).forEach((u, i) => {
    if (!UNIT_EXTENSIONS.some((ext) => u.name.endsWith(ext)))
      out.push([`systemd.units.${i}.name`, 'invalid systemd unit extension']);
    (u.dropins ?? []).forEach((d, j) => {
      if (!d.name.endsWith('.conf'))
        out.push([`systemd.units.${i}.dropins.${j}.name`, 'invalid systemd drop-in extension']);
    });
  });
  return out;
}

/**
 * The render (MergeMachineConfigs): sorts with sortForMerge, merges the Ignition configs in that order (base = the
 * first), then every file without `overwrite` gets `overwrite: true`. kernelArguments and extensions are
 * concatenated, fips is OR-ed, kernelType is the last realtime/64k-pages else "default" (kernel-devel with a
 * non-default kernel is refused), images per pickImage (`defaults`: the ControllerConfig's images, optional).
 * `spec.config` is Ignition v3 JSON as the MCO writes it;
 * its version is the newest v3 version among the sources (the template configs are in the MCO's internal version,
 * so this gives 3.2.0 / 3.4.0 / 3.5.0 as the cluster would), INTERNAL_IGNITION_VERSION when none is v3.
 * Throws McoError, with the MCO's message where it has one, for what the render controller refuses: a config
 * without labels, an invalid kernelType, an unparsable Ignition config, a file mode above 0777, kernel-devel with a
 * special kernel; and, naming the object and field, for values of the wrong type.
 */
export function mergeMachineConfigs(configs: MachineConfig[], defaults: RenderDefaults = {}): MergeResult {
  if (!Array.isArray(configs)) throw new McoError('MachineConfigs: expected an array');
  const validated = new Map<MachineConfig, IgnitionConfig | null>();
  for (const mc of configs) validated.set(mc, validateSource(mc));
  for (const mc of configs) {
    if (!mc.metadata.labels) throw new McoError(`cannot find label in MachineConfig ${mc.metadata.name}`);
  }
  const sorted = sortForMerge(configs);
  const parsed: IgnitionConfig[] = [];
  let version = '';
  for (const mc of sorted) {
    const ign = validated.get(mc);
    if (!ign) {
      if (parsed.length === 0) parsed.push({ ignition: { version: INTERNAL_IGNITION_VERSION } });
      continue;
    }
    const origin = ignitionOrigin(ign);
    if (origin?.spec === 3 && (version === '' || newerVersion(origin.sourceVersion, version)))
      version = origin.sourceVersion;
    parsed.push(ign);
  }
  const merged = mergeIgnitionConfigs(parsed, resetsCompression(defaults.ocpVersion)) as Json;
  const storage = isObject(merged.storage) ? merged.storage : undefined;
  if (storage && Array.isArray(storage.files)) {
    merged.storage = {
      ...storage,
      files: storage.files.map((f) =>
        isObject(f) && (f.overwrite === undefined || f.overwrite === null) ? { ...f, overwrite: true } : f,
      ),
    };
  }
  merged.ignition = { ...(merged.ignition as Json), version: version || INTERNAL_IGNITION_VERSION };

  let fips = false;
  let kernelType = '';
  const kernelArguments: string[] = [];
  const extensions: string[] = [];
  for (const mc of sorted) {
    const s = mc.spec;
    if (!s) continue;
    if (s.fips) fips = true;
    if (s.kernelType === 'realtime' || s.kernelType === '64k-pages') kernelType = s.kernelType;
    for (const k of s.kernelArguments ?? []) kernelArguments.push(k);
    for (const x of s.extensions ?? []) extensions.push(x);
  }
  if (kernelType === '') kernelType = 'default';
  if (kernelType !== 'default' && extensions.includes('kernel-devel')) {
    throw new McoError(`installing kernel-devel extension is not supported with kernelType: ${kernelType}`);
  }
  const spec: MachineConfigSpec = {
    osImageURL: pickImage(sorted, 'osImageURL', defaults.osImageURL),
    baseOSExtensionsContainerImage: pickImage(
      sorted,
      'baseOSExtensionsContainerImage',
      defaults.baseOSExtensionsContainerImage,
    ),
    config: toGoJson(merged) as Record<string, unknown>,
    kernelArguments,
    extensions,
    fips,
    kernelType,
  };
  return { spec, order: sorted.map((mc) => mc.metadata.name) };
}

// ---------------------------------------------------------------------------------------------------------------
// Name (render/hash.go)

const SALT = new Uint8Array([
  16, 124, 206, 228, 139, 56, 175, 175, 79, 229, 134, 118, 157, 154, 211, 110, 25, 93, 47, 253, 172, 106, 37, 7, 174,
  13, 160, 185, 110, 17, 87, 52, 219, 131, 12, 206, 218, 141, 116, 135, 188, 181, 192, 151, 233, 62, 126, 165, 64, 83,
  179, 119, 15, 168, 208, 197, 146, 107, 58, 227, 133, 188, 238, 26, 33, 26, 235, 202, 32, 173, 31, 234, 41, 144, 148,
  79, 6, 206, 23, 22,
]);

/**
 * The spec as json.Marshal(MachineConfigSpec) gives it to ghodss/yaml: every field present, nil lists as null, and
 * an absent config as null (a RawExtension without bytes marshals to null).
 */
export function specForHash(spec: MachineConfigSpec): Record<string, unknown> {
  return {
    osImageURL: spec.osImageURL ?? '',
    baseOSExtensionsContainerImage: spec.baseOSExtensionsContainerImage ?? '',
    config: spec.config ?? null,
    kernelArguments: spec.kernelArguments ?? null,
    extensions: spec.extensions ?? null,
    fips: spec.fips ?? false,
    kernelType: spec.kernelType ?? '',
  };
}

/** The hashed text: ghodss/yaml.Marshal of the spec (yaml.v2 with sorted keys). */
export function renderedSpecYaml(spec: MachineConfigSpec): string {
  return goYamlMarshal(specForHash(spec));
}

/** `rendered-<pool>-<md5 hex>` of the salt followed by renderedSpecYaml(spec) (render/hash.go). */
export function renderedConfigName(poolName: string, spec: MachineConfigSpec): string {
  const data = new TextEncoder().encode(renderedSpecYaml(spec));
  const buf = new Uint8Array(SALT.length + data.length);
  buf.set(SALT, 0);
  buf.set(data, SALT.length);
  const md5 = new SparkMD5.ArrayBuffer();
  md5.append(buf.buffer);
  return `rendered-${poolName}-${md5.end()}`;
}
