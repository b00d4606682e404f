// Plan and apply a MachineConfig change. Plan: parse the proposal (JSON or YAML documents), read the pools, nodes,
// MachineConfigs and Events from the cache and the MachineConfiguration `cluster` (policy status) from the cluster,
// run lib/mco/plan, and ask the API server for a dry run of every object as the requesting user (so its own
// validation shows). Apply: the checks every action has (read-only, origin and CSRF, the user's permission by
// SelfSubjectAccessReview), server-side apply (or delete) as the user, then an audit Event saying what happened.
import 'server-only';
import * as k8s from '@kubernetes/client-node';
import { parseAllDocuments, stringify } from 'yaml';
import type { DryRunResult, PlanAdoptReply, PlanApplyReply, PlanReply } from '../lib/api/types';
import type { MachineConfiguration } from '../lib/mco/disruption';
import { adoptFile, clusterVersionOf, MC_API_VERSION, planChange, PlanInputError, type Plan } from '../lib/mco/plan';
import { isSensitive } from '../lib/mco/sensitive';
import type { MachineConfig } from '../lib/mco/types';
import { recordEvent } from './actions';
import { guardAction, identify, requireKubeConfig } from './auth';
import type { ClusterCache } from './cache';
import { ApiFailure, badRequest, forbidden, toApiFailure } from './errors';
import { kubeRequest, type RawReply } from './kubehttp';
import { inspectPaths, managedEntry, nodeTarget } from './nodefiles';
import { bodyText } from './validate';

const MCO_GROUP = 'machineconfiguration.openshift.io';
const MC_PATH = `/apis/${MCO_GROUP}/v1/machineconfigs`;
export const PLAN_BODY_LIMIT = 4 * 1024 * 1024;
const FIELD_MANAGER = 'plumb';

// ---------------------------------------------------------------------------------------------------------------
// Request parsing

/** The objects of one or more YAML (or JSON) documents; `kind: List` is flattened. Where each came from, for errors. */
export function parseYamlDocuments(text: string): { objects: unknown[]; origins: string[] } {
  const objects: unknown[] = [];
  const origins: string[] = [];
  const docs = parseAllDocuments(text, { prettyErrors: true });
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, i) => {
    const where = `document ${i + 1}`;
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      const pos = e.linePos?.[0];
      throw badRequest(
        `YAML ${where}${pos ? `, line ${pos.line} column ${pos.col}` : ''}: ${e.message.split('\n')[0]}`,
      );
    }
    const value = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) return;
    const line = doc.range ? lineOf(text, doc.range[0]) : null;
    const at = `${where}${line ? ` (line ${line})` : ''}`;
    if (typeof value !== 'object' || Array.isArray(value))
      throw badRequest(
        `YAML ${at}: expected an object (a MachineConfig), got ${Array.isArray(value) ? 'a list' : typeof value}`,
      );
    if ((value as { kind?: unknown }).kind === 'List' || (value as { kind?: unknown }).kind === 'MachineConfigList') {
      const items = (value as { items?: unknown }).items;
      if (!Array.isArray(items)) throw badRequest(`YAML ${at}: a List without items`);
      items.forEach((item, j) => {
        objects.push(item);
        origins.push(`${at}, items[${j}]`);
      });
      return;
    }
    objects.push(value);
    origins.push(at);
  });
  return { objects, origins };
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  // A document starting with `---` reports the separator line: the object is on the next one.
  return line;
}

export interface Proposal {
  apply: MachineConfig[];
  delete: string[];
  /** Where each applied object came from ("document 2 (line 14)"), when it came from YAML. */
  origins: (string | null)[];
}

