// OpenAPI v3 discovery as kube-apiserver serves it: GET /openapi/v3 lists one document per group-version with a
// content-hash URL, and each document carries the operations (with the fieldValidation and dryRun parameters kubectl
// looks for before it lets the server validate) and the schemas: the vendored CRDs' openAPIV3Schema for the MCO kinds,
// the hand-written core schemas for the rest. kubectl explain and kubectl apply/create read these.
import { createHash } from 'node:crypto';
import { crdFor } from './crds';
import { CORE, coreSchemaName, coreSchemas, embed, META, metaSchemas, ref } from './core-schemas';
import { RBAC_GROUP } from './rbac-resources';
import { RBAC_SCHEMA_PREFIX, rbacSchemas } from './rbac-schemas';
import { AUTHZ_GROUP, RESOURCE_INFO, type ResourceInfo } from './resources';
import type { JsonObject } from '../raw';
import type { Schema } from './schema-types';

/** apiextensions names a CR's schema by its reversed group: machineconfiguration.openshift.io -> io.openshift.machineconfiguration. */
export function schemaName(info: Pick<ResourceInfo, 'group' | 'kind'>, list = false): string {
  const kind = list ? `${info.kind}List` : info.kind;
  if (!info.group) return coreSchemaName(kind);
  if (info.group === RBAC_GROUP) return `${RBAC_SCHEMA_PREFIX}.${kind}`;
  return `${info.group.split('.').reverse().join('.')}.v1.${kind}`;
}

/** The schema a CRD's served version publishes: its own, with ObjectMeta, TypeMeta descriptions and the GVK. */
function crdSchema(info: ResourceInfo): Schema {
  const crd = crdFor(info.group, info.name)!;
  const s = structuredClone(crd.schema);
  s.properties ??= {};
  s.properties.metadata = embed(
    `${META}.ObjectMeta`,
    "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
  );
  s['x-kubernetes-group-version-kind'] = [{ group: info.group, kind: info.kind, version: 'v1' }];
  return s;
}

function crdListSchema(info: ResourceInfo): Schema {
  return {
    type: 'object',
    description: `${info.kind}List is a list of ${info.kind}`,
    required: ['items'],
    properties: {
      apiVersion: {
        type: 'string',
        description: 'APIVersion defines the versioned schema of this representation of an object.',
      },
      items: {
        type: 'array',
        description: `List of ${info.name}. More info: https://git.k8s.io/community/contributors/devel/api-conventions.md`,
        items: ref(schemaName(info)),
      },
      kind: {
        type: 'string',
        description: 'Kind is a string value representing the REST resource this object represents.',
      },
      metadata: embed(`${META}.ListMeta`, 'Standard list metadata.'),
    },
    'x-kubernetes-group-version-kind': [{ group: info.group, kind: `${info.kind}List`, version: 'v1' }],
  };
}

const queryParam = (name: string, description: string, type = 'string'): JsonObject => ({
  name,
  in: 'query',
  description,
  schema: { type, uniqueItems: true },
});
const P = {
  pretty: queryParam('pretty', "If 'true', then the output is pretty printed."),
  dryRun: queryParam(
    'dryRun',
    'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed',
  ),
  fieldManager: queryParam(
    'fieldManager',
    'fieldManager is a name associated with the actor or entity that is making these changes.',
  ),
  fieldValidation: queryParam(
    'fieldValidation',
    'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict',
  ),
  force: queryParam('force', 'Force is going to "force" Apply requests.', 'boolean'),
  labelSelector: queryParam('labelSelector', 'A selector to restrict the list of returned objects by their labels.'),
  fieldSelector: queryParam('fieldSelector', 'A selector to restrict the list of returned objects by their fields.'),
  limit: queryParam('limit', 'limit is a maximum number of responses to return for a list call.', 'integer'),
  continue: queryParam('continue', 'The continue option should be set when retrieving more results from the server.'),
  resourceVersion: queryParam(
    'resourceVersion',
    'resourceVersion sets a constraint on what resource versions a request may be served from.',
  ),
  watch: queryParam(
    'watch',
    'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.',
    'boolean',
  ),
  timeoutSeconds: queryParam('timeoutSeconds', 'Timeout for the list/watch call.', 'integer'),
  allowWatchBookmarks: queryParam(
    'allowWatchBookmarks',
    'allowWatchBookmarks requests watch events with type "BOOKMARK".',
    'boolean',
  ),
  gracePeriodSeconds: queryParam(
    'gracePeriodSeconds',
    'The duration in seconds before the object should be deleted.',
    'integer',
  ),
  propagationPolicy: queryParam('propagationPolicy', 'Whether and how garbage collection will be performed.'),
};
const pathParam = (name: string, description: string): JsonObject => ({
  name,
  in: 'path',
  description,
  required: true,
  schema: { type: 'string', uniqueItems: true },
});

