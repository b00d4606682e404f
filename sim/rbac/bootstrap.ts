// The default RBAC policy the simulated cluster starts with, as a fresh OpenShift 4 cluster has it: Kubernetes'
// bootstrap roles (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go: cluster-admin, system:discovery,
// system:basic-user, system:public-info-viewer, and admin/edit/view built by aggregation), OpenShift's
// cluster-reader (aggregated by the `aggregate-to-cluster-reader` label) with its `cluster-admins` and
// `cluster-readers` group bindings, and the MCO's own cluster-reader part (install/
// 0000_80_machine-config_00_clusterreader_clusterrole.yaml, release-4.16). Created when missing on every start, as
// the kube-apiserver's rbac/bootstrap-roles post-start hook does; objects an administrator changed are left alone.
import type { KubeObject, Store } from '../types';
import type { PolicyRule, Subject } from './rules';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
export const AGGREGATE_TO_CLUSTER_READER = 'rbac.authorization.k8s.io/aggregate-to-cluster-reader';
/** Users in these groups are cluster admins / cluster readers through the default bindings. */
export const CLUSTER_ADMINS_GROUP = 'system:cluster-admins';
export const CLUSTER_READERS_GROUP = 'system:cluster-readers';

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];

const rule = (verbs: string[], apiGroups: string[], resources: string[]): PolicyRule => ({
  verbs,
  apiGroups,
  resources,
});
const urls = (verbs: string[], nonResourceURLs: string[]): PolicyRule => ({ verbs, nonResourceURLs });

const BOOTSTRAP_LABELS = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const AUTOUPDATE = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };

function clusterRole(
  name: string,
  rules: PolicyRule[],
  extra: { labels?: Record<string, string>; aggregateLabel?: string } = {},
): KubeObject {
  const o: KubeObject = {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRole',
    metadata: { name, labels: { ...BOOTSTRAP_LABELS, ...extra.labels }, annotations: { ...AUTOUPDATE } },
    rules,
  };
  if (extra.aggregateLabel)
    o.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { [extra.aggregateLabel]: 'true' } }] };
  return o;
}

function binding(name: string, role: string, subjects: Subject[]): KubeObject {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: { name, labels: { ...BOOTSTRAP_LABELS }, annotations: { ...AUTOUPDATE } },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: role },
    subjects,
  };
}

const group = (name: string): Subject => ({ apiGroup: RBAC_GROUP, kind: 'Group', name });
const user = (name: string): Subject => ({ apiGroup: RBAC_GROUP, kind: 'User', name });
const agg = (to: string) => ({ [`rbac.authorization.k8s.io/aggregate-to-${to}`]: 'true' });

/** The core kinds every namespace reader sees (Kubernetes' system:aggregate-to-view, less the kinds not served here). */
const VIEW_CORE = [
  'configmaps',
  'endpoints',
  'persistentvolumeclaims',
  'persistentvolumeclaims/status',
  'pods',
  'pods/log',
  'pods/status',
  'replicationcontrollers',
  'replicationcontrollers/scale',
  'replicationcontrollers/status',
  'serviceaccounts',
  'services',
  'services/status',
  'bindings',
  'events',
  'limitranges',
  'namespaces/status',
  'resourcequotas',
  'resourcequotas/status',
];

