// RBAC as pure rules and over a store: rule matching (verbs, groups, subresources, names, URLs), subjects,
// aggregation of the default policy, the decisions and reasons for the default users, and validation messages.
import { describe, expect, it } from 'vitest';
import { createStore } from '../store';
import type { KubeObject } from '../types';
import { aggregatedRules } from './aggregation';
import { decide, rulesFor } from './authorizer';
import { bootstrapPolicy } from './bootstrap';
import { startRbac } from './index';
import { labelSelectorMatches, ruleAllows, subjectAppliesTo, type PolicyRule, type RequestAttributes } from './rules';
import { validateRbacObject } from './validation';

const res = (verb: string, resource: string, extra: Partial<RequestAttributes> = {}): RequestAttributes => ({
  verb,
  resource,
  group: '',
  ...extra,
});

describe('rule matching', () => {
  const podsRead: PolicyRule = { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods'] };

  it('matches verbs, groups and resources exactly, and * for any', () => {
    expect(ruleAllows(res('get', 'pods'), podsRead)).toBe(true);
    expect(ruleAllows(res('create', 'pods'), podsRead)).toBe(false);
    expect(ruleAllows(res('get', 'pods', { group: 'apps' }), podsRead)).toBe(false);
    expect(ruleAllows(res('get', 'nodes'), podsRead)).toBe(false);
    const all: PolicyRule = { verbs: ['*'], apiGroups: ['*'], resources: ['*'] };
    expect(
      ruleAllows(res('deletecollection', 'machineconfigs', { group: 'machineconfiguration.openshift.io' }), all),
    ).toBe(true);
    expect(ruleAllows(res('create', 'pods', { subresource: 'exec' }), all)).toBe(true);
  });

  it('treats a subresource as its own resource: pods does not grant pods/exec', () => {
    expect(ruleAllows(res('get', 'pods', { subresource: 'exec' }), podsRead)).toBe(false);
    const exec: PolicyRule = { verbs: ['create'], apiGroups: [''], resources: ['pods/exec'] };
    expect(ruleAllows(res('create', 'pods', { subresource: 'exec', namespace: 'x', name: 'p' }), exec)).toBe(true);
    expect(ruleAllows(res('create', 'pods'), exec)).toBe(false);
    expect(ruleAllows(res('create', 'pods', { subresource: 'attach' }), exec)).toBe(false);
  });

  it('matches */status against the status of any resource and nothing else', () => {
    const status: PolicyRule = { verbs: ['update'], apiGroups: ['*'], resources: ['*/status'] };
    expect(ruleAllows(res('update', 'nodes', { subresource: 'status' }), status)).toBe(true);
    expect(
      ruleAllows(
        res('update', 'machineconfigpools', { group: 'machineconfiguration.openshift.io', subresource: 'status' }),
        status,
      ),
    ).toBe(true);
    expect(ruleAllows(res('update', 'nodes'), status)).toBe(false);
    expect(ruleAllows(res('update', 'pods', { subresource: 'exec' }), status)).toBe(false);
    // `*/status` is exactly that suffix: not `*/xstatus`.
    expect(ruleAllows(res('update', 'pods', { subresource: 'xstatus' }), status)).toBe(false);
  });

  it('restricts by resourceNames, so a nameless list never matches a named rule', () => {
    const one: PolicyRule = {
      verbs: ['get', 'list'],
      apiGroups: [''],
      resources: ['secrets'],
      resourceNames: ['pull-secret'],
    };
    expect(ruleAllows(res('get', 'secrets', { name: 'pull-secret', namespace: 'openshift-config' }), one)).toBe(true);
    expect(ruleAllows(res('get', 'secrets', { name: 'other' }), one)).toBe(false);
    expect(ruleAllows(res('list', 'secrets'), one)).toBe(false);
  });

  it('matches non-resource URLs exactly, by a trailing * prefix, or *', () => {
    const d: PolicyRule = { verbs: ['get'], nonResourceURLs: ['/apis', '/apis/*', '/version'] };
    expect(ruleAllows({ verb: 'get', path: '/apis' }, d)).toBe(true);
    expect(ruleAllows({ verb: 'get', path: '/apis/rbac.authorization.k8s.io/v1' }, d)).toBe(true);
    expect(ruleAllows({ verb: 'get', path: '/versions' }, d)).toBe(false);
    expect(ruleAllows({ verb: 'post', path: '/apis' }, d)).toBe(false);
    expect(ruleAllows({ verb: 'get', path: '/metrics' }, { verbs: ['get'], nonResourceURLs: ['*'] })).toBe(true);
    // A resource rule never grants a path, and a URL rule never grants a resource.
    expect(ruleAllows({ verb: 'get', path: '/api' }, { verbs: ['*'], apiGroups: ['*'], resources: ['*'] })).toBe(false);
    expect(ruleAllows(res('get', 'pods'), { verbs: ['*'], nonResourceURLs: ['*'] })).toBe(false);
  });

  it('grants nothing for an unknown verb or a malformed rule', () => {
    expect(ruleAllows(res('get', 'pods'), { verbs: ['gett'], apiGroups: [''], resources: ['pods'] })).toBe(false);
    expect(ruleAllows(res('get', 'pods'), { verbs: 'get' as any, apiGroups: [''], resources: ['pods'] })).toBe(false);
    expect(ruleAllows(res('get', 'pods'), {} as PolicyRule)).toBe(false);
  });

  it('applies subjects by user name, group, or service account in the binding namespace', () => {
    const u = { name: 'alice', groups: ['devs', 'system:authenticated'] };
    expect(subjectAppliesTo(u, { kind: 'User', name: 'alice' }, '')).toBe(true);
    expect(subjectAppliesTo(u, { kind: 'User', name: 'bob' }, '')).toBe(false);
    expect(subjectAppliesTo(u, { kind: 'Group', name: 'devs' }, '')).toBe(true);
    const sa = { name: 'system:serviceaccount:ns1:builder', groups: [] };
    expect(subjectAppliesTo(sa, { kind: 'ServiceAccount', name: 'builder' }, 'ns1')).toBe(true);
    expect(subjectAppliesTo(sa, { kind: 'ServiceAccount', name: 'builder' }, 'ns2')).toBe(false);
    expect(subjectAppliesTo(sa, { kind: 'ServiceAccount', name: 'builder', namespace: 'ns1' }, '')).toBe(true);
  });

  it('selects labels as metav1 label selectors do', () => {
    const l = { a: '1', b: '2' };
    expect(labelSelectorMatches({ matchLabels: { a: '1' } }, l)).toBe(true);
    expect(labelSelectorMatches({ matchLabels: { a: '2' } }, l)).toBe(false);
    expect(labelSelectorMatches({}, l)).toBe(true);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'b', operator: 'In', values: ['2', '3'] }] }, l)).toBe(
      true,
    );
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'c', operator: 'Exists' }] }, l)).toBe(false);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'c', operator: 'DoesNotExist' }] }, l)).toBe(true);
    expect(labelSelectorMatches({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }, l)).toBe(false);
  });
});

