// The rbac.authorization.k8s.io/v1 kinds as served resources (Role, ClusterRole, RoleBinding, ClusterRoleBinding),
// with the validation the API server runs before storing them.
import type { KubeObject } from '../types';
import { RBAC_GROUP } from '../rbac/bootstrap';
import { DecodeError, validateRbacObject } from '../rbac/validation';
import type { ResourceInfo } from './resources';
import { badRequest, invalid } from './status';

export { RBAC_GROUP };

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** Throws the 422 Invalid (or 400 for a wrong JSON type) a real server answers for a bad RBAC object. */
function validate(this: void, info: ResourceInfo, obj: KubeObject, old?: KubeObject): void {
  let causes;
  try {
    causes = validateRbacObject(obj, old);
  } catch (e) {
    if (e instanceof DecodeError) throw badRequest(e.message);
    throw e;
  }
  if (causes.length) throw invalid(info, obj.metadata.name, causes);
}

const entry = (name: string, kind: string, namespaced: boolean): ResourceInfo => {
  const info: ResourceInfo = {
    name: name as ResourceInfo['name'],
    singularName: kind.toLowerCase(),
    group: RBAC_GROUP,
    version: 'v1',
    kind,
    listKind: `${kind}List`,
    namespaced,
    verbs: VERBS,
    custom: false,
    statusSubresource: false,
    validate: (obj, old) => validate(info, obj, old),
  };
  return info;
};

export const RBAC_RESOURCES: ResourceInfo[] = [
  entry('clusterrolebindings', 'ClusterRoleBinding', false),
  entry('clusterroles', 'ClusterRole', false),
  entry('rolebindings', 'RoleBinding', true),
  entry('roles', 'Role', true),
];
