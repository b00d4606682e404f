// OpenAPI v3 schemas of rbac.authorization.k8s.io/v1, named as kube-apiserver names them (io.k8s.api.rbac.v1.Role,
// ...), with every field of the upstream Go types (k8s.io/api rbac/v1 types.go), so `kubectl apply` validates them
// and `kubectl explain clusterrole.rules` reads them.
import { embed, META } from './core-schemas';
import type { Schema } from './schema-types';

export const RBAC_SCHEMA_PREFIX = 'io.k8s.api.rbac.v1';
const P = RBAC_SCHEMA_PREFIX;

const str = (description: string): Schema => ({ type: 'string', description });
const strList = (description: string): Schema => ({
  type: 'array',
  items: { type: 'string', default: '' },
  description,
});
const API_VERSION = str('APIVersion defines the versioned schema of this representation of an object.');
const KIND = str('Kind is a string value representing the REST resource this object represents.');
const gvk = (kind: string) => [{ group: 'rbac.authorization.k8s.io', kind, version: 'v1' }];

const LABEL_SELECTOR = `${META}.LabelSelector`;

export function rbacSchemas(): Record<string, Schema> {
  const out: Record<string, Schema> = {
    [LABEL_SELECTOR]: {
      type: 'object',
      description: 'A label selector is a label query over a set of resources.',
      properties: {
        matchExpressions: {
          type: 'array',
          description: 'matchExpressions is a list of label selector requirements. The requirements are ANDed.',
          items: {
            type: 'object',
            required: ['key', 'operator'],
            properties: {
              key: str('key is the label key that the selector applies to.'),
              operator: str(
                "operator represents a key's relationship to a set of values: In, NotIn, Exists and DoesNotExist.",
              ),
              values: strList('values is an array of string values.'),
            },
          },
        },
        matchLabels: {
          type: 'object',
          additionalProperties: { type: 'string', default: '' },
          description: 'matchLabels is a map of {key,value} pairs.',
        },
      },
      'x-kubernetes-map-type': 'atomic',
    },
    [`${P}.PolicyRule`]: {
      type: 'object',
      description:
        'PolicyRule holds information that describes a policy rule, but does not contain information about who the rule applies to or which namespace the rule applies to.',
      required: ['verbs'],
      properties: {
        apiGroups: strList(
          'APIGroups is the name of the APIGroup that contains the resources. "" represents the core API group and "*" represents all API groups.',
        ),
        nonResourceURLs: strList(
          'NonResourceURLs is a set of partial urls that a user should have access to. *s are allowed, but only as the full, final step in the path.',
        ),
        resourceNames: strList(
          'ResourceNames is an optional white list of names that the rule applies to. An empty set means that everything is allowed.',
        ),
        resources: strList("Resources is a list of resources this rule applies to. '*' represents all resources."),
        verbs: strList(
          "Verbs is a list of Verbs that apply to ALL the ResourceKinds contained in this rule. '*' represents all verbs.",
        ),
      },
    },
    [`${P}.Subject`]: {
      type: 'object',
      description: 'Subject contains a reference to the object or user identities a role binding applies to.',
      required: ['kind', 'name'],
      properties: {
        apiGroup: str(
          'APIGroup holds the API group of the referenced subject. Defaults to "" for ServiceAccount subjects. Defaults to "rbac.authorization.k8s.io" for User and Group subjects.',
        ),
        kind: str(
          'Kind of object being referenced. Values defined by this API group are "User", "Group", and "ServiceAccount".',
        ),
        name: str('Name of the object being referenced.'),
        namespace: str(
          'Namespace of the referenced object. If the object kind is non-namespace, such as "User" or "Group", and this value is not empty the Authorizer should report an error.',
        ),
      },
      'x-kubernetes-map-type': 'atomic',
    },
    [`${P}.RoleRef`]: {
      type: 'object',
      description: 'RoleRef contains information that points to the role being used',
      required: ['apiGroup', 'kind', 'name'],
      properties: {
        apiGroup: str('APIGroup is the group for the resource being referenced'),
        kind: str('Kind is the type of resource being referenced'),
        name: str('Name is the name of resource being referenced'),
      },
      'x-kubernetes-map-type': 'atomic',
    },
    [`${P}.AggregationRule`]: {
      type: 'object',
      description: 'AggregationRule describes how to locate ClusterRoles to aggregate into the ClusterRole',
      properties: {
        clusterRoleSelectors: {
          type: 'array',
          items: embed(LABEL_SELECTOR, ''),
          description:
            "ClusterRoleSelectors holds a list of selectors which will be used to find ClusterRoles and create the rules. If any of the selectors match, then the ClusterRole's permissions will be added",
        },
      },
    },
  };
  const rules = {
    type: 'array',
    items: embed(`${P}.PolicyRule`, ''),
    description: 'Rules holds all the PolicyRules for this Role',
  };
  const kinds: { kind: string; description: string; properties: Record<string, Schema>; required?: string[] }[] = [
    {
      kind: 'Role',
      description:
        'Role is a namespaced, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding.',
      properties: { rules },
    },
    {
      kind: 'ClusterRole',
      description:
        'ClusterRole is a cluster level, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding or ClusterRoleBinding.',
      properties: {
        aggregationRule: embed(
          `${P}.AggregationRule`,
          'AggregationRule is an optional field that describes how to build the Rules for this ClusterRole.',
        ),
        rules,
      },
    },
    ...(['RoleBinding', 'ClusterRoleBinding'] as const).map((kind) => ({
      kind,
      description: `${kind} references a role, but does not contain it. It adds who information via Subjects and namespace information by which namespace it exists in.`,
      properties: {
        roleRef: embed(
          `${P}.RoleRef`,
          'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. This field is immutable.',
        ),
        subjects: {
          type: 'array',
          items: embed(`${P}.Subject`, ''),
          description: 'Subjects holds references to the objects the role applies to.',
        },
      },
      required: ['roleRef'],
    })),
  ];
  for (const k of kinds) {
    out[`${P}.${k.kind}`] = {
      type: 'object',
      description: k.description,
      properties: {
        apiVersion: API_VERSION,
        kind: KIND,
        metadata: embed(`${META}.ObjectMeta`, "Standard object's metadata."),
        ...k.properties,
      },
      ...(k.required ? { required: k.required } : {}),
      'x-kubernetes-group-version-kind': gvk(k.kind),
    };
    out[`${P}.${k.kind}List`] = {
      type: 'object',
      description: `${k.kind}List is a collection of ${k.kind}s`,
      required: ['items'],
      properties: {
        apiVersion: API_VERSION,
        items: { type: 'array', items: embed(`${P}.${k.kind}`, ''), description: `Items is a list of ${k.kind}s` },
        kind: KIND,
        metadata: embed(`${META}.ListMeta`, "Standard object's metadata."),
      },
      'x-kubernetes-group-version-kind': gvk(`${k.kind}List`),
    };
  }
  return out;
}