describe('aggregation', () => {
  it('collects the rules of the labelled roles in name order, without duplicates or itself', () => {
    const role = (name: string, labels: Record<string, string>, rules: PolicyRule[], agg?: string): KubeObject => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name, labels },
      rules,
      ...(agg ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [agg]: 'true' } }] } } : {}),
    });
    const r1: PolicyRule = { verbs: ['get'], apiGroups: [''], resources: ['nodes'] };
    const r2: PolicyRule = { verbs: ['list'], apiGroups: [''], resources: ['pods'] };
    const all = [
      role('top', { x: 'true' }, [], 'x'),
      role('b', { x: 'true' }, [r2, r1]),
      role('a', { x: 'true' }, [r1]),
      role('c', { y: 'true' }, [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]),
    ];
    expect(aggregatedRules(all[0], all)).toEqual([r1, r2]);
    expect(aggregatedRules(all[1], all)).toBeUndefined();
  });

  it('builds cluster-reader from the MCO part and widens it when a labelled role appears', async () => {
    const store = createStore();
    const rbac = startRbac(store);
    try {
      const reader = store.get('clusterroles', 'cluster-reader')!;
      const rules = reader.rules as PolicyRule[];
      expect(
        rules.some(
          (r) =>
            r.apiGroups?.includes('machineconfiguration.openshift.io') && r.resources?.includes('machineconfigpools'),
        ),
      ).toBe(true);
      expect(rules.some((r) => r.resources?.includes('secrets'))).toBe(false);
      store.create('clusterroles', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'extra-reader', labels: { 'rbac.authorization.k8s.io/aggregate-to-cluster-reader': 'true' } },
        rules: [{ verbs: ['get'], apiGroups: ['example.com'], resources: ['widgets'] }],
      });
      await Promise.resolve();
      await new Promise((r) => setTimeout(r, 0));
      const viewer = { name: 'viewer', groups: ['system:cluster-readers', 'system:authenticated'] };
      expect(decide(store, viewer, res('get', 'widgets', { group: 'example.com', name: 'w' })).allowed).toBe(true);
      // view ⊂ edit ⊂ admin through two levels of aggregation.
      const admin = store.get('clusterroles', 'admin')!.rules as PolicyRule[];
      expect(admin.some((r) => r.resources?.includes('pods/exec'))).toBe(true);
      expect(admin.some((r) => r.resources?.includes('configmaps') && r.verbs?.includes('watch'))).toBe(true);
    } finally {
      rbac.stop();
    }
  });
});

