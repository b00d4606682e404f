// The API server's validation of spec.nodeDisruptionPolicy, with the CRD's own messages
// (0000_80_machine-config_01_machineconfigurations.crd.yaml: enum, required, maxItems, maxLength, list-map keys and
// the x-kubernetes-validations rules), as apiextensions-apiserver reports them: schema errors first, then the CEL
// rules, each as a StatusCause {field, reason, message}.
import { SPEC_ACTION_TYPES } from './types';
import { ocpMinor } from './version';

export interface ValidationCause {
  field: string;
  reason:
    | 'FieldValueRequired'
    | 'FieldValueNotSupported'
    | 'FieldValueTooMany'
    | 'FieldValueTooLong'
    | 'FieldValueDuplicate'
    | 'FieldValueInvalid';
  message: string;
}

export const SERVICE_TYPE_MESSAGE =
  'Invalid ${SERVICETYPE} in service name. Expected format is ${NAME}${SERVICETYPE}, where ${SERVICETYPE} must be one of ".service", ".socket", ".device", ".mount", ".automount", ".swap", ".target", ".path", ".timer",".snapshot", ".slice" or ".scope".';
export const SERVICE_NAME_MESSAGE =
  'Invalid ${NAME} in service name. Expected format is ${NAME}${SERVICETYPE}, where {NAME} must be atleast 1 character long and can only consist of alphabets, digits, ":", "-", "_", ".", and "\\"';
export const REBOOT_STANDALONE_MESSAGE =
  'Reboot action can only be specified standalone, as it will override any other actions';
export const NONE_STANDALONE_MESSAGE =
  'None action can only be specified standalone, as it will override any other actions';
export const RELOAD_MESSAGE = 'reload is required when type is Reload, and forbidden otherwise';
export const RESTART_MESSAGE = 'restart is required when type is Restart, and forbidden otherwise';

// The CRD's CEL regexes (RE2 `matches` = unanchored search).
const SERVICE_TYPE_RE = /\.(service|socket|device|mount|automount|swap|target|path|timer|snapshot|slice|scope)$/;
const SERVICE_NAME_RE = /^[a-zA-Z0-9:._\\-]+\../;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Go's %#v of a map[string]interface{} with one string key, as the duplicate-key error prints it. */
const goMap = (k: string, v: string) => `map[string]interface {}{${JSON.stringify(k)}:${JSON.stringify(v)}}`;

class Collector {
  schema: ValidationCause[] = [];
  cel: ValidationCause[] = [];
  constructor(readonly minor: number) {}

  required(field: string) {
    this.schema.push({ field, reason: 'FieldValueRequired', message: 'Required value' });
  }
  type(field: string, v: unknown, want: string): false {
    const got = jsonType(v);
    this.schema.push({
      field,
      reason: 'FieldValueInvalid',
      message: `Invalid value: "${got}": ${field} in body must be of type ${want}: "${got}"`,
    });
    return false;
  }
  celFail(field: string, kind: string, message: string) {
    this.cel.push({ field, reason: 'FieldValueInvalid', message: `Invalid value: "${kind}": ${message}` });
  }
  tooMany(field: string, n: number, max: number) {
    this.schema.push({ field, reason: 'FieldValueTooMany', message: `Too many: ${n}: must have at most ${max} items` });
  }
  tooLong(field: string, max: number) {
    // The wording of field.TooLong changed in Kubernetes 1.31 (OpenShift 4.18).
    const message =
      this.minor >= 18 ? `Too long: may not be more than ${max} bytes` : `Too long: may not be longer than ${max}`;
    this.schema.push({ field, reason: 'FieldValueTooLong', message });
  }

  string(v: unknown, field: string): v is string {
    if (typeof v !== 'string') return this.type(field, v, 'string');
    return true;
  }

  serviceName(v: unknown, field: string) {
    if (!this.string(v, field)) return;
    if (v.length > 255) this.tooLong(field, 255);
    if (!SERVICE_TYPE_RE.test(v)) this.celFail(field, 'string', SERVICE_TYPE_MESSAGE);
    if (!SERVICE_NAME_RE.test(v)) this.celFail(field, 'string', SERVICE_NAME_MESSAGE);
  }

