// The RBAC authorizer over the stored Roles, ClusterRoles and bindings, as Kubernetes
// plugin/pkg/auth/authorizer/rbac/rbac.go decides: ClusterRoleBindings first, then the RoleBindings of the request's
// namespace; the first rule that allows wins and names its source in the reason; a binding whose role is missing
// adds an error to the reason of a refusal. Nothing is cached: a changed binding counts from the next request.
import type { KubeObject, Store } from '../types';
import {
  describeSubject,
  ruleAllows,
  subjectAppliesTo,
  type PolicyRule,
  type RequestAttributes,
  type RoleRef,
  type Subject,
  type UserInfo,
} from './rules';

export interface Decision {
  allowed: boolean;
  /** `RBAC: allowed by ...` when allowed; `RBAC: <errors>` or '' when not. */
  reason: string;
}

interface Visit {
  source: string;
  rules: PolicyRule[];
}

const byName = (a: KubeObject, b: KubeObject) =>
  a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;

/** The rules a role reference grants in `namespace` ('' for a ClusterRoleBinding), or the lookup error. */
function roleRules(store: Store, ref: RoleRef, namespace: string): PolicyRule[] | string {
  if (ref?.kind === 'ClusterRole') {
    const r = store.get('clusterroles', ref.name);
    return r
      ? ((r.rules as PolicyRule[] | undefined) ?? [])
      : `clusterrole.rbac.authorization.k8s.io ${JSON.stringify(ref.name)} not found`;
  }
  if (ref?.kind === 'Role' && namespace) {
    const r = store.get('roles', ref.name, namespace);
    return r
      ? ((r.rules as PolicyRule[] | undefined) ?? [])
      : `role.rbac.authorization.k8s.io ${JSON.stringify(ref.name)} not found`;
  }
  return `unsupported role reference kind: ${JSON.stringify(ref?.kind ?? '')}`;
}

/** Every binding that applies to `user` in `namespace` (undefined: cluster-wide only), in the order RBAC visits them. */
function* visits(store: Store, user: UserInfo, namespace: string | undefined, errors: string[]): Generator<Visit> {
  for (const b of store.list('clusterrolebindings').slice().sort(byName)) {
    const subject = ((b.subjects as Subject[] | undefined) ?? []).find((s) => subjectAppliesTo(user, s, ''));
    if (!subject) continue;
    const ref = b.roleRef as RoleRef;
    const rules = roleRules(store, ref, '');
    if (typeof rules === 'string') {
      errors.push(rules);
      continue;
    }
    yield {
      source: `ClusterRoleBinding ${JSON.stringify(b.metadata.name)} of ${ref.kind} ${JSON.stringify(ref.name)} to ${describeSubject(subject, '')}`,
      rules,
    };
  }
  if (!namespace) return;
  for (const b of store.list('rolebindings', namespace).slice().sort(byName)) {
    const subject = ((b.subjects as Subject[] | undefined) ?? []).find((s) => subjectAppliesTo(user, s, namespace));
    if (!subject) continue;
    const ref = b.roleRef as RoleRef;
    const rules = roleRules(store, ref, namespace);
    if (typeof rules === 'string') {
      errors.push(rules);
      continue;
    }
    // rbac.go names a RoleBinding "name/namespace".
    const id = `${b.metadata.name}/${namespace}`;
    yield {
      source: `RoleBinding ${JSON.stringify(id)} of ${ref.kind} ${JSON.stringify(ref.name)} to ${describeSubject(subject, namespace)}`,
      rules,
    };
  }
}

export function decide(store: Store, user: UserInfo, a: RequestAttributes): Decision {
  const errors: string[] = [];
  for (const v of visits(store, user, a.namespace || undefined, errors)) {
    for (const rule of v.rules)
      if (rule && ruleAllows(a, rule)) return { allowed: true, reason: `RBAC: allowed by ${v.source}` };
  }
  return { allowed: false, reason: errorsReason(errors) };
}

function errorsReason(errors: string[]): string {
  if (errors.length === 0) return '';
  // utilerrors.NewAggregate prints one error as is and several as [a, b].
  return `RBAC: ${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}`;
}

/** All rules that apply to `user` in `namespace` (SelfSubjectRulesReview), and the lookup errors. */
export function rulesFor(store: Store, user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] } {
  const errors: string[] = [];
  const rules: PolicyRule[] = [];
  for (const v of visits(store, user, namespace || undefined, errors)) rules.push(...v.rules.filter(Boolean));
  return { rules, errors };
}