const MEDIA = ['application/json', 'application/yaml'];
const content = (schema: Schema, types = MEDIA) => Object.fromEntries(types.map((t) => [t, { schema }]));
const responses = (codes: Record<string, Schema>) =>
  Object.fromEntries(
    Object.entries(codes).map(([code, s]) => [
      code,
      {
        description: code === '401' ? 'Unauthorized' : code === '201' ? 'Created' : code === '202' ? 'Accepted' : 'OK',
        ...(code === '401' ? {} : { content: content(s) }),
      },
    ]),
  );

/** `createCoreV1Namespace`, `patchMachineconfigurationOpenshiftIoV1MachineConfig`, as the installer names them. */
function opId(verb: string, info: ResourceInfo, namespaced: boolean, suffix = ''): string {
  const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
  const group = info.group ? info.group.split('.').map(cap).join('') : 'Core';
  return `${verb}${group}V1${namespaced ? 'Namespaced' : ''}${info.kind}${suffix}`;
}

/** The operations of one resource, keyed by path, as the apiserver installer declares them. */
function resourcePaths(info: ResourceInfo, prefix: string): Record<string, JsonObject> {
  const gvk = { group: info.group, kind: info.kind, version: 'v1' };
  const obj = ref(schemaName(info));
  const list = ref(schemaName(info, true));
  const status = ref(`${META}.Status`);
  const tags = [info.group ? `${info.group.split('.')[0]}_v1` : 'core_v1'];
  const ns = info.namespaced;
  const base = ns ? `${prefix}/namespaces/{namespace}/${info.name}` : `${prefix}/${info.name}`;
  const common = [
    P.pretty,
    ...(ns ? [pathParam('namespace', 'object name and auth scope, such as for teams and projects')] : []),
  ];
  const op = (verb: string, action: string, desc: string, extra: JsonObject) => ({
    tags,
    description: desc,
    operationId: opId(verb, info, ns),
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    ...extra,
  });
  const writeParams = [P.dryRun, P.fieldManager, P.fieldValidation];
  const body = (s: Schema, types = MEDIA) => ({ requestBody: { content: content(s, types), required: true } });
  const patchBody = body(ref(`${META}.Patch`), [
    'application/apply-patch+yaml',
    'application/json-patch+json',
    'application/merge-patch+json',
    ...(info.custom ? [] : ['application/strategic-merge-patch+json']),
  ]);
  const listParams = [
    P.allowWatchBookmarks,
    P.continue,
    P.fieldSelector,
    P.labelSelector,
    P.limit,
    P.resourceVersion,
    P.timeoutSeconds,
    P.watch,
  ];
  const paths: Record<string, JsonObject> = {
    [base]: {
      get: op('list', 'list', `list or watch objects of kind ${info.kind}`, {
        parameters: listParams,
        responses: responses({ '200': list, '401': {} }),
      }),
      post: op('create', 'post', `create a ${info.kind}`, {
        parameters: writeParams,
        ...body(obj),
        responses: responses({ '200': obj, '201': obj, '202': obj, '401': {} }),
      }),
      delete: op('deletecollection', 'deletecollection', `delete collection of ${info.kind}`, {
        parameters: [
          P.dryRun,
          P.gracePeriodSeconds,
          P.propagationPolicy,
          ...listParams.filter((p) => p.name !== 'watch'),
        ],
        requestBody: { content: content(ref(`${META}.DeleteOptions`)) },
        responses: responses({ '200': status, '401': {} }),
      }),
      parameters: common,
    },
    [`${base}/{name}`]: {
      get: op('read', 'get', `read the specified ${info.kind}`, { responses: responses({ '200': obj, '401': {} }) }),
      put: op('replace', 'put', `replace the specified ${info.kind}`, {
        parameters: writeParams,
        ...body(obj),
        responses: responses({ '200': obj, '201': obj, '401': {} }),
      }),
      patch: op('patch', 'patch', `partially update the specified ${info.kind}`, {
        parameters: [...writeParams, P.force],
        ...patchBody,
        responses: responses({ '200': obj, '201': obj, '401': {} }),
      }),
      delete: op('delete', 'delete', `delete a ${info.kind}`, {
        parameters: [P.dryRun, P.gracePeriodSeconds, P.propagationPolicy],
        requestBody: { content: content(ref(`${META}.DeleteOptions`)) },
        responses: responses({ '200': status, '202': status, '401': {} }),
      }),
      parameters: [pathParam('name', `name of the ${info.kind}`), ...common],
    },
  };
  if (info.statusSubresource)
    paths[`${base}/{name}/status`] = {
      get: op('read', 'get', `read status of the specified ${info.kind}`, {
        operationId: opId('read', info, ns, 'Status'),
        responses: responses({ '200': obj, '401': {} }),
      }),
      put: op('replace', 'put', `replace status of the specified ${info.kind}`, {
        operationId: opId('replace', info, ns, 'Status'),
        parameters: writeParams,
        ...body(obj),
        responses: responses({ '200': obj, '201': obj, '401': {} }),
      }),
      patch: op('patch', 'patch', `partially update status of the specified ${info.kind}`, {
        operationId: opId('patch', info, ns, 'Status'),
        parameters: [...writeParams, P.force],
        ...patchBody,
        responses: responses({ '200': obj, '201': obj, '401': {} }),
      }),
      parameters: [pathParam('name', `name of the ${info.kind}`), ...common],
    };
  if (ns)
    paths[`${prefix}/${info.name}`] = {
      get: op('list', 'list', `list or watch objects of kind ${info.kind}`, {
        operationId: opId('list', info, false, 'ForAllNamespaces'),
        responses: responses({ '200': list, '401': {} }),
      }),
      parameters: [...listParams, P.pretty],
    };
  return paths;
}

