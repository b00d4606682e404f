// Label and field selectors, parsed once per request into predicates on objects.
import { at } from '../raw';
import type { KubeObject, Resource } from '../types';
import { badRequest } from './status';

export type Predicate = (o: KubeObject) => boolean;

const LABEL_KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Split at commas that are not inside parentheses. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((t) => t.trim());
}

function checkKey(k: string, selector: string) {
  if (!LABEL_KEY.test(k))
    throw badRequest(`unable to parse requirement: invalid label key "${k}" in selector "${selector}"`);
}
function checkValue(v: string, selector: string) {
  if (!LABEL_VALUE.test(v) || v.length > 63)
    throw badRequest(`unable to parse requirement: invalid label value "${v}" in selector "${selector}"`);
}

/** `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, joined by commas (AND). */
export function parseLabelSelector(selector: string | null | undefined): Predicate {
  if (!selector || !selector.trim()) return () => true;
  const reqs: ((labels: Record<string, string>) => boolean)[] = [];
  for (const term of splitTerms(selector)) {
    if (!term) throw badRequest(`unable to parse requirement: empty term in selector "${selector}"`);
    let m: RegExpExecArray | null;
    if ((m = /^!\s*(\S+)$/.exec(term))) {
      const k = m[1];
      checkKey(k, selector);
      reqs.push((l) => !(k in l));
    } else if ((m = /^(\S+?)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term))) {
      const [, k, op, list] = m;
      checkKey(k, selector);
      const values = new Set(list.split(',').map((v) => v.trim()));
      for (const v of values) checkValue(v, selector);
      reqs.push(op === 'in' ? (l) => k in l && values.has(l[k]) : (l) => !(k in l) || !values.has(l[k]));
    } else if ((m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term))) {
      const [, k, op, v] = m;
      checkKey(k, selector);
      checkValue(v, selector);
      reqs.push(op === '!=' ? (l) => l[k] !== v : (l) => l[k] === v);
    } else if ((m = /^([^=!\s()]+)$/.exec(term))) {
      const k = m[1];
      checkKey(k, selector);
      reqs.push((l) => k in l);
    } else {
      throw badRequest(
        `unable to parse requirement: found '${term}', expected a label requirement in selector "${selector}"`,
      );
    }
  }
  return (o) => {
    const labels = o.metadata.labels ?? {};
    return reqs.every((r) => r(labels));
  };
}

/** A field's value as the selector compares it (with ===, so a value that is not a string never matches). */
type FieldGetter = (o: KubeObject) => unknown;

const COMMON_FIELDS: Record<string, FieldGetter> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
};

/** Getters for fields read at their own path (`spec.nodeName`), '' when absent. */
const atPaths = (paths: string[]): Record<string, FieldGetter> =>
  Object.fromEntries(paths.map((p) => [p, (o: KubeObject) => at(o, ...p.split('.')) ?? '']));

// The field labels kube-apiserver supports per kind (pkg/registry/core/{pod,event,node,namespace} ToSelectableFields).
const FIELDS: Partial<Record<Resource, Record<string, FieldGetter>>> = {
  pods: atPaths([
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'status.phase',
    'status.podIP',
  ]),
  events: {
    ...atPaths([
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'involvedObject.resourceVersion',
      'involvedObject.fieldPath',
      'reason',
      'reportingComponent',
      'type',
    ]),
    source: (o) => at(o, 'source', 'component') ?? '',
  },
  nodes: { 'spec.unschedulable': (o) => String(Boolean(at(o, 'spec', 'unschedulable'))) },
  namespaces: atPaths(['status.phase']),
};

/** `field=v`, `field==v`, `field!=v` joined by commas; values may be empty. */
export function parseFieldSelector(resource: Resource, selector: string | null | undefined): Predicate {
  if (!selector || !selector.trim()) return () => true;
  const reqs: Predicate[] = [];
  for (const term of selector.split(',')) {
    const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(term.trim());
    if (!m) throw badRequest(`invalid field selector: "${term}": expected field=value, field==value or field!=value`);
    const [, field, op, value] = m;
    const get = COMMON_FIELDS[field.trim()] ?? FIELDS[resource]?.[field.trim()];
    if (!get) throw badRequest(`field label not supported: ${field.trim()}`);
    reqs.push(op === '!=' ? (o) => get(o) !== value : (o) => get(o) === value);
  }
  return (o) => reqs.every((r) => r(o));
}