/** The proposal from a JSON body `{apply, delete}` or `{yaml}`, or a raw YAML body (application/yaml, text/yaml). */
export async function readProposal(req: Request): Promise<Proposal> {
  const type = (req.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  const text = await bodyText(req, PLAN_BODY_LIMIT);
  if (!text.trim())
    throw badRequest('empty request: send {"apply": [MachineConfig...], "delete": [name...]} or YAML documents');
  if (type === 'application/yaml' || type === 'text/yaml' || type === 'application/x-yaml' || type === 'text/plain') {
    const { objects, origins } = parseYamlDocuments(text);
    return { apply: objects as MachineConfig[], delete: [], origins };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw badRequest(
      `request body is not valid JSON: ${(err as Error).message} (send YAML with Content-Type: application/yaml)`,
    );
  }
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw badRequest('request body must be a JSON object {apply, delete} or {yaml}');
  const b = body as Record<string, unknown>;
  const del = b.delete ?? [];
  if (!Array.isArray(del) || del.some((d) => typeof d !== 'string'))
    throw badRequest('delete: expected a list of MachineConfig names');
  let apply: unknown[] = [];
  let origins: (string | null)[] = [];
  if (b.yaml !== undefined) {
    if (typeof b.yaml !== 'string') throw badRequest('yaml: expected a string of YAML documents');
    const parsed = parseYamlDocuments(b.yaml);
    apply = parsed.objects;
    origins = parsed.origins;
  }
  if (b.apply !== undefined) {
    if (!Array.isArray(b.apply)) throw badRequest('apply: expected a list of MachineConfigs');
    apply = [...apply, ...b.apply];
    origins = [...origins, ...b.apply.map(() => null)];
  }
  return { apply: apply as MachineConfig[], delete: del as string[], origins };
}

// ---------------------------------------------------------------------------------------------------------------
// Raw requests as a user (dry runs, apply, the MachineConfiguration)

function statusMessage(r: RawReply): string {
  try {
    const s = JSON.parse(r.body);
    if (typeof s?.message === 'string') return s.message;
  } catch {
    // not JSON
  }
  return r.body.slice(0, 300) || `HTTP ${r.status}`;
}

/** Server-side apply of one MachineConfig (dry run or not), as the user. */
function applyObject(kc: k8s.KubeConfig, mc: MachineConfig, dryRun: boolean): Promise<RawReply> {
  const q = new URLSearchParams({ fieldManager: FIELD_MANAGER, fieldValidation: 'Strict', force: 'true' });
  if (dryRun) q.set('dryRun', 'All');
  return kubeRequest(
    kc,
    'PATCH',
    `${MC_PATH}/${encodeURIComponent(mc.metadata.name)}?${q}`,
    JSON.stringify(mc),
    'application/apply-patch+yaml',
  );
}

function deleteObject(kc: k8s.KubeConfig, name: string, dryRun: boolean): Promise<RawReply> {
  return kubeRequest(kc, 'DELETE', `${MC_PATH}/${encodeURIComponent(name)}${dryRun ? '?dryRun=All' : ''}`);
}

async function dryRun(kc: k8s.KubeConfig, apply: MachineConfig[], del: string[]): Promise<DryRunResult[]> {
  const one = async (
    operation: 'apply' | 'delete',
    name: string,
    run: () => Promise<RawReply>,
  ): Promise<DryRunResult> => {
    try {
      const r = await run();
      const ok = r.status < 300;
      return { operation, name, ok, message: ok ? null : statusMessage(r), warnings: r.warnings };
    } catch (err) {
      return { operation, name, ok: false, message: toApiFailure(err).message, warnings: [] };
    }
  };
  return Promise.all([
    ...apply.map((mc) => one('apply', mc.metadata.name, () => applyObject(kc, mc, true))),
    ...del.map((name) => one('delete', name, () => deleteObject(kc, name, true))),
  ]);
}

async function getOptional<T>(kc: k8s.KubeConfig, path: string): Promise<T | null> {
  try {
    const r = await kubeRequest(kc, 'GET', path, undefined, undefined, 10_000);
    return r.status === 200 ? (JSON.parse(r.body) as T) : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Plan

function relocate(err: PlanInputError, origins: (string | null)[]): string {
  const m = /^apply\[(\d+)\]/.exec(err.where);
  const origin = m ? origins[Number(m[1])] : null;
  return origin ? `${err.message.replace(/^apply\[\d+\]/, `apply[${m![1]}] (YAML ${origin})`)}` : err.message;
}

/** The YAML of the objects (what `oc apply -f` takes). */
export function proposalYaml(apply: MachineConfig[]): string {
  return apply.map((mc) => stringify(mc, { lineWidth: 0 })).join('---\n');
}

export async function computePlan(
  req: Request,
  cache: ClusterCache,
  proposal: Proposal,
): Promise<{ plan: Plan; kc: k8s.KubeConfig }> {
  await cache.requireConnected();
  const id = identify(req, cache);
  const kc = requireKubeConfig(id);
  const machineConfigs = [...cache.machineConfigs.values()];
  const pools = [...cache.pools.values()];
  const [machineConfiguration, controllerConfig, clusterVersion] = await Promise.all([
    getOptional<MachineConfiguration>(kc, '/apis/operator.openshift.io/v1/machineconfigurations/cluster'),
    getOptional<{ spec?: { baseOSContainerImage?: string; baseOSExtensionsContainerImage?: string } }>(
      kc,
      `/apis/${MCO_GROUP}/v1/controllerconfigs/machine-config-controller`,
    ),
    getOptional<{ status?: { desired?: { version?: string } } }>(
      kc,
      '/apis/config.openshift.io/v1/clusterversions/version',
    ),
  ]);
  const version = clusterVersionOf(machineConfigs, pools) ?? clusterVersion?.status?.desired?.version ?? null;
  if (!version)
    throw new ApiFailure(
      503,
      'cluster_unreachable',
      "cannot tell the cluster's OpenShift version: no rendered config carries release-image-version and ClusterVersion is not readable",
    );
  const images = controllerConfig?.spec
    ? {
        osImageURL: controllerConfig.spec.baseOSContainerImage,
        baseOSExtensionsContainerImage: controllerConfig.spec.baseOSExtensionsContainerImage,
      }
    : undefined;
  const events = [...cache.events.values()];
  try {
    const plan = planChange({
      version,
      machineConfigs,
      pools,
      nodes: [...cache.nodes.values()],
      machineConfiguration,
      events,
      images,
      change: { apply: proposal.apply, delete: proposal.delete },
    });
    return { plan, kc };
  } catch (err) {
    if (err instanceof PlanInputError || (err as Error)?.name === 'PlanInputError')
      throw badRequest(relocate(err as PlanInputError, proposal.origins));
    throw err;
  }
}

export function commandsFor(apply: MachineConfig[], del: string[]): string[] {
  const out: string[] = [];
  if (apply.length > 0) out.push('oc apply --server-side --field-manager=plumb -f plan.yaml');
  for (const name of del) out.push(`oc delete machineconfig ${name}`);
  return out;
}

export async function planRequest(req: Request, cache: ClusterCache): Promise<PlanReply> {
  const proposal = await readProposal(req);
  const { plan, kc } = await computePlan(req, cache, proposal);
  const dry = await dryRun(kc, proposal.apply, proposal.delete);
  return {
    version: plan.version,
    pools: plan.pools,
    notes: plan.notes,
    dryRun: dry,
    apply: proposal.apply,
    delete: proposal.delete,
    yaml: proposalYaml(proposal.apply),
    commands: commandsFor(proposal.apply, proposal.delete),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Apply

async function canI(kc: k8s.KubeConfig, verb: string): Promise<{ allowed: boolean; reason: string | null }> {
  const api = kc.makeApiClient(k8s.AuthorizationV1Api);
  const r = await api.createSelfSubjectAccessReview({
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { group: MCO_GROUP, resource: 'machineconfigs', verb } },
    },
  });
  return { allowed: r.status?.allowed === true, reason: r.status?.reason || null };
}

function recordAudit(kc: k8s.KubeConfig, involvedName: string, type: 'Normal' | 'Warning', message: string) {
  const involved = { kind: 'MachineConfig', name: involvedName, apiVersion: `${MCO_GROUP}/v1` };
  return recordEvent(kc, involved, type, 'PlumbApplyMachineConfigs', message.slice(0, 1024));
}

/**
 * Apply as the user: the checks, a fresh plan (a refused pool stops everything: nothing is written), then each
 * object by server-side apply and each delete, then one audit Event with the outcome of each.
 */
export async function applyRequest(req: Request, cache: ClusterCache): Promise<PlanApplyReply> {
  guardAction(req);
  const proposal = await readProposal(req);
  const { plan, kc } = await computePlan(req, cache, proposal);
  const verbs = [
    ...(proposal.apply.length > 0 ? ['create', 'patch'] : []),
    ...(proposal.delete.length > 0 ? ['delete'] : []),
  ];
  let user = 'the user';
  try {
    const r = await kc
      .makeApiClient(k8s.AuthenticationV1Api)
      .createSelfSubjectReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
    user = r.status?.userInfo?.username ?? user;
  } catch {
    user = kc.getCurrentUser()?.name ?? user;
  }
  for (const verb of verbs) {
    const r = await canI(kc, verb).catch((err) => {
      throw toApiFailure(err);
    });
    if (!r.allowed)
      throw forbidden(`${user} may not ${verb} machineconfigs.${MCO_GROUP}${r.reason ? ` (${r.reason})` : ''}`);
  }
  const refused = plan.pools.filter((p) => p.refused);
  if (refused.length > 0) {
    throw new ApiFailure(
      409,
      'conflict',
      `not applied: the MCO would refuse it: ${refused.map((p) => p.refused).join('; ')}`,
    );
  }
  const results: PlanApplyReply['results'] = [];
  for (const mc of proposal.apply) {
    const existed = cache.machineConfigs.get(mc.metadata.name);
    try {
      const r = await applyObject(kc, mc, false);
      if (r.status >= 300)
        results.push({ operation: 'apply', name: mc.metadata.name, ok: false, message: statusMessage(r) });
      else {
        const after = JSON.parse(r.body) as MachineConfig;
        const result = !existed
          ? 'created'
          : after.metadata.resourceVersion === existed.metadata.resourceVersion
            ? 'unchanged'
            : 'configured';
        results.push({ operation: 'apply', name: mc.metadata.name, ok: true, message: null, result });
      }
    } catch (err) {
      results.push({ operation: 'apply', name: mc.metadata.name, ok: false, message: toApiFailure(err).message });
    }
  }
  for (const name of proposal.delete) {
    try {
      const r = await deleteObject(kc, name, false);
      results.push(
        r.status < 300
          ? { operation: 'delete', name, ok: true, message: null, result: 'deleted' }
          : { operation: 'delete', name, ok: false, message: statusMessage(r) },
      );
    } catch (err) {
      results.push({ operation: 'delete', name, ok: false, message: toApiFailure(err).message });
    }
  }
  const ok = results.every((r) => r.ok);
  const outcome = results.map((r) => (r.ok ? `${r.name} ${r.result}` : `${r.name} failed: ${r.message}`)).join('; ');
  const expected = plan.pools
    .filter((p) => p.newConfig && !p.unchanged)
    .map((p) => `${p.pool} → ${p.newConfig}`)
    .join(', ');
  const auditError = await recordAudit(
    kc,
    proposal.apply[0]?.metadata.name ?? proposal.delete[0] ?? 'machineconfigs',
    ok ? 'Normal' : 'Warning',
    `${user} applied MachineConfigs through Plumb: ${outcome}${expected ? `; planned renders: ${expected}` : ''}`,
  );
  const message = `${ok ? 'Applied' : 'Partly applied'}: ${outcome}.${auditError ? ` The audit Event could not be recorded: ${auditError}` : ''}`;
  return { ok, message, results, pools: plan.pools.map((p) => p.pool) };
}

export { MC_API_VERSION };

// ---------------------------------------------------------------------------------------------------------------
// Adopt drift

/** A MachineConfig declaring what `node` has at `path` (read through its daemon pod, as the user). */
export async function adoptRequest(
  req: Request,
  cache: ClusterCache,
  node: string,
  path: string,
): Promise<PlanAdoptReply> {
  await cache.requireConnected();
  const kc = requireKubeConfig(identify(req, cache));
  const t = nodeTarget(cache, node);
  const e = managedEntry(t, path);
  if (e.kind !== 'file')
    throw badRequest(`${path} is a ${e.kind} of ${t.config.metadata.name}, not a file: only files can be adopted`);
  if (isSensitive(path, e.mode))
    throw badRequest(
      `${path} holds secrets: Plumb will not copy it into a MachineConfig; write that MachineConfig yourself`,
    );
  const found = (await inspectPaths(kc, t.pod, [e], true)).get(path);
  const actual = found?.actual;
  if (!actual) throw badRequest(`${path} does not exist on ${node}: nothing to adopt (restore it instead)`);
  if (actual.type !== 'file' || !actual.contents)
    throw badRequest(
      `${path} on ${node} is not a readable regular file${actual.readError ? `: ${actual.readError}` : ''}`,
    );
  const poolName = cache.poolOf(node);
  const pool = poolName ? cache.pools.get(poolName) : undefined;
  if (!pool) throw badRequest(`node ${node} belongs to no MachineConfigPool`);
  const a = adoptFile({
    pool,
    machineConfigs: [...cache.machineConfigs.values()],
    path,
    contents: actual.contents,
    mode: actual.mode,
  });
  return { node, pool: pool.metadata.name, path, source: a.source, machineConfig: a.machineConfig };
}
