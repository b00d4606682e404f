// The resources this API server serves: their group, kind, scope, discovery names and write rules.
import type { KubeObject, Resource } from '../types';
import { crdFor } from './crds';
import { RBAC_RESOURCES } from './rbac-resources';

export const MCO_GROUP = 'machineconfiguration.openshift.io';
export const AUTHZ_GROUP = 'authorization.k8s.io';
export const OPERATOR_GROUP = 'operator.openshift.io';

export interface ResourceInfo {
  /** Plural name as in URLs, e.g. `machineconfigpools`. */
  name: Resource;
  singularName: string;
  /** '' for core/v1. */
  group: string;
  version: 'v1';
  kind: string;
  listKind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  /** A CR (served by the apiextensions server): no strategic merge, PUT needs a resourceVersion. */
  custom: boolean;
  /** Has a /status subresource: the main endpoint ignores status, /status changes only status. */
  statusSubresource: boolean;
  /** Admission-time validation (throws the Status); `old` is the stored object on update. */
  validate?: (obj: KubeObject, old?: KubeObject) => void;
}

const CRD_VERBS = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];
const CORE_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const RESOURCE_INFO: ResourceInfo[] = [
  {
    name: 'namespaces',
    singularName: 'namespace',
    group: '',
    version: 'v1',
    kind: 'Namespace',
    listKind: 'NamespaceList',
    namespaced: false,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    shortNames: ['ns'],
    custom: false,
    statusSubresource: true,
  },
  {
    name: 'nodes',
    singularName: 'node',
    group: '',
    version: 'v1',
    kind: 'Node',
    listKind: 'NodeList',
    namespaced: false,
    verbs: CORE_VERBS,
    shortNames: ['no'],
    custom: false,
    statusSubresource: true,
  },
  {
    name: 'pods',
    singularName: 'pod',
    group: '',
    version: 'v1',
    kind: 'Pod',
    listKind: 'PodList',
    namespaced: true,
    verbs: CORE_VERBS,
    shortNames: ['po'],
    categories: ['all'],
    custom: false,
    statusSubresource: true,
  },
  {
    name: 'events',
    singularName: 'event',
    group: '',
    version: 'v1',
    kind: 'Event',
    listKind: 'EventList',
    namespaced: true,
    verbs: CORE_VERBS,
    shortNames: ['ev'],
    custom: false,
    statusSubresource: false,
  },
  {
    name: 'machineconfigs',
    singularName: 'machineconfig',
    group: MCO_GROUP,
    version: 'v1',
    kind: 'MachineConfig',
    listKind: 'MachineConfigList',
    namespaced: false,
    verbs: CRD_VERBS,
    shortNames: ['mc'],
    custom: true,
    statusSubresource: false,
  },
  {
    name: 'machineconfigpools',
    singularName: 'machineconfigpool',
    group: MCO_GROUP,
    version: 'v1',
    kind: 'MachineConfigPool',
    listKind: 'MachineConfigPoolList',
    namespaced: false,
    verbs: CRD_VERBS,
    shortNames: ['mcp'],
    custom: true,
    statusSubresource: true,
  },
  {
    name: 'machineconfignodes',
    singularName: 'machineconfignode',
    group: MCO_GROUP,
    version: 'v1',
    // The upstream CRD has no short name; the brief asks for `mcn`, which costs nothing and saves typing.
    kind: 'MachineConfigNode',
    listKind: 'MachineConfigNodeList',
    namespaced: false,
    verbs: CRD_VERBS,
    shortNames: ['mcn'],
    custom: true,
    statusSubresource: true,
  },
  // Served from their vendored CRDs only (no simulated behaviour beyond storage).
  ...(['machineconfigurations', 'machineosconfigs', 'machineosbuilds', 'pinnedimagesets'] as const).map((name) =>
    fromCrd(name, name === 'machineconfigurations' ? OPERATOR_GROUP : MCO_GROUP),
  ),
  ...RBAC_RESOURCES,
];

function fromCrd(name: Resource, group: string): ResourceInfo {
  const crd = crdFor(group, name);
  if (!crd) throw new Error(`no vendored CRD for ${name}.${group}`);
  return {
    name,
    singularName: crd.singular,
    group,
    version: 'v1',
    kind: crd.kind,
    listKind: crd.listKind,
    namespaced: crd.namespaced,
    verbs: CRD_VERBS,
    shortNames: crd.shortNames,
    custom: true,
    statusSubresource: crd.statusSubresource,
  };
}

const BY_KEY = new Map(RESOURCE_INFO.map((r) => [`${r.group}/${r.name}`, r]));

export function lookupResource(group: string, name: string): ResourceInfo | undefined {
  return BY_KEY.get(`${group}/${name}`);
}

export function infoFor(resource: Resource): ResourceInfo {
  return RESOURCE_INFO.find((r) => r.name === resource)!;
}

export function apiVersionOf(info: ResourceInfo): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}
