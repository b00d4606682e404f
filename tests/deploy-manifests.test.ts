// deploy/: every manifest validated against the Kubernetes OpenAPI schemas (kubernetes-models, and the
// prometheus-operator CRD schemas for the ServiceMonitor), and the properties an OpenShift admin relies on checked
// by name: what kustomization.yaml applies, the security context, probes, limits, the read/act RBAC split, the
// oauth-proxy forwarding the user's token into the console's --user-header.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const DEPLOY = fileURLToPath(new URL('../deploy/', import.meta.url));

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  [k: string]: any;
};

function load(file: string): Obj[] {
  return parseAllDocuments(readFileSync(join(DEPLOY, file), 'utf8'))
    .map((d) => {
      if (d.errors.length) throw new Error(`${file}: ${d.errors[0].message}`);
      return d.toJS() as Obj;
    })
    .filter(Boolean);
}

const files = readdirSync(DEPLOY).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
const all = files.flatMap((f) => load(f).map((o) => ({ file: f, o })));
const kustomization = load('kustomization.yaml')[0] as any;
const applied = all.filter(({ file }) => kustomization.resources.includes(file)).map(({ o }) => o);
const find = (kind: string, name?: string) =>
  applied.find((o) => o.kind === kind && (!name || o.metadata.name === name));

/** The model class for apiVersion/kind, from the schema packages; null for kinds they do not carry. */
async function modelFor(apiVersion: string, kind: string): Promise<{ new (o: unknown): { validate(): void } } | null> {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const specifier =
    group === 'monitoring.coreos.com'
      ? `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`
      : `kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`;
  try {
    return (await import(/* @vite-ignore */ specifier))[kind];
  } catch {
    return null;
  }
}

