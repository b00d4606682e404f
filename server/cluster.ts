// How the console reaches its cluster: a kubeconfig file and context, or the pod's service account in-cluster.
// Also derives a per-user KubeConfig when a forwarded user token is in play.
import 'server-only';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { config } from './config';
import { getJson } from './kubehttp';

export type ClusterConnection = { ok: true; kc: k8s.KubeConfig; source: string } | { ok: false; message: string };

/** Load the console's own identity. Never throws: a failure is a message for the status notice. */
export function loadCluster(): ClusterConnection {
  const cfg = config();
  try {
    const kc = new k8s.KubeConfig();
    let source: string;
    if (cfg.kubeconfig) {
      if (!existsSync(cfg.kubeconfig)) return { ok: false, message: `kubeconfig ${cfg.kubeconfig} does not exist` };
      kc.loadFromFile(cfg.kubeconfig);
      source = cfg.kubeconfig;
    } else if (process.env.KUBERNETES_SERVICE_HOST) {
      kc.loadFromCluster();
      source = 'in-cluster service account';
    } else {
      const file = join(homedir(), '.kube', 'config');
      if (!existsSync(file)) {
        return { ok: false, message: 'no cluster configured: pass --kubeconfig FILE, set KUBECONFIG, or run in a pod' };
      }
      kc.loadFromFile(file);
      source = file;
    }
    if (cfg.context) {
      if (!kc.getContextObject(cfg.context))
        return { ok: false, message: `context ${cfg.context} not found in ${source}` };
      kc.setCurrentContext(cfg.context);
    }
    if (!kc.getCurrentCluster()) return { ok: false, message: `no current cluster in ${source}` };
    return { ok: true, kc, source };
  } catch (err) {
    return { ok: false, message: `cannot load the cluster configuration: ${(err as Error).message}` };
  }
}

/** A KubeConfig speaking to the same cluster as `base` but as the user holding `token`. */
export function kubeConfigForToken(base: k8s.KubeConfig, token: string): k8s.KubeConfig {
  const cluster = base.getCurrentCluster()!;
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [cluster],
    users: [{ name: 'forwarded-user', token }],
    contexts: [{ name: 'forwarded', cluster: cluster.name, user: 'forwarded-user' }],
    currentContext: 'forwarded',
  });
  return kc;
}

/** The display name of the kubeconfig identity (its user entry). */
export function kubeConfigUserName(kc: k8s.KubeConfig): string {
  return kc.getCurrentUser()?.name ?? kc.getCurrentContext() ?? 'unknown';
}

let infraName: Promise<string | null> | null = null;

/**
 * The cluster's name for the header: OpenShift's Infrastructure `cluster` (status.infrastructureName) where the
 * cluster serves it, else the kubeconfig's cluster entry (what `oc login` names after the API host), else the host.
 */
export async function clusterIdentity(
  kc: k8s.KubeConfig | null,
): Promise<{ name: string; server: string | null } | null> {
  const c = kc?.getCurrentCluster();
  if (!kc || !c) return null;
  infraName ??= getJson<{ status?: { infrastructureName?: string } }>(
    kc,
    '/apis/config.openshift.io/v1/infrastructures/cluster',
    5000,
  )
    .then((i) => i.status?.infrastructureName || null)
    .catch(() => null);
  let host: string | null = null;
  try {
    host = new URL(c.server).host;
  } catch {
    // not a URL: leave the host out
  }
  // An in-cluster config names its cluster `inCluster`, which says nothing.
  const entry = c.name && c.name !== 'inCluster' ? c.name : null;
  return { name: (await infraName) ?? entry ?? host ?? 'cluster', server: c.server ?? null };
}