describe('decisions over the default policy', () => {
  const store = createStore();
  startRbac(store);
  const admin = { name: 'admin', groups: ['system:cluster-admins', 'system:authenticated'] };
  const viewer = { name: 'viewer', groups: ['system:cluster-readers', 'system:authenticated'] };
  const nobody = { name: 'nobody', groups: ['system:authenticated'] };
  const MCO = 'machineconfiguration.openshift.io';

  it('lets the cluster reader read nodes, pods, events and the MCO kinds, and nothing more', () => {
    for (const a of [
      res('list', 'nodes'),
      res('watch', 'events'),
      res('get', 'pods', { namespace: 'openshift-machine-config-operator', name: 'p' }),
      res('list', 'machineconfigs', { group: MCO }),
      res('watch', 'machineconfigpools', { group: MCO }),
      res('list', 'machineconfignodes', { group: MCO }),
    ])
      expect(decide(store, viewer, a), JSON.stringify(a)).toMatchObject({ allowed: true });
    for (const a of [
      res('get', 'secrets', { namespace: 'openshift-config', name: 'pull-secret' }),
      res('create', 'pods', { subresource: 'exec', namespace: 'openshift-machine-config-operator' }),
      res('get', 'pods', { subresource: 'exec', namespace: 'openshift-machine-config-operator' }),
      res('patch', 'machineconfigpools', { group: MCO, name: 'worker' }),
    ])
      expect(decide(store, viewer, a), JSON.stringify(a)).toEqual({ allowed: false, reason: '' });
  });

  it('names the granting binding in the reason, as the RBAC authorizer does', () => {
    expect(decide(store, admin, res('create', 'pods', { subresource: 'exec', namespace: 'x' })).reason).toBe(
      'RBAC: allowed by ClusterRoleBinding "cluster-admins" of ClusterRole "cluster-admin" to Group "system:cluster-admins"',
    );
    expect(decide(store, viewer, res('list', 'nodes')).reason).toBe(
      'RBAC: allowed by ClusterRoleBinding "cluster-readers" of ClusterRole "cluster-reader" to Group "system:cluster-readers"',
    );
  });

  it('gives every authenticated user discovery and the self reviews, and nothing else', () => {
    expect(decide(store, nobody, { verb: 'get', path: '/apis/machineconfiguration.openshift.io/v1' }).allowed).toBe(
      true,
    );
    expect(decide(store, nobody, { verb: 'get', path: '/openapi/v3' }).allowed).toBe(true);
    expect(decide(store, nobody, { verb: 'get', path: '/metrics' }).allowed).toBe(false);
    expect(
      decide(store, nobody, res('create', 'selfsubjectaccessreviews', { group: 'authorization.k8s.io' })).allowed,
    ).toBe(true);
    expect(decide(store, nobody, res('create', 'selfsubjectreviews', { group: 'authentication.k8s.io' })).allowed).toBe(
      true,
    );
    expect(decide(store, nobody, res('create', 'tokenreviews', { group: 'authentication.k8s.io' })).allowed).toBe(
      false,
    );
    expect(decide(store, nobody, res('list', 'nodes')).allowed).toBe(false);
  });

  it('honours a RoleBinding only in its namespace, to a Role or a ClusterRole, and reports a missing role', () => {
    const rb = (name: string, ns: string, kind: string, role: string): KubeObject => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name, namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name: role },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'nobody' }],
    });
    store.create('rolebindings', rb('edit-here', 'team', 'ClusterRole', 'edit'));
    expect(
      decide(store, nobody, res('create', 'pods', { subresource: 'exec', namespace: 'team', name: 'p' })).reason,
    ).toBe('RBAC: allowed by RoleBinding "edit-here/team" of ClusterRole "edit" to User "nobody"');
    expect(decide(store, nobody, res('create', 'pods', { subresource: 'exec', namespace: 'other' })).allowed).toBe(
      false,
    );
    expect(decide(store, nobody, res('list', 'nodes')).allowed).toBe(false);
    store.create('rolebindings', rb('dangling', 'team', 'Role', 'gone'));
    expect(decide(store, nobody, res('delete', 'nodes', { namespace: 'team' }))).toEqual({
      allowed: false,
      reason: 'RBAC: role.rbac.authorization.k8s.io "gone" not found',
    });
    const { rules, errors } = rulesFor(store, nobody, 'team');
    expect(rules.some((r) => r.resources?.includes('secrets'))).toBe(true);
    expect(errors).toEqual(['role.rbac.authorization.k8s.io "gone" not found']);
  });
});