describe('deploy/ manifests', () => {
  it('kustomization.yaml lists files that exist, and every manifest in deploy/ is either applied or documented as optional', () => {
    for (const r of kustomization.resources) expect(existsSync(join(DEPLOY, r)), r).toBe(true);
    const optional = readFileSync(join(DEPLOY, 'kustomization.yaml'), 'utf8');
    for (const f of files) expect(kustomization.resources.includes(f) || optional.includes(`# - ${f}`), f).toBe(true);
    expect(kustomization.images).toEqual([expect.objectContaining({ name: 'plumb' })]);
  });

  it.each(all.map(({ file, o }) => [`${file}: ${o.kind} ${o.metadata.name}`, o] as const))(
    '%s is valid against its schema',
    async (_, o) => {
      const Model = await modelFor(o.apiVersion, o.kind);
      if (o.kind === 'Route') {
        // OpenShift's Route is not in the Kubernetes schemas: check the fields the router reads.
        expect(o.apiVersion).toBe('route.openshift.io/v1');
        expect(o.spec).toMatchObject({
          to: { kind: 'Service', name: expect.any(String) },
          port: { targetPort: expect.any(String) },
        });
        expect(['edge', 'passthrough', 'reencrypt']).toContain(o.spec.tls.termination);
        expect(['Allow', 'Redirect', 'None']).toContain(o.spec.tls.insecureEdgeTerminationPolicy);
        return;
      }
      expect(Model, `no schema for ${o.apiVersion} ${o.kind}`).toBeTruthy();
      expect(() => new Model!(o).validate()).not.toThrow();
    },
  );

  it('the schema check does catch a broken manifest', async () => {
    const d = structuredClone(find('Deployment')!);
    d.spec.template.spec.containers[0].ports[0].containerPort = 'ninety';
    const Model = (await modelFor('apps/v1', 'Deployment'))!;
    expect(() => new Model(d).validate()).toThrow(/containerPort must be integer/);
  });

  it('the Deployment runs locked down, with probes and limits, the console behind the oauth-proxy', () => {
    const d = find('Deployment')!;
    const pod = d.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.serviceAccountName).toBe(find('ServiceAccount', 'plumb')!.metadata.name);
    for (const c of pod.containers) {
      expect(c.securityContext, c.name).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      expect(c.resources.requests, c.name).toMatchObject({ cpu: expect.anything(), memory: expect.anything() });
      expect(c.resources.limits, c.name).toMatchObject({ memory: expect.anything() });
    }
    const con = pod.containers.find((c: any) => c.name === 'console');
    expect(con.livenessProbe.httpGet.path).toBe('/healthz');
    expect(con.readinessProbe.httpGet.path).toBe('/readyz');
    // Writes go to /tmp only.
    expect(con.volumeMounts.find((m: any) => !m.readOnly)).toMatchObject({ mountPath: '/tmp' });
    const proxy = pod.containers.find((c: any) => c.name === 'oauth-proxy');
    const upstream = proxy.args.find((a: string) => a.startsWith('--upstream='));
    const [, host, port] = /^--upstream=http:\/\/([^:]+):(\d+)$/.exec(upstream)!;
    expect(con.args).toEqual(
      expect.arrayContaining(['start', `--host=${host}`, `--port=${port}`, '--user-header=X-Forwarded-Access-Token']),
    );
    expect(proxy.args).toEqual(
      expect.arrayContaining(['--pass-access-token', '--provider=openshift', '--scope=user:full', '--client-id=plumb']),
    );
    // The secrets the proxy reads are the ones the README has the admin create.
    const readme = readFileSync(join(DEPLOY, '..', 'README.md'), 'utf8');
    for (const a of [...proxy.args, ...con.args]) {
      const key = /^--[a-z-]+-file=\/etc\/(?:proxy|plumb)\/secrets\/(\w+)$/.exec(a)?.[1];
      if (key) expect(readme, key).toContain(`--from-literal=${key}=`);
    }
    // The serving certificate the Service asks for is the one both listeners use.
    const svc = find('Service')!;
    const tls = pod.volumes.find((v: any) => v.name === 'tls');
    expect(tls.secret.secretName).toBe(svc.metadata.annotations!['service.beta.openshift.io/serving-cert-secret-name']);
    // Replicas share one CSRF secret: it comes from a Secret, not from each pod.
    const secrets = pod.volumes.find((v: any) => v.name === 'secrets');
    expect(secrets.secret.secretName).toBe('plumb-secrets');
    expect(con.args.some((a: string) => a.includes('/etc/plumb/secrets/'))).toBe(true);
  });

  it('every console flag in the Deployment is one scripts/console.mjs accepts, and the README names them', () => {
    const launcher = readFileSync(join(DEPLOY, '..', 'scripts', 'console.mjs'), 'utf8');
    const known = new Set([...launcher.matchAll(/case '(--[a-z-]+)':/g)].map((m) => m[1]));
    const con = find('Deployment')!.spec.template.spec.containers.find((c: any) => c.name === 'console');
    const flags = con.args.filter((a: string) => a.startsWith('--')).map((a: string) => a.split('=')[0]);
    expect(flags.length).toBeGreaterThan(5);
    for (const f of flags) expect(known.has(f), `${f} is not a flag of scripts/console.mjs`).toBe(true);
    expect(flags).toEqual(
      expect.arrayContaining([
        '--public-url',
        '--csrf-secret-file',
        '--user-header',
        '--metrics-port',
        '--metrics-cert',
        '--metrics-key',
      ]),
    );
    const readme = readFileSync(join(DEPLOY, '..', 'README.md'), 'utf8');
    for (const f of flags) expect(readme, f).toContain(f);
    // The public URL's host is the Route's.
    const url = con.args.find((a: string) => a.startsWith('--public-url='))!.slice('--public-url='.length);
    expect(new URL(url).host).toBe(find('Route')!.spec.host);
  });

  it("the README's rows for the action roles say what deploy/rbac-actions.yaml grants", () => {
    const readme = readFileSync(join(DEPLOY, '..', 'README.md'), 'utf8');
    const actions = all.filter(({ file }) => file === 'rbac-actions.yaml').map(({ o }) => o);
    const cr = actions.find((o) => o.kind === 'ClusterRole')!;
    const role = actions.find((o) => o.kind === 'Role')!;
    // `plumb-actions` (patch machineconfigpools; create and patch events): each resource with each of its verbs.
    const said = (name: string) => (new RegExp(`\`${name}\` \\(([^)]*)\\)`).exec(readme)?.[1] ?? '').split(';');
    for (const o of [cr, role]) {
      for (const r of o.rules) {
        for (const res of r.resources) {
          const part = said(o.metadata.name).find((p) => p.includes(res));
          expect(part, `${o.metadata.name}: ${res}`).toBeTruthy();
          for (const v of r.verbs) expect(part, `${o.metadata.name}: ${v} ${res}`).toContain(v);
        }
      }
    }
    expect(said(role.metadata.name).join(';')).toContain(role.metadata.namespace);
  });

  it('the Route re-encrypts to the proxy port, and the NetworkPolicy admits only that and the metrics port', () => {
    const r = find('Route')!;
    expect(r.spec.tls.termination).toBe('reencrypt');
    const svc = find('Service')!;
    expect(svc.spec.ports.map((p: any) => p.name)).toContain(r.spec.port.targetPort);
    const np = find('NetworkPolicy')!;
    expect(np.spec.ingress.flatMap((i: any) => i.ports.map((p: any) => p.port)).sort()).toEqual([8443, 9443]);
  });

  it('the console reads with its own role; acting is a separate role, not applied with the oauth-proxy', () => {
    const read = find('ClusterRole', 'plumb-read')!;
    const verbs = new Set(read.rules.flatMap((r: any) => r.verbs));
    expect([...verbs].sort()).toEqual(['create', 'get', 'list', 'watch']);
    // The only `create` is for reviews, which change nothing.
    for (const r of read.rules.filter((r: any) => r.verbs.includes('create'))) {
      expect(r.resources.every((x: string) => /reviews$/.test(x))).toBe(true);
    }
    const kinds = read.rules.flatMap((r: any) => r.resources);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'nodes',
        'events',
        'machineconfigs',
        'machineconfigpools',
        'machineconfignodes',
        'machineconfigurations',
      ]),
    );
    const actions = all.filter(({ file }) => file === 'rbac-actions.yaml').map(({ o }) => o);
    expect(actions.find((o) => o.kind === 'Role')!.rules).toEqual([
      expect.objectContaining({ resources: ['pods/exec'], verbs: expect.arrayContaining(['create']) }),
    ]);
    expect(actions.find((o) => o.kind === 'ClusterRole')!.rules.flatMap((r: any) => r.resources)).toEqual(
      expect.arrayContaining(['machineconfigpools', 'machineconfigs', 'events']),
    );
    expect(kustomization.resources).not.toContain('rbac-actions.yaml');
  });

  it('Prometheus scrapes the metrics port with a token granted get on /metrics', () => {
    const sm = find('ServiceMonitor')!;
    const ep = sm.spec.endpoints[0];
    expect(ep).toMatchObject({ port: 'metrics', path: '/metrics', scheme: 'https' });
    const secret = find('Secret', ep.authorization.credentials.name)!;
    const reader = find('ClusterRoleBinding', 'plumb-metrics-reader')!;
    expect(reader.subjects[0].name).toBe(secret.metadata.annotations!['kubernetes.io/service-account.name']);
    expect(find('ClusterRole', reader.roleRef.name)!.rules).toEqual([
      { nonResourceURLs: ['/metrics'], verbs: ['get'] },
    ]);
  });
});
