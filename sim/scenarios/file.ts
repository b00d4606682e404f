// `--scenario FILE`: a YAML or JSON file holding a Scenario (`machineConfigs`, `pools`, `nodes`, optional `drift`
// and `version`) or simply a List of MachineConfigs, pools and nodes.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { MachineConfig, MachineConfigPool, Node } from '@/lib/mco/types';
import { flattenObjects } from './dump';
import type { Scenario } from './types';

export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

function named(list: unknown, what: string, path: string): void {
  if (!Array.isArray(list)) throw new ScenarioError(`${path}: ${what} must be a list`);
  list.forEach((o, i) => {
    if (!o || typeof o !== 'object' || typeof (o as any).metadata?.name !== 'string' || !(o as any).metadata.name) {
      throw new ScenarioError(`${path}: ${what}[${i}] has no metadata.name`);
    }
  });
}

export function parseScenario(doc: unknown, path: string): Scenario {
  if (doc && typeof doc === 'object' && !Array.isArray(doc) && ('machineConfigs' in doc || 'pools' in doc || 'nodes' in doc)) {
    const s = doc as Record<string, unknown>;
    const scenario: Scenario = {
      machineConfigs: (s.machineConfigs ?? []) as MachineConfig[],
      pools: (s.pools ?? []) as MachineConfigPool[],
      nodes: (s.nodes ?? []) as Node[],
    };
    named(scenario.machineConfigs, 'machineConfigs', path);
    named(scenario.pools, 'pools', path);
    named(scenario.nodes, 'nodes', path);
    if (s.version !== undefined) {
      if (typeof s.version !== 'string') throw new ScenarioError(`${path}: version must be a string such as "4.16.0"`);
      scenario.version = s.version;
    }
    if (s.drift !== undefined) {
      if (!Array.isArray(s.drift)) throw new ScenarioError(`${path}: drift must be a list`);
      s.drift.forEach((d: any, i) => {
        if (typeof d?.node !== 'string' || typeof d?.path !== 'string' || !d.path.startsWith('/')) {
          throw new ScenarioError(`${path}: drift[${i}] needs node and an absolute path`);
        }
        if (d.mode !== undefined && (typeof d.mode !== 'number' || !Number.isInteger(d.mode))) throw new ScenarioError(`${path}: drift[${i}].mode must be an integer`);
        if (d.append !== undefined && typeof d.append !== 'string') throw new ScenarioError(`${path}: drift[${i}].append must be a string`);
      });
      scenario.drift = s.drift as Scenario['drift'];
    }
    return scenario;
  }
  const scenario: Scenario = { machineConfigs: [], pools: [], nodes: [] };
  for (const item of doc == null ? [] : flattenObjects(doc)) {
    const kind = (item as any)?.kind;
    if (kind === 'MachineConfig') scenario.machineConfigs.push(item as MachineConfig);
    else if (kind === 'MachineConfigPool') scenario.pools.push(item as MachineConfigPool);
    else if (kind === 'Node') scenario.nodes.push(item as Node);
    else throw new ScenarioError(`${path}: unsupported object of kind ${JSON.stringify(kind ?? null)} (expected MachineConfig, MachineConfigPool or Node)`);
  }
  named(scenario.machineConfigs, 'machineConfigs', path);
  named(scenario.pools, 'pools', path);
  named(scenario.nodes, 'nodes', path);
  if (scenario.machineConfigs.length + scenario.pools.length + scenario.nodes.length === 0) {
    throw new ScenarioError(`${path}: no MachineConfigs, pools or nodes found`);
  }
  return scenario;
}

export function loadScenarioFile(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ScenarioError(`--scenario ${path}: ${(err as Error).message}`);
  }
  let doc: unknown;
  if (/\.json$/i.test(path)) {
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw new ScenarioError(`${path}: not valid JSON: ${(err as Error).message}`);
    }
  } else {
    const docs = parseAllDocuments(text);
    const list = Array.isArray(docs) ? docs : [docs];
    for (const d of list) if (d.errors.length > 0) throw new ScenarioError(`${path}: not valid YAML: ${d.errors[0].message}`);
    const values = list.map((d) => d.toJS()).filter((v) => v != null);
    doc = values.length === 1 ? values[0] : values;
  }
  return parseScenario(doc, path);
}
