// What the API server checks on a Role, ClusterRole, RoleBinding or ClusterRoleBinding before storing it, with the
// field paths and messages of Kubernetes pkg/apis/rbac/validation/validation.go (ValidatePolicyRule,
// ValidateRoleBinding, ValidateRoleBindingSubject, and the immutable roleRef of ValidateRoleBindingUpdate). Verb
// names are not checked there, so an unknown verb is stored; it simply matches no request.
import { isObject } from '../raw';
import type { KubeObject } from '../types';
import { RBAC_GROUP } from './bootstrap';

export interface Cause {
  field: string;
  reason: 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueNotSupported';
  message: string;
}

/** A Go-decoding failure (wrong JSON type): the caller answers 400 with this message. */
export class DecodeError extends Error {}

const required = (field: string, detail = ''): Cause => ({
  field,
  reason: 'FieldValueRequired',
  message: detail ? `Required value: ${detail}` : 'Required value',
});
const notSupported = (field: string, value: unknown, supported: string[]): Cause => ({
  field,
  reason: 'FieldValueNotSupported',
  message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
});
/** Go prints a []string value as `[]string{"a", "b"}`. */
const goStrings = (v: string[]) => `[]string{${v.map((s) => JSON.stringify(s)).join(', ')}}`;
const invalid = (field: string, value: string, detail: string): Cause => ({
  field,
  reason: 'FieldValueInvalid',
  message: `Invalid value: ${value}: ${detail}`,
});

const STRING_LISTS = ['verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'] as const;

function strings(v: unknown, kind: string, field: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v))
    throw new DecodeError(`json: cannot unmarshal ${typeof v} into Go struct field ${kind}.${field} of type []string`);
  for (const s of v)
    if (typeof s !== 'string')
      throw new DecodeError(`json: cannot unmarshal ${typeof s} into Go struct field ${kind}.${field} of type string`);
  return v;
}

function policyRule(rule: unknown, i: number, namespaced: boolean, kind: string): Cause[] {
  const path = `rules[${i}]`;
  if (!isObject(rule))
    throw new DecodeError(
      `json: cannot unmarshal ${Array.isArray(rule) ? 'array' : typeof rule} into Go struct field ${kind}.rules of type v1.PolicyRule`,
    );
  const r = Object.fromEntries(STRING_LISTS.map((f) => [f, strings(rule[f], kind, `rules.${f}`)])) as Record<
    (typeof STRING_LISTS)[number],
    string[]
  >;
  const out: Cause[] = [];
  if (r.verbs.length === 0) out.push(required(`${path}.verbs`, 'verbs must contain at least one value'));
  if (r.nonResourceURLs.length > 0) {
    if (namespaced)
      out.push(
        invalid(
          `${path}.nonResourceURLs`,
          goStrings(r.nonResourceURLs),
          'namespaced rules cannot apply to non-resource URLs',
        ),
      );
    if (r.apiGroups.length > 0 || r.resources.length > 0 || r.resourceNames.length > 0)
      out.push(
        invalid(
          `${path}.nonResourceURLs`,
          goStrings(r.nonResourceURLs),
          'rules cannot apply to both regular resources and non-resource URLs',
        ),
      );
    return out;
  }
  if (r.apiGroups.length === 0)
    out.push(required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  if (r.resources.length === 0)
    out.push(required(`${path}.resources`, 'resource rules must supply at least one resource'));
  return out;
}

function subject(s: unknown, i: number, namespaced: boolean, kind: string): Cause[] {
  const path = `subjects[${i}]`;
  if (!isObject(s))
    throw new DecodeError(
      `json: cannot unmarshal ${typeof s} into Go struct field ${kind}.subjects of type v1.Subject`,
    );
  const out: Cause[] = [];
  if (!s.name) out.push(required(`${path}.name`));
  const apiGroup = s.apiGroup ?? '';
  switch (s.kind) {
    case 'ServiceAccount':
      if (apiGroup !== '') out.push(notSupported(`${path}.apiGroup`, apiGroup, ['']));
      if (!namespaced && !s.namespace) out.push(required(`${path}.namespace`));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== RBAC_GROUP) out.push(notSupported(`${path}.apiGroup`, apiGroup, [RBAC_GROUP]));
      break;
    default:
      out.push(notSupported(`${path}.kind`, String(s.kind ?? ''), ['ServiceAccount', 'User', 'Group']));
  }
  return out;
}

/** The validation errors of `obj` (kind Role, ClusterRole, RoleBinding or ClusterRoleBinding); `old` on update. */
export function validateRbacObject(obj: KubeObject, old?: KubeObject): Cause[] {
  const kind = obj.kind;
  const out: Cause[] = [];
  if (kind === 'Role' || kind === 'ClusterRole') {
    const rules = obj.rules ?? [];
    if (!Array.isArray(rules))
      throw new DecodeError(
        `json: cannot unmarshal ${typeof rules} into Go struct field ${kind}.rules of type []v1.PolicyRule`,
      );
    rules.forEach((r, i) => out.push(...policyRule(r, i, kind === 'Role', kind)));
    return out;
  }
  const namespaced = kind === 'RoleBinding';
  const ref: unknown = obj.roleRef ?? {};
  if (!isObject(ref))
    throw new DecodeError(
      `json: cannot unmarshal ${typeof ref} into Go struct field ${kind}.roleRef of type v1.RoleRef`,
    );
  if ((ref.apiGroup ?? '') !== RBAC_GROUP) out.push(notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (typeof ref.kind !== 'string' || !kinds.includes(ref.kind))
    out.push(notSupported('roleRef.kind', String(ref.kind ?? ''), kinds));
  if (!ref.name) out.push(required('roleRef.name'));
  const subjects = obj.subjects ?? [];
  if (!Array.isArray(subjects))
    throw new DecodeError(
      `json: cannot unmarshal ${typeof subjects} into Go struct field ${kind}.subjects of type []v1.Subject`,
    );
  subjects.forEach((s, i) => out.push(...subject(s, i, namespaced, kind)));
  if (old && JSON.stringify(old.roleRef) !== JSON.stringify(obj.roleRef)) {
    const r = ref;
    const shown = `rbac.RoleRef{APIGroup:${JSON.stringify(r.apiGroup ?? '')}, Kind:${JSON.stringify(r.kind ?? '')}, Name:${JSON.stringify(r.name ?? '')}}`;
    out.push(invalid('roleRef', shown, 'cannot change roleRef'));
  }
  return out;
}
