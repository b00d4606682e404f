// Discovery documents (/version, /api, /apis, /api/v1, /apis/<group>/<version>) as a real server shapes them.
import { RBAC_GROUP } from './rbac-resources';
import { AUTHZ_GROUP, MCO_GROUP, OPERATOR_GROUP, RESOURCE_INFO, type ResourceInfo } from './resources';
import { AUTHN_GROUP, reviewResources } from './reviews';

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

export const DEFAULT_VERSION: VersionInfo = {
  major: '1',
  minor: '29',
  gitVersion: 'v1.29.5+plumb-sim',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.21.9',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

const GROUPS = [MCO_GROUP, OPERATOR_GROUP, AUTHN_GROUP, AUTHZ_GROUP, RBAC_GROUP];

export function apiGroupList() {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: GROUPS.map((name) => ({
      name,
      versions: [{ groupVersion: `${name}/v1`, version: 'v1' }],
      preferredVersion: { groupVersion: `${name}/v1`, version: 'v1' },
    })),
  };
}

export function apiGroup(name: string) {
  if (!GROUPS.includes(name)) return undefined;
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name,
    versions: [{ groupVersion: `${name}/v1`, version: 'v1' }],
    preferredVersion: { groupVersion: `${name}/v1`, version: 'v1' },
  };
}

function entries(info: ResourceInfo): Record<string, unknown>[] {
  const main: Record<string, unknown> = {
    name: info.name,
    singularName: info.singularName,
    namespaced: info.namespaced,
    kind: info.kind,
    verbs: info.verbs,
  };
  if (info.shortNames) main.shortNames = info.shortNames;
  if (info.categories) main.categories = info.categories;
  const out = [main];
  if (info.statusSubresource)
    out.push({
      name: `${info.name}/status`,
      singularName: '',
      namespaced: info.namespaced,
      kind: info.kind,
      verbs: ['get', 'patch', 'update'],
    });
  if (info.name === 'pods')
    out.push({
      name: 'pods/exec',
      singularName: '',
      namespaced: true,
      kind: 'PodExecOptions',
      verbs: ['create', 'get'],
    });
  return out;
}

/** The APIResourceList of a group-version, or undefined when it is not served. */
export function apiResourceList(group: string, version: string) {
  if (version !== 'v1') return undefined;
  const groupVersion = group ? `${group}/${version}` : version;
  let resources: Record<string, unknown>[];
  if (group === AUTHZ_GROUP || group === AUTHN_GROUP) {
    resources = reviewResources(group);
  } else if (group === '' || RESOURCE_INFO.some((r) => r.group === group)) {
    resources = RESOURCE_INFO.filter((r) => r.group === group).flatMap(entries);
  } else return undefined;
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
}