export function bootstrapPolicy(): KubeObject[] {
  return [
    clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])]),
    clusterRole('system:discovery', [
      urls(
        ['get'],
        [
          '/api',
          '/api/*',
          '/apis',
          '/apis/*',
          '/healthz',
          '/livez',
          '/openapi',
          '/openapi/*',
          '/readyz',
          '/version',
          '/version/',
        ],
      ),
    ]),
    clusterRole('system:public-info-viewer', [
      urls(['get'], ['/healthz', '/livez', '/readyz', '/version', '/version/']),
    ]),
    clusterRole('system:basic-user', [
      rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
      rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
    ]),

    // admin ⊃ edit ⊃ view, each the union of the roles labelled for it (the aggregation controller fills the rules).
    clusterRole('admin', [], { aggregateLabel: 'rbac.authorization.k8s.io/aggregate-to-admin' }),
    clusterRole('edit', [], { labels: agg('admin'), aggregateLabel: 'rbac.authorization.k8s.io/aggregate-to-edit' }),
    clusterRole('view', [], { labels: agg('edit'), aggregateLabel: 'rbac.authorization.k8s.io/aggregate-to-view' }),
    clusterRole(
      'system:aggregate-to-view',
      [
        rule(READ, [''], VIEW_CORE),
        rule(READ, [''], ['namespaces']),
        rule(
          READ,
          ['apps'],
          [
            'controllerrevisions',
            'daemonsets',
            'daemonsets/status',
            'deployments',
            'deployments/scale',
            'deployments/status',
            'replicasets',
            'replicasets/scale',
            'replicasets/status',
            'statefulsets',
            'statefulsets/scale',
            'statefulsets/status',
          ],
        ),
        rule(READ, ['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']),
        rule(READ, ['events.k8s.io'], ['events']),
      ],
      { labels: agg('view') },
    ),
    clusterRole(
      'system:aggregate-to-edit',
      [
        rule(WRITE, [''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy']),
        rule(['create'], [''], ['pods/eviction']),
        rule(
          WRITE,
          [''],
          [
            'configmaps',
            'events',
            'persistentvolumeclaims',
            'replicationcontrollers',
            'replicationcontrollers/scale',
            'secrets',
            'serviceaccounts',
            'services',
            'services/proxy',
          ],
        ),
        rule(['create'], [''], ['serviceaccounts/token']),
        rule(
          WRITE,
          ['apps'],
          [
            'daemonsets',
            'deployments',
            'deployments/rollback',
            'deployments/scale',
            'replicasets',
            'replicasets/scale',
            'statefulsets',
            'statefulsets/scale',
          ],
        ),
        rule(WRITE, ['batch'], ['cronjobs', 'jobs']),
        // Edit may read what view may not: secrets, and the exec/attach/proxy subresources.
        rule(READ, [''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy']),
        rule(['impersonate'], [''], ['serviceaccounts']),
      ],
      { labels: agg('edit') },
    ),
    clusterRole(
      'system:aggregate-to-admin',
      [
        rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
        rule([...WRITE, ...READ], [RBAC_GROUP], ['rolebindings', 'roles']),
      ],
      { labels: agg('admin') },
    ),

    // OpenShift: cluster-reader reads everything but secrets and the exec-like subresources.
    clusterRole('cluster-reader', [], { aggregateLabel: AGGREGATE_TO_CLUSTER_READER }),
    clusterRole(
      'system:openshift:aggregate-to-cluster-reader',
      [
        rule(
          READ,
          [''],
          [
            ...VIEW_CORE,
            'componentstatuses',
            'namespaces',
            'nodes',
            'nodes/status',
            'persistentvolumes',
            'persistentvolumes/status',
          ],
        ),
        rule(
          READ,
          ['apps'],
          [
            'controllerrevisions',
            'daemonsets',
            'daemonsets/status',
            'deployments',
            'deployments/status',
            'replicasets',
            'replicasets/status',
            'statefulsets',
            'statefulsets/status',
          ],
        ),
        rule(READ, ['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']),
        rule(READ, ['events.k8s.io'], ['events']),
        rule(READ, [RBAC_GROUP], ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles']),
        rule(READ, ['apiextensions.k8s.io'], ['customresourcedefinitions', 'customresourcedefinitions/status']),
        // The MCO's role below lists pools and nodes but not the MachineConfigs themselves; `oc get mc` works for a
        // cluster reader, so the simulator grants them here, with the operator's MachineConfiguration.
        rule(READ, ['machineconfiguration.openshift.io'], ['machineconfigs']),
        rule(READ, ['operator.openshift.io'], ['machineconfigurations', 'machineconfigurations/status']),
      ],
      { labels: { [AGGREGATE_TO_CLUSTER_READER]: 'true' } },
    ),
    {
      apiVersion: `${RBAC_GROUP}/v1`,
      kind: 'ClusterRole',
      metadata: {
        name: 'system:openshift:machine-config-operator:cluster-reader',
        labels: { [AGGREGATE_TO_CLUSTER_READER]: 'true' },
        annotations: { 'include.release.openshift.io/self-managed-high-availability': 'true' },
      },
      rules: [
        rule(READ, ['authentication.k8s.io'], ['tokenreviews', 'subjectaccessreviews']),
        rule(READ, ['authorization.k8s.io'], ['subjectaccessreviews']),
        rule(
          READ,
          ['machineconfiguration.openshift.io'],
          [
            'containerruntimeconfigs',
            'controllerconfigs',
            'kubeletconfigs',
            'machineconfigpools',
            'machineconfignodes',
            'machineconfignodes/status',
            'machineosconfigs',
            'machineosconfigs/status',
            'machineosbuilds',
            'machineosbuilds/status',
          ],
        ),
        rule(READ, ['config.openshift.io'], ['images', 'clusterversions', 'featuregates', 'nodes', 'nodes/status']),
      ],
    },

    binding('cluster-admin', 'cluster-admin', [group('system:masters')]),
    binding('cluster-admins', 'cluster-admin', [group(CLUSTER_ADMINS_GROUP), user('system:admin')]),
    binding('cluster-readers', 'cluster-reader', [group(CLUSTER_READERS_GROUP)]),
    binding('system:discovery', 'system:discovery', [group('system:authenticated')]),
    binding('system:basic-user', 'system:basic-user', [group('system:authenticated')]),
    binding('system:public-info-viewer', 'system:public-info-viewer', [
      group('system:authenticated'),
      group('system:unauthenticated'),
    ]),
  ];
}

/** Create every default role and binding that is missing (an edited or deleted-and-recreated one is kept as it is). */
export function ensureBootstrapPolicy(store: Store): void {
  for (const o of bootstrapPolicy()) {
    const resource = o.kind === 'ClusterRole' ? 'clusterroles' : 'clusterrolebindings';
    if (!store.get(resource, o.metadata.name)) store.create(resource, o);
  }
}
