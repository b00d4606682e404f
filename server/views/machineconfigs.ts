// /api/machineconfigs, /api/machineconfigs/:name and /api/compare, from the cache through lib/mco.
import 'server-only';
import type {
  CompareReply,
  DecodedFile,
  MachineConfigReply,
  MachineConfigSummary,
  MachineConfigsReply,
} from '../../lib/api/types';
import type { Attribution, MachineConfig, ManagedPath } from '../../lib/mco/types';
import { GENERATED_BY_ANNOTATION, ROLE_LABEL } from '../../lib/mco/types';
import { attributeSources, bytesToText, diffConfigs, isSensitive } from '../../lib/mco';
import { stringify } from 'yaml';
import { decodedOrUndecodable, managedPathsOf } from '../decoded';
import type { ClusterCache } from '../cache';
import { notFound } from '../errors';
import { policyInputs } from '../policywatch';
import { compareDisruption } from './disruption';

/** The pool that owns a rendered config: its controller owner reference, else the name `rendered-<pool>-<hash>`. */
export function owningPool(mc: MachineConfig): string | null {
  const owner = mc.metadata.ownerReferences?.find((o) => o.kind === 'MachineConfigPool');
  if (owner) return owner.name;
  const m = /^rendered-(.+)-[0-9a-f]{32}$/.exec(mc.metadata.name);
  return m ? m[1] : null;
}

export function summary(mc: MachineConfig): MachineConfigSummary {
  const rendered = mc.metadata.name.startsWith('rendered-');
  const ign = (mc.spec?.config as { ignition?: { version?: unknown } } | null | undefined)?.ignition;
  return {
    name: mc.metadata.name,
    role: mc.metadata.labels?.[ROLE_LABEL] ?? null,
    generatedByController: mc.metadata.annotations?.[GENERATED_BY_ANNOTATION] ?? null,
    ignitionVersion: typeof ign?.version === 'string' ? ign.version : null,
    rendered,
    creationTimestamp: mc.metadata.creationTimestamp ?? null,
    pool: rendered ? owningPool(mc) : null,
  };
}

export function machineConfigsReply(cache: ClusterCache): MachineConfigsReply {
  const list = [...cache.machineConfigs.values()].map(summary);
  list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { machineConfigs: list };
}

export function getMachineConfig(cache: ClusterCache, name: string): MachineConfig {
  const mc = cache.machineConfigs.get(name);
  if (!mc) throw notFound(`MachineConfig ${name} not found`);
  return mc;
}

/** The source MachineConfig names of a rendered config, from the pool that targets or runs it. */
export function renderedSources(cache: ClusterCache, mc: MachineConfig): string[] {
  const name = mc.metadata.name;
  for (const p of cache.pools.values()) {
    if (p.spec?.configuration?.name === name && p.spec.configuration.source?.length)
      return p.spec.configuration.source.map((s) => s.name);
    if (p.status?.configuration?.name === name && p.status.configuration.source?.length)
      return p.status.configuration.source.map((s) => s.name);
  }
  return [];
}

export function machineConfigReply(cache: ClusterCache, name: string, opts: { reveal: boolean }): MachineConfigReply {
  const mc = getMachineConfig(cache, name);
  const s = summary(mc);
  const spec = mc.spec ?? {};
  const sources = s.rendered ? renderedSources(cache, mc) : [];
  let error: string | null = null;
  let attribution: Attribution = {};
  if (sources.length) {
    const found = sources.map((n) => cache.machineConfigs.get(n)).filter((m): m is MachineConfig => !!m);
    if (found.length < sources.length) {
      const missing = sources.filter((n) => !cache.machineConfigs.has(n));
      error = `source MachineConfigs not found: ${missing.join(', ')}`;
    }
    try {
      attribution = attributeSources(found);
    } catch (err) {
      error = `cannot attribute sources: ${(err as Error).message}`;
    }
  }
  let files: DecodedFile[] = [];
  if (spec.config) {
    files = managedPathsOf(mc).map((p: ManagedPath) => {
      const sensitive = isSensitive(p.path, p.mode);
      const text = p.contents ? bytesToText(p.contents) : null;
      const a = attribution[p.path];
      const f: DecodedFile = {
        path: p.path,
        kind: p.kind,
        mode: p.mode,
        size: p.contents?.length ?? 0,
        text: sensitive && !opts.reveal ? null : text,
        binary: !!p.contents && text === null,
        sensitive,
        decodeError: p.decodeError ?? null,
        source: a?.contentsFrom ?? null,
        overridden: a?.overridden ?? [],
      };
      if (p.unit) f.unit = p.unit;
      if (p.kind === 'unit') {
        f.enabled = p.enabled ?? null;
        f.masked = p.masked === true;
      }
      return f;
    });
  }
  return {
    summary: s,
    files,
    kernelArguments: spec.kernelArguments ?? [],
    extensions: spec.extensions ?? [],
    osImageURL: spec.osImageURL ?? '',
    kernelType: spec.kernelType || 'default',
    fips: spec.fips === true,
    sources,
    error,
    sshKeys: sshKeys(mc),
    yaml: machineConfigYaml(mc, opts.reveal),
  };
}

/** passwd.users[].sshAuthorizedKeys, read loosely: a source config may hold anything the API server accepted. */
export function sshKeys(mc: MachineConfig): { user: string; keys: string[] }[] {
  const users = (mc.spec?.config as { passwd?: { users?: unknown } } | null | undefined)?.passwd?.users;
  if (!Array.isArray(users)) return [];
  return users
    .map((u: { name?: unknown; sshAuthorizedKeys?: unknown }) => ({
      user: typeof u?.name === 'string' ? u.name : '?',
      keys: Array.isArray(u?.sshAuthorizedKeys)
        ? u.sshAuthorizedKeys.filter((k): k is string => typeof k === 'string')
        : [],
    }))
    .filter((u) => u.keys.length > 0);
}

const REDACTED = 'data:,(sensitive%20content%20withheld%3A%20reveal%20to%20see%20it)';

/** The object as `oc get -o yaml` would print it, without managedFields and, unless revealed, sensitive contents. */
export function machineConfigYaml(mc: MachineConfig, reveal: boolean): string {
  const obj = structuredClone(mc) as MachineConfig & { metadata: { managedFields?: unknown } };
  delete obj.metadata.managedFields;
  const files = (
    obj.spec?.config as
      { storage?: { files?: { path?: string; mode?: number; contents?: { source?: string } }[] } } | null | undefined
  )?.storage?.files;
  if (!reveal && Array.isArray(files)) {
    for (const f of files)
      if (f?.contents?.source && typeof f.path === 'string' && isSensitive(f.path, f.mode))
        f.contents.source = REDACTED;
  }
  // Informer lists leave apiVersion and kind off their items: put them back, first, as oc prints them.
  const head = {
    apiVersion: obj.apiVersion || 'machineconfiguration.openshift.io/v1',
    kind: obj.kind || 'MachineConfig',
  };
  return stringify(Object.assign({}, head, obj, head), { lineWidth: 0 });
}

/** The diff of two configs and what the MCO does to a node moving from one to the other (server/views/disruption.ts). */
export async function compareReply(cache: ClusterCache, from: string, to: string): Promise<CompareReply> {
  const a = getMachineConfig(cache, from);
  const b = getMachineConfig(cache, to);
  // Name the config that does not decode (diffConfigs would fail on either without saying which).
  managedPathsOf(a);
  managedPathsOf(b);
  const diff = decodedOrUndecodable(b, () => diffConfigs(a, b));
  return { ...diff, disruption: compareDisruption(await policyInputs(cache), a, b, diff) };
}
