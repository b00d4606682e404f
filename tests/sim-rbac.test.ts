// RBAC of the simulated cluster through the machine's kubectl (no environment variables: as a newcomer runs it):
// `auth can-i` for admin, viewer and scenario-declared users (subresources, namespaces), `auth whoami`, the exact
// Forbidden message of a refused get, RBAC objects created through the API (bad ones refused with kube's message),
// and the console-facing reviews. Skipped with a message when no kubectl runs here.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { miniScenario } from '@/sim/scenarios/mini';
import { kubectlAs } from './real-clients';
import { FAST_NODES, startSim, type SimProcess } from './sim-process';

const KUBECTL = '/usr/bin/kubectl';
let sim: SimProcess | undefined;
let dir: string;
let skipReason: string | null = null;

/** kubectl as a newcomer runs it (tests/real-clients.ts kubectlAs), as one of the kubeconfig's users. */
const kubectl = (args: string[], context = 'admin') =>
  kubectlAs(KUBECTL, sim!.kubeconfigPath, dir, ['--context', context, ...args]);

/** `kubectl auth can-i ...` as yes/no (its exit code is 0 for yes, 1 for no). */
async function canI(context: string, ...args: string[]): Promise<string> {
  const r = await kubectl(['auth', 'can-i', ...args], context);
  return r.stdout.trim() || r.stderr.trim();
}

const MCO_NS = 'openshift-machine-config-operator';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'plumb-rbac-'));
  if (!existsSync(KUBECTL)) {
    skipReason = `no kubectl at ${KUBECTL}`;
    return;
  }
  // Two users of the scenario: one may list nodes but not MachineConfigs; one may exec but not read secrets.
  const scenario = {
    ...miniScenario(),
    users: [
      { name: 'nodewatcher', groups: ['node-watchers'], token: 'nodewatcher-token-0123456789' },
      { name: 'debugger', token: 'debugger-token-0123456789' },
    ],
    rbac: [
      {
        kind: 'ClusterRole',
        metadata: { name: 'node-reader' },
        rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] }],
      },
      {
        kind: 'ClusterRoleBinding',
        metadata: { name: 'node-watchers' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'node-reader' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'node-watchers' }],
      },
      {
        kind: 'Role',
        metadata: { name: 'exec-daemons', namespace: MCO_NS },
        rules: [
          { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
          { apiGroups: [''], resources: ['pods/exec'], verbs: ['create', 'get'] },
        ],
      },
      {
        kind: 'RoleBinding',
        metadata: { name: 'debugger-exec', namespace: MCO_NS },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'exec-daemons' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'debugger' }],
      },
    ],
  };
  const file = join(dir, 'scenario.json');
  writeFileSync(file, JSON.stringify(scenario));
  sim = await startSim(['--scenario', file, ...FAST_NODES]);
  const probe = await kubectl(['get', '--raw', '/version']);
  if (probe.status !== 0)
    skipReason = `kubectl does not work against the simulator here: ${probe.stderr.trim().split('\n').at(-1)}`;
});

afterAll(async () => {
  await sim?.stop({ removeData: true });
  rmSync(dir, { recursive: true, force: true });
});

