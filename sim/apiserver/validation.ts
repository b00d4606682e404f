// Server-side field validation: unknown and duplicate fields under fieldValidation=Strict|Warn|Ignore (unknown fields
// are dropped in every mode, as decoding into Go types and apiextensions pruning drop them), and, for CRs, the CRD's
// structural checks (type, enum, pattern, lengths, required, and the CEL rule shapes the MCO CRDs use) with the
// messages of apiextensions-apiserver's validator (k8s.io/apiextensions-apiserver pkg/apiserver/validation).
// Like CRD validation ratcheting (KEP-4008), a value equal to the stored one is never rejected, so objects the
// simulator's own controllers wrote stay writable.
import { field, isObject as isObj, objectOr, stringOr, type JsonObject } from '../raw';
import { deepEqual } from '../store';
import { schemaFor } from './openapi';
import type { ResourceInfo } from './resources';
import { badRequest, invalid } from './status';
import type { Schema } from './schema-types';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

interface Cause {
  field: string;
  reason: string;
  message: string;
}

/** The fieldValidation query parameter; Warn when absent, as kube-apiserver defaults it since 1.27. */
export function fieldValidationParam(v: string | null): FieldValidation {
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(`fieldValidation: Unsupported value: "${v}": supported values: "", "Ignore", "Strict", "Warn"`);
}

/** Go's %v-ish rendering of a value inside `Invalid value: ...`. */
function shown(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  return Array.isArray(v) ? `"array"` : `"object"`;
}

function typeOf(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Unescape a CEL single-quoted string literal (only the escapes the CRDs use). */
const celString = (s: string) => s.replace(/\\(.)/g, '$1');

/**
 * The CEL rule shapes the MCO CRDs use, evaluated directly; other rules are not evaluated (returns undefined).
 * true = the rule holds.
 */
export function evalRule(rule: string, self: unknown): boolean | undefined {
  const r = rule.replace(/\s+/g, ' ').trim();
  const has = (f: string) => isObj(self) && self[f] !== undefined;
  let m: RegExpExecArray | null;
  if ((m = /^self\.matches\('((?:[^'\\]|\\.)*)'\)$/.exec(r)))
    return typeof self === 'string' ? new RegExp(celString(m[1])).test(self) : undefined;
  // has(self.type) && self.type == 'Reload' ? has(self.reload) : !has(self.reload)
  if (
    (m = /^has\(self\.(\w+)\) && \(?self\.(\w+) ?== ?'([^']*)'\)? \? ?has\(self\.(\w+)\) : ?!has\(self\.(\w+)\)$/.exec(
      r,
    )) &&
    m[1] === m[2] &&
    m[4] === m[5]
  )
    return has(m[1]) && field(self, m[1]) === m[3] ? has(m[4]) : !has(m[4]);
  // self.exists(x, x.type=='Reboot') ? size(self) == 1 : true
  if ((m = /^self\.exists\((\w+), ?\1\.(\w+) ?== ?'([^']*)'\) \? ?size\(self\) ?== ?(\d+) ?: ?true$/.exec(r)))
    return Array.isArray(self)
      ? self.some((x) => isObj(x) && x[m![2]] === m![3])
        ? self.length === Number(m[4])
        : true
      : undefined;
  if ((m = /^has\(self\.(\w+)\) \|\| has\(self\.(\w+)\)$/.exec(r))) return has(m[1]) || has(m[2]);
  return undefined;
}

class Walk {
  unknown: string[] = [];
  causes: Cause[] = [];
  constructor(
    private all: Record<string, Schema>,
    private structural: boolean,
  ) {}

  resolve(s: Schema | undefined): Schema | undefined {
    for (let i = 0; s && i < 10; i++) {
      if (s.$ref) s = { ...this.all[String(s.$ref).replace('#/components/schemas/', '')], ...s, $ref: undefined };
      else if (Array.isArray(s.allOf) && s.allOf.length === 1)
        s = { ...s, allOf: undefined, ...this.resolve(s.allOf[0]) };
      else return s;
    }
    return s;
  }

