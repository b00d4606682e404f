// RBAC rule semantics, pure: does a PolicyRule allow a request, does a binding's subject name the user, does a label
// selector pick a ClusterRole. The matching follows Kubernetes plugin/pkg/auth/authorizer/rbac/rbac.go (RuleAllows)
// and pkg/apis/rbac/v1/evaluation_helpers.go (VerbMatches, APIGroupMatches, ResourceMatches, ResourceNameMatches,
// NonResourceURLMatches, where `*/status` matches every status subresource and a trailing `*` on a non-resource URL
// is a prefix match).

export interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Subject {
  kind: string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

export interface RoleRef {
  apiGroup?: string;
  kind: string;
  name: string;
}

/** Who is asking, as an authenticator hands it on (Kubernetes user.Info). */
export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
}

/** What is asked (Kubernetes authorizer.Attributes). A request is a resource request when `resource` is set. */
export interface RequestAttributes {
  verb: string;
  group?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** For non-resource requests, e.g. `/version` or `/apis/rbac.authorization.k8s.io/v1`. */
  path?: string;
}

const ALL = '*';

const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return list(rule.verbs).some((v) => v === ALL || v === verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return list(rule.apiGroups).some((g) => g === ALL || g === group);
}

// `combined` is `resource` or `resource/subresource`; `*` matches all, `*/sub` matches that subresource of any resource.
export function resourceMatches(rule: PolicyRule, combined: string, subresource: string | undefined): boolean {
  return list(rule.resources).some(
    (r) =>
      r === ALL ||
      r === combined ||
      (!!subresource && r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)),
  );
}

/** No resourceNames: any name (and nameless requests such as list). Otherwise the request must name one of them. */
export function resourceNameMatches(rule: PolicyRule, name: string | undefined): boolean {
  const names = list(rule.resourceNames);
  return names.length === 0 || (!!name && names.includes(name));
}

export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  return list(rule.nonResourceURLs).some(
    (u) => u === ALL || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))),
  );
}

export function isResourceRequest(a: RequestAttributes): boolean {
  return a.resource !== undefined;
}

export function ruleAllows(a: RequestAttributes, rule: PolicyRule): boolean {
  if (isResourceRequest(a)) {
    const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource!;
    return (
      verbMatches(rule, a.verb) &&
      apiGroupMatches(rule, a.group ?? '') &&
      resourceMatches(rule, combined, a.subresource) &&
      resourceNameMatches(rule, a.name)
    );
  }
  return verbMatches(rule, a.verb) && nonResourceURLMatches(rule, a.path ?? '');
}

/** Does `subject` (of a binding in `bindingNamespace`, '' for a ClusterRoleBinding) name this user? (rbac.go appliesToUser) */
export function subjectAppliesTo(user: UserInfo, subject: Subject, bindingNamespace: string): boolean {
  switch (subject?.kind) {
    case 'User':
      return user.name === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const ns = subject.namespace || bindingNamespace;
      return !!ns && user.name === `system:serviceaccount:${ns}:${subject.name}`;
    }
    default:
      return false;
  }
}

/** `User "viewer"`, `Group "system:masters"`, `ServiceAccount "name/namespace"` as the RBAC authorizer describes them. */
export function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} ${JSON.stringify(`${s.name}/${s.namespace || bindingNamespace}`)}`;
  return `${s.kind} ${JSON.stringify(s.name)}`;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** metav1.LabelSelectorAsSelector semantics: an empty selector matches everything; an unknown operator nothing. */
export function labelSelectorMatches(
  sel: LabelSelector | null | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!sel || typeof sel !== 'object') return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    const values = list(e.values);
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(l[e.key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(l[e.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
