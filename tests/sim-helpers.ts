// Small helpers for the simulator's integration tests: polling, and the client-node calls they repeat.
import { PassThrough } from 'node:stream';
import { getJson } from '../server/kubehttp';
import * as k8s from '@kubernetes/client-node';

export const MCO = { group: 'machineconfiguration.openshift.io', version: 'v1' } as const;
export const MCO_NS = 'openshift-machine-config-operator';

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`,
      );
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** One file a MachineConfig writes: its path, permission bits (decimal) and contents as an Ignition source URL. */
export interface MachineConfigFile {
  path: string;
  mode: number;
  source: string;
  overwrite?: boolean;
}

/** A MachineConfig for the pool of `role` with the Ignition 3.4.0 `config` sections given (storage, systemd, …). */
export function roleMachineConfig(name: string, role: string, config: Record<string, unknown>) {
  return {
    apiVersion: `${MCO.group}/${MCO.version}`,
    kind: 'MachineConfig',
    metadata: { name, labels: { 'machineconfiguration.openshift.io/role': role } },
    spec: { config: { ignition: { version: '3.4.0' }, ...config } },
  };
}

/** A MachineConfig for the pool of `role` that writes `files` (Ignition 3.4.0). */
export function fileMachineConfig(name: string, role: string, files: MachineConfigFile[]) {
  return roleMachineConfig(name, role, {
    storage: {
      files: files.map(({ path, mode, source, overwrite }) => ({
        path,
        mode,
        ...(overwrite === undefined ? {} : { overwrite }),
        contents: { source },
      })),
    },
  });
}

/** The pool once it has settled on a rendered config other than `before` (a rollout ended). */
export function poolRolledOut(c: ReturnType<typeof clients>, name: string, before: string, timeoutMs: number) {
  return waitFor(
    `${name} rolled out`,
    async () => {
      const p = await poolSettled(c, name);
      return p && p.spec.configuration.name !== before ? p : undefined;
    },
    timeoutMs,
    100,
  );
}

export function clients(kc: k8s.KubeConfig) {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const pool = async (name: string) =>
    (await custom.getClusterCustomObject({ ...MCO, plural: 'machineconfigpools', name })) as any;
  return {
    core,
    custom,
    pool,
    poolPaused: async (name: string) => (await pool(name)).spec.paused === true,
    /** The Events Plumb recorded for its actions (namespace default, source plumb). */
    plumbEvents: async () =>
      (await core.listNamespacedEvent({ namespace: 'default' })).items.filter((e) => e.source?.component === 'plumb'),
    pools: async () =>
      ((await custom.listClusterCustomObject({ ...MCO, plural: 'machineconfigpools' })) as any).items as any[],
    machineConfig: async (name: string) =>
      (await custom.getClusterCustomObject({ ...MCO, plural: 'machineconfigs', name })) as any,
    machineConfigs: async () =>
      ((await custom.listClusterCustomObject({ ...MCO, plural: 'machineconfigs' })) as any).items as any[],
    node: async (name: string) => (await core.readNode({ name })) as any,
    nodes: async () => (await core.listNode()).items as any[],
    events: async (name: string) =>
      (await core.listEventForAllNamespaces({ fieldSelector: `involvedObject.name=${name}` })).items as any[],
    daemonPod: async (node: string) => {
      const pods = await core.listNamespacedPod({
        namespace: MCO_NS,
        labelSelector: 'k8s-app=machine-config-daemon',
        fieldSelector: `spec.nodeName=${node}`,
      });
      if (pods.items.length !== 1) throw new Error(`expected one daemon pod on ${node}, found ${pods.items.length}`);
      return pods.items[0].metadata!.name!;
    },
  };
}

export const annotation = (node: any, key: string): string | undefined =>
  node?.metadata?.annotations?.[`machineconfiguration.openshift.io/${key}`];
export const condition = (obj: any, type: string): any => obj?.status?.conditions?.find((c: any) => c.type === type);

/** Run a command in a daemon pod's machine-config-daemon container; returns stdout, stderr and the exit code. */
export async function execIn(kc: k8s.KubeConfig, pod: string, command: string[], stdin?: string) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d) => (stdout += d));
  err.on('data', (d) => (stderr += d));
  let input: PassThrough | null = null;
  if (stdin !== undefined) {
    input = new PassThrough();
    input.end(stdin);
  }
  const status = await new Promise<k8s.V1Status>((resolve, reject) => {
    new k8s.Exec(kc)
      .exec(MCO_NS, pod, 'machine-config-daemon', command, out, err, input, false, (s) => resolve(s))
      .catch(reject);
  });
  const exitCode =
    status.status === 'Success'
      ? 0
      : Number(status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message ?? 1);
  return { stdout, stderr, exitCode };
}

/** Pool worker is Updated with every node Done on the pool's target. */
export async function poolSettled(c: ReturnType<typeof clients>, name: string): Promise<any> {
  const pool = await c.pool(name);
  const target = pool.spec?.configuration?.name;
  if (!target || condition(pool, 'Updated')?.status !== 'True' || pool.status?.configuration?.name !== target)
    return undefined;
  if (pool.status.updatedMachineCount !== pool.status.machineCount) return undefined;
  return pool;
}

/** GET a path as raw JSON with the context's credentials (typed client-node models reshape core objects). */
export async function rawGet(kc: k8s.KubeConfig, path: string): Promise<any> {
  return getJson(kc, path);
}