  /** Returns the value with unknown fields (and non-nullable nulls) dropped. */
  value(v: unknown, schema: Schema | undefined, path: string, old: unknown): unknown {
    const s = this.resolve(schema);
    if (!s) return v;
    const same = old !== undefined && deepEqual(v, old);
    if (this.structural && !same) this.check(v, s, path);
    if (isObj(v)) {
      const props: Record<string, Schema> | undefined = s.properties;
      const extra = s.additionalProperties;
      if (!props && extra === undefined) return v;
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const p = path ? `${path}.${k}` : k;
        const o = isObj(old) ? old[k] : undefined;
        const sub = props?.[k] ?? (isObj(extra) ? extra : undefined);
        if (x === null && !this.resolve(sub)?.nullable) continue;
        if (sub) out[k] = this.value(x, sub, p, o);
        else if (extra === true || s['x-kubernetes-preserve-unknown-fields'] || (o !== undefined && deepEqual(x, o)))
          out[k] = x;
        else this.unknown.push(p);
      }
      return out;
    }
    if (Array.isArray(v) && s.items)
      return v.map((x, i) => this.value(x, s.items, `${path}[${i}]`, Array.isArray(old) ? old[i] : undefined));
    return v;
  }

  private add(field: string, reason: string, message: string) {
    this.causes.push({ field, reason, message });
  }

  private check(v: unknown, s: Schema, path: string) {
    const t = typeOf(v);
    if (v === null) return;
    if (s['x-kubernetes-int-or-string']) {
      if (t !== 'string' && t !== 'integer')
        this.add(
          path,
          'FieldValueInvalid',
          `Invalid value: ${shown(v)}: ${path} in body must be of type integer,string: "${t}"`,
        );
      return;
    }
    const want = s.type;
    if (want && !(want === t || (want === 'number' && t === 'integer'))) {
      this.add(path, 'FieldValueTypeInvalid', `Invalid value: "${t}": ${path} in body must be of type ${want}: "${t}"`);
      return;
    }
    if (Array.isArray(s.enum) && !s.enum.some((e: unknown) => deepEqual(e, v)))
      this.add(
        path,
        'FieldValueNotSupported',
        `Unsupported value: ${shown(v)}: supported values: ${s.enum.map((e: unknown) => JSON.stringify(e)).join(', ')}`,
      );
    if (typeof v === 'string') {
      if (s.maxLength !== undefined && [...v].length > s.maxLength)
        this.add(path, 'FieldValueTooLong', `Too long: may not be longer than ${s.maxLength}`);
      if (s.minLength !== undefined && [...v].length < s.minLength)
        this.add(
          path,
          'FieldValueInvalid',
          `Invalid value: ${shown(v)}: ${path} in body should be at least ${s.minLength} chars long`,
        );
      if (s.pattern && !new RegExp(s.pattern).test(v))
        this.add(path, 'FieldValueInvalid', `Invalid value: ${shown(v)}: ${path} in body should match '${s.pattern}'`);
    }
    if (typeof v === 'number') {
      if (s.minimum !== undefined && v < s.minimum)
        this.add(
          path,
          'FieldValueInvalid',
          `Invalid value: ${v}: ${path} in body should be greater than or equal to ${s.minimum}`,
        );
      if (s.maximum !== undefined && v > s.maximum)
        this.add(
          path,
          'FieldValueInvalid',
          `Invalid value: ${v}: ${path} in body should be less than or equal to ${s.maximum}`,
        );
    }
    if (Array.isArray(v)) {
      if (s.maxItems !== undefined && v.length > s.maxItems)
        this.add(path, 'FieldValueTooMany', `Too many: ${v.length}: must have at most ${s.maxItems} items`);
      if (s.minItems !== undefined && v.length < s.minItems)
        this.add(
          path,
          'FieldValueInvalid',
          `Invalid value: ${v.length}: ${path} in body should have at least ${s.minItems} items`,
        );
    }
    if (isObj(v)) {
      for (const r of s.required ?? [])
        if (v[r] === undefined) this.add(path ? `${path}.${r}` : r, 'FieldValueRequired', 'Required value');
      const n = Object.keys(v).length;
      if (s.minProperties !== undefined && n < s.minProperties)
        this.add(
          path,
          'FieldValueInvalid',
          `Invalid value: ${n}: ${path} in body should have at least ${s.minProperties} properties`,
        );
    }
    for (const rule of s['x-kubernetes-validations'] ?? []) {
      if (evalRule(rule.rule, v) === false)
        this.add(
          path,
          'FieldValueInvalid',
          `Invalid value: "${t === 'integer' ? 'integer' : t}": ${rule.message ?? `failed rule: ${rule.rule}`}`,
        );
    }
  }
}

export interface Validated<T extends JsonObject> {
  /** The object as validated: unknown fields dropped, its shape otherwise the one given. */
  object: T;
  warnings: string[];
}

/**
 * Validate a whole object of `info`'s kind. `old` is the stored object on update/patch (for ratcheting);
 * `duplicates` the duplicate-field paths found in the request body.
 */
export function validateObject<T extends JsonObject>(
  info: ResourceInfo,
  obj: T,
  mode: FieldValidation,
  opts: { old?: unknown; duplicates?: string[] } = {},
): Validated<T> {
  const schema = schemaFor(info);
  if (!schema) return { object: obj, warnings: [] };
  const w = new Walk(schema.all, info.custom);
  const object = w.value(obj, schema.root, '', opts.old) as T;
  if (w.causes.length) throw invalid(info, stringOr(objectOr(obj.metadata)?.name) ?? '', w.causes);
  const problems = [
    ...(opts.duplicates ?? []).map((p) => `duplicate field "${p}"`),
    ...w.unknown.map((p) => `unknown field "${p}"`),
  ];
  if (problems.length && mode === 'Strict') throw badRequest(`strict decoding error: ${problems.join(', ')}`);
  return { object, warnings: mode === 'Warn' ? problems : [] };
}

/** The paths of fields given twice in one JSON object of `raw` (JSON.parse keeps only the last). */
export function duplicateFields(raw: string): string[] {
  const out: string[] = [];
  let i = 0;
  const ws = () => {
    while (i < raw.length && ' \t\r\n'.includes(raw[i])) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < raw.length && raw[i] !== '"') i += raw[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(raw.slice(start, i));
  };
  const value = (path: string): void => {
    ws();
    const c = raw[i];
    if (c === '{') {
      i++;
      const seen = new Set<string>();
      ws();
      if (raw[i] === '}') return void i++;
      while (i < raw.length) {
        ws();
        const k = str();
        const p = path ? `${path}.${k}` : k;
        if (seen.has(k)) out.push(p);
        seen.add(k);
        ws();
        i++; // ':'
        value(p);
        ws();
        if (raw[i++] !== ',') return;
      }
    } else if (c === '[') {
      i++;
      ws();
      if (raw[i] === ']') return void i++;
      for (let n = 0; i < raw.length; n++) {
        value(`${path}[${n}]`);
        ws();
        if (raw[i++] !== ',') return;
      }
    } else if (c === '"') str();
    else while (i < raw.length && !',}] \t\r\n'.includes(raw[i])) i++;
  };
  try {
    value('');
  } catch {
    return [];
  }
  return out;
}