export interface GroupVersionDoc {
  /** `api/v1` or `apis/<group>/v1`. */
  key: string;
  doc: OpenApiDocument;
  json: string;
  hash: string;
}

/** An OpenAPI v3 document: its paths (operations, as JSON) and its component schemas. */
interface OpenApiDocument extends JsonObject {
  paths: Record<string, JsonObject>;
  components?: { schemas: Record<string, Schema>; [field: string]: unknown };
}

function document(prefix: string, paths: Record<string, JsonObject>, schemas: Record<string, Schema>): OpenApiDocument {
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.29.5+plumb-sim' },
    paths,
    components: {
      schemas,
      securitySchemes: {
        BearerToken: {
          type: 'apiKey',
          description: 'Bearer Token authentication',
          name: 'authorization',
          in: 'header',
        },
      },
    },
    security: [{ BearerToken: [] }],
  };
}

function groupVersionDoc(group: string): OpenApiDocument {
  const prefix = group ? `/apis/${group}/v1` : '/api/v1';
  const infos = RESOURCE_INFO.filter((r) => r.group === group);
  const paths: Record<string, JsonObject> = {};
  for (const info of infos) Object.assign(paths, resourcePaths(info, prefix));
  let schemas: Record<string, Schema>;
  if (!group) schemas = coreSchemas();
  else if (group === RBAC_GROUP) schemas = { ...metaSchemas(), ...rbacSchemas() };
  else {
    schemas = metaSchemas();
    for (const info of infos) {
      schemas[schemaName(info)] = crdSchema(info);
      schemas[schemaName(info, true)] = crdListSchema(info);
    }
  }
  return document(prefix, paths, schemas);
}