describe('kubectl auth', () => {
  it('can-i: the admin may do anything, exec included', async (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    expect(await canI('admin', 'create', 'pods/exec', '-n', MCO_NS)).toBe('yes');
    expect(await canI('admin', 'create', 'pods', '--subresource', 'exec', '-n', MCO_NS)).toBe('yes');
    expect(await canI('admin', 'get', 'secrets', '-n', 'openshift-config')).toBe('yes');
    expect(await canI('admin', 'delete', 'machineconfigs.machineconfiguration.openshift.io')).toBe('yes');
    expect(await canI('admin', '*', '*')).toBe('yes');
  });

  it('can-i: the viewer (cluster-reader) reads nodes and the MCO kinds, never secrets or exec', async (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    expect(await canI('viewer', 'get', 'secrets', '-n', 'openshift-config')).toBe('no');
    expect(await canI('viewer', 'create', 'pods', '--subresource', 'exec', '-n', MCO_NS)).toBe('no');
    expect(await canI('viewer', 'list', 'nodes')).toBe('yes');
    expect(await canI('viewer', 'watch', 'machineconfigpools.machineconfiguration.openshift.io')).toBe('yes');
    expect(await canI('viewer', 'list', 'machineconfigs.machineconfiguration.openshift.io')).toBe('yes');
    expect(await canI('viewer', 'list', 'pods', '-n', MCO_NS)).toBe('yes');
    expect(await canI('viewer', 'patch', 'machineconfigpools.machineconfiguration.openshift.io/worker')).toBe('no');
    expect(await canI('viewer', 'update', 'nodes', '--subresource', 'status')).toBe('no');
    expect(await canI('viewer', 'get', 'nodes', '--subresource', 'status')).toBe('yes');
  });

  it('can-i: scenario users get exactly what their bindings say, per namespace', async (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    expect(await canI('nodewatcher', 'list', 'nodes')).toBe('yes');
    expect(await canI('nodewatcher', 'list', 'machineconfigs.machineconfiguration.openshift.io')).toBe('no');
    // kubectl reads `pods/exec` as the pod named exec; the subresource is --subresource.
    expect(await canI('debugger', 'create', 'pods', '--subresource', 'exec', '-n', MCO_NS)).toBe('yes');
    expect(await canI('debugger', 'create', 'pods', '--subresource', 'exec', '-n', 'default')).toBe('no');
    expect(await canI('debugger', 'get', 'secrets', '-n', MCO_NS)).toBe('no');
    expect(await canI('debugger', 'create', 'pods', '--subresource', 'attach', '-n', MCO_NS)).toBe('no');
    expect(await canI('debugger', 'delete', 'pods', '-n', MCO_NS)).toBe('no');
    // --list is a SelfSubjectRulesReview: the rules of the user's bindings in that namespace.
    const list = await kubectl(['auth', 'can-i', '--list', '-n', MCO_NS], 'debugger');
    expect(list.stdout).toMatch(/^pods\/exec\s+\[\]\s+\[\]\s+\[create get\]$/m);
    expect(list.stdout).toMatch(/^selfsubjectaccessreviews\.authorization\.k8s\.io\s/m);
    expect(list.stdout).not.toMatch(/^secrets/m);
  });

  it('whoami names the user and its groups', async (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const rows = async (context: string) => {
      const r = await kubectl(['auth', 'whoami'], context);
      expect(r.stderr).toBe('');
      return r.stdout
        .trim()
        .split('\n')
        .map((l) => l.trim().split(/\s{2,}/));
    };
    expect(await rows('admin')).toEqual([
      ['ATTRIBUTE', 'VALUE'],
      ['Username', 'admin'],
      ['Groups', '[system:cluster-admins system:authenticated]'],
    ]);
    expect(await rows('viewer')).toEqual([
      ['ATTRIBUTE', 'VALUE'],
      ['Username', 'viewer'],
      ['Groups', '[system:cluster-readers system:authenticated]'],
    ]);
    expect(await rows('nodewatcher')).toEqual([
      ['ATTRIBUTE', 'VALUE'],
      ['Username', 'nodewatcher'],
      ['Groups', '[node-watchers system:authenticated]'],
    ]);
  });
});

describe('kubectl refused', () => {
  it('a forbidden get and list carry the exact RBAC message', async (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const list = await kubectl(['get', 'machineconfigs'], 'nodewatcher');
    expect(list.status).toBe(1);
    expect(list.stderr.trim()).toBe(
      'Error from server (Forbidden): machineconfigs.machineconfiguration.openshift.io is forbidden: User "nodewatcher" cannot list resource "machineconfigs" in API group "machineconfiguration.openshift.io" at the cluster scope',
    );
    const get = await kubectl(['get', 'pod', 'anything', '-n', MCO_NS], 'nodewatcher');
    expect(get.stderr.trim()).toBe(
      'Error from server (Forbidden): pods "anything" is forbidden: User "nodewatcher" cannot get resource "pods" in API group "" in the namespace "openshift-machine-config-operator"',
    );
    expect((await kubectl(['get', 'nodes'], 'nodewatcher')).status).toBe(0);
  });

  it('an unknown token is 401, as on a real server', async (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const r = await kubectl(['get', 'nodes', '--token', 'not-a-token']);
    expect(r.stderr).toContain('Unauthorized');
  });
});