  service(v: unknown, field: string) {
    if (!isObject(v)) return void this.type(field, v, 'object');
    if (v.serviceName === undefined) this.required(`${field}.serviceName`);
    else this.serviceName(v.serviceName, `${field}.serviceName`);
  }

  actions(v: unknown, field: string) {
    if (!Array.isArray(v)) return void this.type(field, v, 'array');
    if (v.length > 10) this.tooMany(field, v.length, 10);
    v.forEach((a, i) => {
      const f = `${field}[${i}]`;
      if (!isObject(a)) return void this.type(f, a, 'object');
      if (a.type === undefined) this.required(`${f}.type`);
      else if (this.string(a.type, `${f}.type`) && !(SPEC_ACTION_TYPES as readonly string[]).includes(a.type)) {
        this.schema.push({
          field: `${f}.type`,
          reason: 'FieldValueNotSupported',
          message: `Unsupported value: ${JSON.stringify(a.type)}: supported values: ${SPEC_ACTION_TYPES.map((t) => `"${t}"`).join(', ')}`,
        });
      }
      if (a.reload !== undefined) this.service(a.reload, `${f}.reload`);
      if (a.restart !== undefined) this.service(a.restart, `${f}.restart`);
      if ((a.type === 'Reload') !== (a.reload !== undefined)) this.celFail(f, 'object', RELOAD_MESSAGE);
      if ((a.type === 'Restart') !== (a.restart !== undefined)) this.celFail(f, 'object', RESTART_MESSAGE);
    });
    const types = v.map((a) => (isObject(a) ? a.type : undefined));
    if (types.includes('Reboot') && v.length !== 1) this.celFail(field, 'array', REBOOT_STANDALONE_MESSAGE);
    if (types.includes('None') && v.length !== 1) this.celFail(field, 'array', NONE_STANDALONE_MESSAGE);
  }

  list(v: unknown, field: string, keyName: 'path' | 'name') {
    if (!Array.isArray(v)) return void this.type(field, v, 'array');
    if (v.length > 50) this.tooMany(field, v.length, 50);
    const seen = new Set<string>();
    v.forEach((e, i) => {
      const f = `${field}[${i}]`;
      if (!isObject(e)) return void this.type(f, e, 'object');
      if (e.actions === undefined) this.required(`${f}.actions`);
      else this.actions(e.actions, `${f}.actions`);
      const k = e[keyName];
      if (k === undefined) return void this.required(`${f}.${keyName}`);
      if (keyName === 'name') this.serviceName(k, `${f}.name`);
      else this.string(k, `${f}.path`);
      if (typeof k === 'string') {
        if (seen.has(k))
          this.schema.push({
            field: f,
            reason: 'FieldValueDuplicate',
            message: `Duplicate value: ${goMap(keyName, k)}`,
          });
        seen.add(k);
      }
    });
  }
}

/**
 * Validates a MachineConfiguration's `spec.nodeDisruptionPolicy` as the CRD does. Returns [] when valid; else the
 * causes, fields rooted at `spec.nodeDisruptionPolicy`. `version` picks the Kubernetes wording where it changed.
 */
export function validateNodeDisruptionPolicy(policy: unknown, version = '4.20'): ValidationCause[] {
  const c = new Collector(ocpMinor(version));
  const root = 'spec.nodeDisruptionPolicy';
  if (policy === undefined || policy === null) return [];
  if (!isObject(policy)) {
    c.type(root, policy, 'object');
    return c.schema;
  }
  if (policy.files !== undefined) c.list(policy.files, `${root}.files`, 'path');
  if (policy.units !== undefined) c.list(policy.units, `${root}.units`, 'name');
  if (policy.sshkey !== undefined) {
    if (!isObject(policy.sshkey)) c.type(`${root}.sshkey`, policy.sshkey, 'object');
    else if (policy.sshkey.actions === undefined) c.required(`${root}.sshkey.actions`);
    else c.actions(policy.sshkey.actions, `${root}.sshkey.actions`);
  }
  return [...c.schema, ...c.cel];
}
