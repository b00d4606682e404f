// The review kinds, created and answered at once, never stored: authorization.k8s.io/v1 SelfSubjectAccessReview
// (`kubectl auth can-i`), SelfSubjectRulesReview (`kubectl auth can-i --list`) and SubjectAccessReview, decided by
// the stored RBAC; authentication.k8s.io/v1 SelfSubjectReview (`kubectl auth whoami`) and TokenReview. Creating any
// of them is itself authorized like every request (system:basic-user grants the self reviews to everyone).
import type { Store } from '../types';
import { decide, rulesFor } from '../rbac/authorizer';
import type { PolicyRule, RequestAttributes, UserInfo } from '../rbac/rules';
import { userForToken, type SimUser } from './auth';
import { field, type JsonObject } from '../raw';
import { parseJsonObject } from './crud';
import { AUTHZ_GROUP, type ResourceInfo } from './resources';
import { badRequest, invalid } from './status';

export const AUTHN_GROUP = 'authentication.k8s.io';

interface Review {
  group: string;
  name: string;
  kind: string;
  namespaced: boolean;
}

export const REVIEWS: Review[] = [
  { group: AUTHN_GROUP, name: 'selfsubjectreviews', kind: 'SelfSubjectReview', namespaced: false },
  { group: AUTHN_GROUP, name: 'tokenreviews', kind: 'TokenReview', namespaced: false },
  { group: AUTHZ_GROUP, name: 'localsubjectaccessreviews', kind: 'LocalSubjectAccessReview', namespaced: true },
  { group: AUTHZ_GROUP, name: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview', namespaced: false },
  { group: AUTHZ_GROUP, name: 'selfsubjectrulesreviews', kind: 'SelfSubjectRulesReview', namespaced: false },
  { group: AUTHZ_GROUP, name: 'subjectaccessreviews', kind: 'SubjectAccessReview', namespaced: false },
];

export function findReview(group: string, resource: string): Review | undefined {
  return REVIEWS.find((r) => r.group === group && r.name === resource);
}

/** The APIResourceList entries of a review group. */
export function reviewResources(group: string) {
  return REVIEWS.filter((r) => r.group === group).map((r) => ({
    name: r.name,
    singularName: r.kind.toLowerCase(),
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: ['create'],
  }));
}

function invalidReview(r: Review, field: string, message: string) {
  const info = { kind: r.kind, group: r.group } as ResourceInfo;
  return invalid(info, '', [{ field, reason: 'FieldValueInvalid', message }]);
}

/** Request attributes from a review spec, validated as pkg/apis/authorization/validation does. */
function attributesOf(r: Review, spec: JsonObject, namespace?: string): RequestAttributes {
  const ra = spec.resourceAttributes;
  const nra = spec.nonResourceAttributes;
  if (ra && nra)
    throw invalidReview(
      r,
      'spec.nonResourceAttributes',
      'Invalid value: "": cannot be specified in combination with resourceAttributes',
    );
  if (!ra && !nra)
    throw invalidReview(
      r,
      'spec.resourceAttributes',
      'Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
    );
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  if (ra) {
    const ns = namespace ?? str(field(ra, 'namespace'));
    if (namespace !== undefined && str(field(ra, 'namespace')) !== namespace)
      throw invalidReview(
        r,
        'spec.resourceAttributes.namespace',
        `Invalid value: ${JSON.stringify(str(field(ra, 'namespace')))}: must match metadata.namespace`,
      );
    return {
      verb: str(field(ra, 'verb')),
      group: str(field(ra, 'group')),
      resource: str(field(ra, 'resource')),
      subresource: str(field(ra, 'subresource')) || undefined,
      namespace: ns || undefined,
      name: str(field(ra, 'name')) || undefined,
    };
  }
  return { verb: str(field(nra, 'verb')), path: str(field(nra, 'path')) };
}

function accessStatus(store: Store, user: UserInfo, a: RequestAttributes) {
  const d = decide(store, user, a);
  const out: Record<string, unknown> = { allowed: d.allowed };
  if (d.reason) out.reason = d.reason;
  return out;
}

function rulesStatus(store: Store, user: UserInfo, namespace: string) {
  const { rules, errors } = rulesFor(store, user, namespace);
  const resourceRules: PolicyRule[] = [];
  const nonResourceRules: PolicyRule[] = [];
  for (const r of rules) {
    if (r.nonResourceURLs?.length) nonResourceRules.push({ verbs: r.verbs ?? [], nonResourceURLs: r.nonResourceURLs });
    else {
      const out: PolicyRule = { verbs: r.verbs ?? [], apiGroups: r.apiGroups ?? [], resources: r.resources ?? [] };
      if (r.resourceNames?.length) out.resourceNames = r.resourceNames;
      resourceRules.push(out);
    }
  }
  const out: Record<string, unknown> = { resourceRules, nonResourceRules, incomplete: errors.length > 0 };
  if (errors.length) out.evaluationError = errors.join(', ');
  return out;
}

/** Answer a review POSTed by `user` (already authorized to create it). */
export function serveReview(
  r: Review,
  raw: string,
  ctx: { store: Store; users: SimUser[]; user: UserInfo; namespace?: string },
): { code: number; body: unknown } {
  const body = parseJsonObject(raw);
  const apiVersion = `${r.group}/v1`;
  if (body.apiVersion !== undefined && body.apiVersion !== apiVersion)
    throw badRequest(
      `the API version in the data (${body.apiVersion}) does not match the expected API version (${apiVersion})`,
    );
  if (body.kind !== undefined && body.kind !== r.kind)
    throw badRequest(`the kind in the data (${body.kind}) does not match the expected kind (${r.kind})`);
  const metadata = {
    ...(body.metadata && typeof body.metadata === 'object' ? body.metadata : {}),
    creationTimestamp: null,
  };
  // An array spec reads as one without the fields, as before it reaches the checks below.
  const spec: JsonObject = body.spec && typeof body.spec === 'object' ? (body.spec as JsonObject) : {};
  const reply = (status: unknown, withSpec = true) => ({
    code: 201,
    body: withSpec
      ? { kind: r.kind, apiVersion, metadata, spec, status }
      : { kind: r.kind, apiVersion, metadata, status },
  });
  const { store, user } = ctx;
  switch (r.name) {
    case 'selfsubjectreviews': {
      const userInfo: Record<string, unknown> = { username: user.name, groups: user.groups };
      if (user.uid) userInfo.uid = user.uid;
      return reply({ userInfo }, false);
    }
    case 'tokenreviews': {
      if (typeof spec.token !== 'string' || !spec.token)
        throw invalidReview(r, 'spec.token', 'Required value: token must be specified');
      const who = userForToken(spec.token, ctx.users);
      if (!who) return reply({ user: {}, error: 'invalid bearer token' });
      const u: Record<string, unknown> = { username: who.name, groups: who.groups };
      if (who.uid) u.uid = who.uid;
      const audiences =
        Array.isArray(spec.audiences) && spec.audiences.length ? spec.audiences : ['https://kubernetes.default.svc'];
      return reply({ authenticated: true, user: u, audiences });
    }
    case 'selfsubjectaccessreviews':
      return reply(accessStatus(store, user, attributesOf(r, spec)));
    case 'localsubjectaccessreviews':
    case 'subjectaccessreviews': {
      const subject = typeof spec.user === 'string' ? spec.user : '';
      const groups = Array.isArray(spec.groups)
        ? spec.groups.filter((g: unknown): g is string => typeof g === 'string')
        : [];
      if (!subject && groups.length === 0)
        throw invalidReview(r, 'spec.user', 'Invalid value: "": at least one of user or group must be specified');
      const target: UserInfo = { name: subject, groups };
      if (typeof spec.uid === 'string' && spec.uid) target.uid = spec.uid;
      return reply(
        accessStatus(store, target, attributesOf(r, spec, r.namespaced ? (ctx.namespace ?? '') : undefined)),
      );
    }
    case 'selfsubjectrulesreviews':
      return reply(rulesStatus(store, user, typeof spec.namespace === 'string' ? spec.namespace : ''));
  }
  throw badRequest(`unsupported review ${r.kind}`);
}