function authzDoc(): OpenApiDocument {
  const gvk = { group: AUTHZ_GROUP, kind: 'SelfSubjectAccessReview', version: 'v1' };
  const name = 'io.k8s.api.authorization.v1.SelfSubjectAccessReview';
  const schemas = {
    ...metaSchemas(),
    [name]: {
      type: 'object',
      description: 'SelfSubjectAccessReview checks whether or the current user can perform an action.',
      required: ['spec'],
      properties: {
        apiVersion: {
          type: 'string',
          description: 'APIVersion defines the versioned schema of this representation of an object.',
        },
        kind: {
          type: 'string',
          description: 'Kind is a string value representing the REST resource this object represents.',
        },
        metadata: embed(`${META}.ObjectMeta`, 'Standard list metadata.'),
        spec: {
          type: 'object',
          description: 'Spec holds information about the request being evaluated.',
          'x-kubernetes-preserve-unknown-fields': true,
        },
        status: {
          type: 'object',
          description: 'Status is filled in by the server and indicates whether the request is allowed or not',
          'x-kubernetes-preserve-unknown-fields': true,
        },
      },
      'x-kubernetes-group-version-kind': [gvk],
    },
  };
  const paths = {
    '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews': {
      post: {
        tags: ['authorization_v1'],
        description: 'create a SelfSubjectAccessReview',
        operationId: 'createAuthorizationV1SelfSubjectAccessReview',
        'x-kubernetes-action': 'post',
        'x-kubernetes-group-version-kind': gvk,
        parameters: [P.dryRun, P.fieldManager, P.fieldValidation, P.pretty],
        requestBody: { content: content(ref(name)), required: true },
        responses: responses({ '200': ref(name), '201': ref(name), '202': ref(name), '401': {} }),
      },
    },
  };
  return document('/apis/authorization.k8s.io/v1', paths, schemas);
}

let cache: Map<string, GroupVersionDoc> | undefined;

/** Every group-version document, built once (the schemas do not change while the server runs). */
export function openApiDocs(): Map<string, GroupVersionDoc> {
  if (!cache) {
    cache = new Map();
    const groups = [...new Set(RESOURCE_INFO.map((r) => r.group))];
    const entries: [string, OpenApiDocument][] = groups.map((g) => [g ? `apis/${g}/v1` : 'api/v1', groupVersionDoc(g)]);
    entries.push([`apis/${AUTHZ_GROUP}/v1`, authzDoc()]);
    for (const [key, doc] of entries) {
      const json = JSON.stringify(doc);
      // kube-openapi's handler3 names each document by the upper-case hex SHA-512 of its bytes.
      cache.set(key, { key, doc, json, hash: createHash('sha512').update(json).digest('hex').toUpperCase() });
    }
  }
  return cache;
}

/** The /openapi/v3 root: every document's URL with its hash. */
export function openApiRoot() {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const d of openApiDocs().values()) paths[d.key] = { serverRelativeURL: `/openapi/v3/${d.key}?hash=${d.hash}` };
  return { paths };
}

/** The schema of a served kind, for validation: the CRD's own, or the core schema with `$ref`s resolvable in `all`. */
export function schemaFor(info: ResourceInfo): { root: Schema; all: Record<string, Schema> } | undefined {
  const key = info.group ? `apis/${info.group}/v1` : 'api/v1';
  const d = openApiDocs().get(key);
  if (!d) return undefined;
  const all = d.doc.components?.schemas ?? {};
  const root = all[schemaName(info)];
  return root ? { root, all } : undefined;
}

export { CORE };
