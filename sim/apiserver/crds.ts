// The vendored CRDs (sim/crds/*.yaml), loaded once: their names, scope, printer columns and openAPIV3Schema, as the
// apiextensions server serves them. The YAML stays byte-for-byte upstream; everything derived is computed here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { Schema } from './schema-types';

export interface CrdPrinterColumn {
  name: string;
  jsonPath: string;
  type: 'string' | 'number' | 'integer' | 'date' | 'boolean';
  priority?: number;
  description?: string;
  format?: string;
}

export interface Crd {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames?: string[];
  namespaced: boolean;
  statusSubresource: boolean;
  printerColumns: CrdPrinterColumn[];
  /** The served version's openAPIV3Schema (a JSON Schema subset with the x-kubernetes-* extensions). */
  schema: Schema;
}

const CRD_DIR = fileURLToPath(new URL('../crds/', import.meta.url));
let loaded: Map<string, Crd> | undefined;

/** The fields of a CustomResourceDefinition (apiextensions.k8s.io/v1) read here. */
interface CrdDocument {
  spec?: {
    group?: string;
    scope?: string;
    names?: { kind: string; listKind?: string; plural?: string; singular?: string; shortNames?: string[] };
    versions?: {
      name: string;
      served?: boolean;
      subresources?: { status?: unknown };
      additionalPrinterColumns?: CrdPrinterColumn[];
      schema?: { openAPIV3Schema?: Schema };
    }[];
  };
}

function fromDocument(doc: CrdDocument | null | undefined, file: string): Crd {
  const spec = doc?.spec;
  const version = (spec?.versions ?? []).find((v) => v.name === 'v1' && v.served);
  if (!spec?.group || !spec.names?.plural || !version?.schema?.openAPIV3Schema)
    throw new Error(`${file}: not a v1 CRD with a schema`);
  return {
    group: spec.group,
    version: 'v1',
    kind: spec.names.kind,
    listKind: spec.names.listKind ?? `${spec.names.kind}List`,
    plural: spec.names.plural,
    singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
    shortNames: spec.names.shortNames,
    namespaced: spec.scope === 'Namespaced',
    statusSubresource: !!version.subresources?.status,
    printerColumns: version.additionalPrinterColumns ?? [],
    schema: version.schema.openAPIV3Schema,
  };
}

/** Every vendored CRD by `group/plural`. */
export function crds(): Map<string, Crd> {
  if (!loaded) {
    loaded = new Map();
    for (const f of readdirSync(CRD_DIR)
      .filter((n) => n.endsWith('.yaml'))
      .sort()) {
      const crd = fromDocument(parseYaml(readFileSync(join(CRD_DIR, f), 'utf8')), f);
      loaded.set(`${crd.group}/${crd.plural}`, crd);
    }
  }
  return loaded;
}

export function crdFor(group: string, plural: string): Crd | undefined {
  return crds().get(`${group}/${plural}`);
}