describe('validation', () => {
  const cr = (rules: unknown[]): KubeObject => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'x' },
    rules,
  });

  it('gives the kube messages for rules', () => {
    expect(validateRbacObject(cr([{ apiGroups: [''], resources: ['pods'] }]))).toEqual([
      {
        field: 'rules[0].verbs',
        reason: 'FieldValueRequired',
        message: 'Required value: verbs must contain at least one value',
      },
    ]);
    expect(validateRbacObject(cr([{ verbs: ['get'] }])).map((c) => `${c.field}: ${c.message}`)).toEqual([
      'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
      'rules[0].resources: Required value: resource rules must supply at least one resource',
    ]);
    expect(validateRbacObject({ ...cr([{ verbs: ['get'], nonResourceURLs: ['/x'] }]), kind: 'Role' })[0].message).toBe(
      'Invalid value: []string{"/x"}: namespaced rules cannot apply to non-resource URLs',
    );
    // Verb names are not validated upstream: an unknown verb is accepted.
    expect(validateRbacObject(cr([{ verbs: ['fly'], apiGroups: [''], resources: ['pods'] }]))).toEqual([]);
  });

  it('checks role references and subjects, and keeps roleRef immutable', () => {
    const b: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'b' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
      subjects: [
        { kind: 'Robot', name: 'r2' },
        { kind: 'ServiceAccount', name: 'sa' },
      ],
    };
    expect(validateRbacObject(b).map((c) => `${c.field}: ${c.message}`)).toEqual([
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
      'subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
      'subjects[1].namespace: Required value',
    ]);
    const ok = {
      ...b,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [],
    };
    expect(validateRbacObject(ok)).toEqual([]);
    const changed = { ...ok, roleRef: { ...ok.roleRef, name: 'edit' } };
    expect(validateRbacObject(changed, ok).map((c) => c.field)).toEqual(['roleRef']);
  });

  it('ships a default policy that passes its own validation', () => {
    for (const o of bootstrapPolicy()) expect(validateRbacObject(o), o.metadata.name).toEqual([]);
  });
});