describe('RBAC objects through the API', () => {
  it('are listed with the kube columns, and a new binding takes effect at once', async (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const crb = await kubectl(['get', 'clusterrolebinding', 'cluster-readers']);
    expect(crb.stdout.split('\n')[0].split(/\s+/).filter(Boolean)).toEqual(['NAME', 'ROLE', 'AGE']);
    expect(crb.stdout.split('\n')[1]).toMatch(/^cluster-readers\s+ClusterRole\/cluster-reader\s+\d+s/);
    const roles = await kubectl(['get', 'clusterroles']);
    expect(roles.stdout).toMatch(/system:openshift:machine-config-operator:cluster-reader/);
    expect(await canI('nodewatcher', 'get', 'configmaps', '-n', 'default')).toBe('no');
    const made = await kubectl([
      'create',
      'rolebinding',
      'nw-view',
      '--clusterrole',
      'view',
      '--group',
      'node-watchers',
      '-n',
      'default',
    ]);
    expect(made.stderr).toBe('');
    expect(await canI('nodewatcher', 'get', 'configmaps', '-n', 'default')).toBe('yes');
    expect(await canI('nodewatcher', 'get', 'secrets', '-n', 'default')).toBe('no');
  });

  it('refuses a rule without verbs with the kube validation message; stores unknown verbs, which grant nothing', async (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const kc = sim!.kubeConfig();
    const rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
    const err = await rbac
      .createClusterRole({
        body: { metadata: { name: 'broken' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: [] }] },
      })
      .then(
        () => null,
        (e: any) => e,
      );
    expect(err?.code).toBe(422);
    expect(JSON.parse(err.body).message).toBe(
      'ClusterRole.rbac.authorization.k8s.io "broken" is invalid: rules[0].verbs: Required value: verbs must contain at least one value',
    );
    await rbac.createClusterRole({
      body: {
        metadata: { name: 'odd' },
        rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['fetch', 'GET'] }],
      },
    });
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: 'odd' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'odd' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'nodewatcher' }],
      },
    });
    expect((await rbac.readClusterRole({ name: 'odd' })).rules?.[0].verbs).toEqual(['fetch', 'GET']);
    expect(await canI('nodewatcher', 'get', 'secrets', '-n', 'openshift-config')).toBe('no');
  });

  it('exec follows the binding: the debugger may, the node watcher may not', async (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const pods = await sim!.kubeConfig().makeApiClient(k8s.CoreV1Api).listNamespacedPod({ namespace: MCO_NS });
    const pod = pods.items[0].metadata!.name!;
    const kc = (user: string) => {
      const c = new k8s.KubeConfig();
      c.loadFromFile(sim!.kubeconfigPath);
      c.setCurrentContext(user);
      return c;
    };
    const run = (user: string) =>
      new Promise<string>((resolve, reject) => {
        let out = '';
        const sink = new Writable({ write: (c, _e, cb) => ((out += c), cb()) });
        new k8s.Exec(kc(user))
          .exec(
            MCO_NS,
            pod,
            'machine-config-daemon',
            ['cat', '/rootfs/etc/mco/proxy.env'],
            sink,
            sink,
            null,
            false,
            (st) => (st.status === 'Success' ? resolve(out) : reject(new Error(JSON.stringify(st)))),
          )
          .catch(reject);
      });
    await expect(run('debugger')).resolves.toBeTypeOf('string');
    await expect(run('nodewatcher')).rejects.toThrow(/403|Forbidden/);
  });

  it('applies RBAC manifests with server-side validation, and explains them', async (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const manifest = (extra: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: applied
  namespace: default
rules:
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get]
${extra}`;
    writeFileSync(join(dir, 'role.yaml'), manifest(''));
    const ok = await kubectl(['apply', '-f', join(dir, 'role.yaml')]);
    expect(ok.stdout.trim()).toBe('role.rbac.authorization.k8s.io/applied created');
    writeFileSync(join(dir, 'bad.yaml'), manifest('  colour: blue\n').replace('name: applied', 'name: bad'));
    const bad = await kubectl(['apply', '-f', join(dir, 'bad.yaml')]);
    expect(bad.stderr).toContain('unknown field "rules[0].colour"');
    const explain = await kubectl(['explain', 'clusterrole.aggregationRule']);
    expect(explain.stdout).toContain('clusterRoleSelectors');
  });

  it('answers a TokenReview to whom may create one', async (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const review = (context: 'admin' | 'viewer', token: string) =>
      sim!
        .kubeConfig(context)
        .makeApiClient(k8s.AuthenticationV1Api)
        .createTokenReview({ body: { spec: { token } } });
    const ok = await review('admin', 'nodewatcher-token-0123456789');
    expect(ok.status).toMatchObject({
      authenticated: true,
      user: { username: 'nodewatcher', groups: ['node-watchers', 'system:authenticated'] },
    });
    expect((await review('admin', 'nope-nope-nope')).status?.authenticated).toBeFalsy();
    const denied = await review('viewer', 'x').then(
      () => null,
      (e: any) => e,
    );
    expect(denied?.code).toBe(403);
  });
});
