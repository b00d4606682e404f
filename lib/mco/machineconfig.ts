// Validation of MachineConfig objects as read from the API (or a dump): shape, metadata and, when present, the spec
// the render controller validates (ValidateMachineConfig: kernelType, Ignition validity and file modes).
import { MCO_API_VERSION as API_VERSION } from './constants';
import { parseIgnitionAt } from './ignition';
import { goOctal } from './mode';
import { McoError, type IgnitionConfig, type MachineConfig } from './types';

export const KERNEL_TYPES = ['', 'default', 'realtime', '64k-pages'] as const;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)?.slice(0, 40)}`;
}

function checkStringMap(v: unknown, path: string, err: (m: string) => never): void {
  if (v === undefined || v === null) return;
  if (!isObject(v)) err(`${path}: expected an object, got ${kindOf(v)}`);
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string') err(`${path}[${JSON.stringify(k)}]: expected a string, got ${kindOf(val)}`);
  }
}

function checkStringList(v: unknown, path: string, err: (m: string) => never): void {
  if (v === undefined || v === null) return;
  if (!Array.isArray(v)) err(`${path}: expected an array of strings, got ${kindOf(v)}`);
  v.forEach((s, i) => {
    if (typeof s !== 'string') err(`${path}[${i}]: expected a string, got ${kindOf(s)}`);
  });
}

/**
 * Checks a MachineConfig and returns it typed (the same object). Metadata-only entries (no spec, as real dumps
 * carry) are valid. Errors name the object and the field: `MachineConfig "99-worker-x": spec.kernelArguments[1]:
 * expected a string, got number 3`; Ignition version errors keep the MCO's text after `spec.config: `.
 */
export function parseMachineConfig(obj: unknown): MachineConfig {
  if (!isObject(obj)) throw new McoError(`MachineConfig: expected an object, got ${kindOf(obj)}`);
  const meta = obj.metadata;
  const rawName = isObject(meta) ? meta.name : undefined;
  const label =
    typeof rawName === 'string' && rawName !== '' ? `MachineConfig ${JSON.stringify(rawName)}` : 'MachineConfig';
  const err = (m: string): never => {
    throw new McoError(`${label}: ${m}`);
  };
  if (obj.kind !== 'MachineConfig') err(`kind: expected "MachineConfig", got ${kindOf(obj.kind)}`);
  if (obj.apiVersion !== API_VERSION)
    err(`apiVersion: expected ${JSON.stringify(API_VERSION)}, got ${kindOf(obj.apiVersion)}`);
  if (!isObject(meta)) err(`metadata: expected an object, got ${kindOf(meta)}`);
  const m = meta as Json;
  if (typeof m.name !== 'string' || m.name === '')
    err(`metadata.name: expected a non-empty string, got ${kindOf(m.name)}`);
  checkStringMap(m.labels, 'metadata.labels', err);
  checkStringMap(m.annotations, 'metadata.annotations', err);

  const spec = obj.spec;
  if (spec === undefined || spec === null) return obj as unknown as MachineConfig;
  if (!isObject(spec)) err(`spec: expected an object, got ${kindOf(spec)}`);
  const s = spec as Json;
  for (const field of ['osImageURL', 'baseOSExtensionsContainerImage', 'kernelType'] as const) {
    if (s[field] !== undefined && s[field] !== null && typeof s[field] !== 'string') {
      err(`spec.${field}: expected a string, got ${kindOf(s[field])}`);
    }
  }
  if (s.fips !== undefined && s.fips !== null && typeof s.fips !== 'boolean') {
    err(`spec.fips: expected a boolean, got ${kindOf(s.fips)}`);
  }
  checkStringList(s.kernelArguments, 'spec.kernelArguments', err);
  checkStringList(s.extensions, 'spec.extensions', err);
  const kernelType = (s.kernelType as string | undefined) ?? '';
  if (!(KERNEL_TYPES as readonly string[]).includes(kernelType)) {
    // ValidateMachineConfig's own wording after the field name.
    err(`spec.kernelType: kernelType=${kernelType} is invalid`);
  }
  if (s.config !== undefined && s.config !== null) {
    if (!isObject(s.config)) err(`spec.config: expected an object, got ${kindOf(s.config)}`);
    let ign: IgnitionConfig;
    try {
      ign = parseIgnitionAt(s.config, 'spec.config.');
    } catch (e) {
      const msg = (e as Error).message;
      err(msg.startsWith('spec.config') ? msg : `spec.config: ${msg}`);
    }
    checkModes(ign!, err);
  }
  return obj as unknown as MachineConfig;
}

/**
 * validateIgn{2,3}FileModes (ValidateMachineConfig): the first file whose mode has special bits (setuid, setgid,
 * sticky) or is negative, with the MCO's message; null when every mode is allowed.
 */
export function invalidFileMode(ign: IgnitionConfig): { index: number; message: string } | null {
  const files = ign.storage?.files ?? [];
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    if (typeof f.mode === 'number' && (f.mode < 0 || f.mode > 0o777)) {
      return { index: i, message: `invalid mode ${goOctal(f.mode)} for ${f.path}, cannot exceed 0777` };
    }
  }
  return null;
}

function checkModes(ign: IgnitionConfig, err: (m: string) => never): void {
  const bad = invalidFileMode(ign);
  if (bad) err(`spec.config.storage.files[${bad.index}].mode: ${bad.message}`);
}
