// `--from-dump DIR`: the objects of `oc get -o yaml|json` dumps (Lists or single objects, one or more YAML documents
// per file), to be served exactly as recorded.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject, Resource } from '../types';

/** The kinds a dump may hold and where they are stored. */
export const DUMP_KINDS: Record<string, Resource> = {
  MachineConfig: 'machineconfigs',
  MachineConfigPool: 'machineconfigpools',
  Node: 'nodes',
  MachineConfigNode: 'machineconfignodes',
};

export interface DumpObject {
  resource: Resource;
  object: KubeObject;
  file: string;
}

export interface LoadedDump {
  objects: DumpObject[];
  /** Human-readable notes about what was ignored (other kinds, duplicates). */
  skipped: string[];
}

export class DumpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DumpError';
  }
}

function parseFile(path: string): unknown[] {
  const text = readFileSync(path, 'utf8');
  if (path.endsWith('.json')) {
    try {
      return [JSON.parse(text)];
    } catch (err) {
      throw new DumpError(`${path}: not valid JSON: ${(err as Error).message}`);
    }
  }
  const docs = parseAllDocuments(text, { maxAliasCount: -1 } as never);
  const list = Array.isArray(docs) ? docs : [docs];
  const out: unknown[] = [];
  for (const doc of list) {
    if (doc.errors.length > 0) throw new DumpError(`${path}: not valid YAML: ${doc.errors[0].message}`);
    const value = doc.toJS({ maxAliasCount: -1 });
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

/** Flattens Lists (`kind: List` or anything with `items`) into their objects. */
export function flattenObjects(doc: unknown): unknown[] {
  if (Array.isArray(doc)) return doc.flatMap(flattenObjects);
  if (doc && typeof doc === 'object' && Array.isArray((doc as { items?: unknown }).items))
    return (doc as { items: unknown[] }).items.flatMap(flattenObjects);
  return [doc];
}

export function loadDumpDir(dir: string): LoadedDump {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new DumpError(`--from-dump ${dir}: not a directory`);
    names = readdirSync(dir)
      .filter((n) => /\.(ya?ml|json)$/i.test(n))
      .sort();
  } catch (err) {
    if (err instanceof DumpError) throw err;
    throw new DumpError(`--from-dump ${dir}: ${(err as Error).message}`);
  }
  if (names.length === 0) throw new DumpError(`--from-dump ${dir}: no *.yaml, *.yml or *.json files found`);
  const objects: DumpObject[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    const path = join(dir, name);
    for (const item of parseFile(path).flatMap(flattenObjects)) {
      const obj = item as KubeObject;
      const resource = DUMP_KINDS[obj?.kind as string];
      if (!resource) {
        skipped.push(`${name}: ignored an object of kind ${JSON.stringify(obj?.kind ?? null)}`);
        continue;
      }
      if (!obj.metadata || typeof obj.metadata.name !== 'string' || !obj.metadata.name) {
        throw new DumpError(`${path}: a ${obj.kind} without metadata.name`);
      }
      const key = `${resource}/${obj.metadata.name}`;
      if (seen.has(key)) {
        skipped.push(`${name}: ${obj.kind} ${obj.metadata.name} appears twice; the first one is kept`);
        continue;
      }
      seen.add(key);
      objects.push({ resource, object: obj, file: name });
    }
  }
  if (objects.length === 0)
    throw new DumpError(`--from-dump ${dir}: no MachineConfigs, pools, nodes or MachineConfigNodes found`);
  return { objects, skipped };
}

/** The OpenShift version a dump was taken from: the newest release-image-version among its rendered configs. */
export function dumpVersion(objects: DumpObject[]): string | undefined {
  const versions = objects
    .map((o) => o.object.metadata.annotations?.['machineconfiguration.openshift.io/release-image-version'])
    .filter((v): v is string => typeof v === 'string' && v !== '');
  return versions.sort().at(-1);
}
