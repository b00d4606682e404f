// `--scenario FILE`: a YAML or JSON file holding a Scenario (`machineConfigs`, `pools`, `nodes`, optional `drift`,
// `version`, `users` and `rbac`) or simply a List of MachineConfigs, pools, nodes and RBAC objects.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { MachineConfig, MachineConfigPool, Node } from '@/lib/mco/types';
import { validateRbacObject } from '../rbac/validation';
import { field, isObject, nameOf, type JsonObject } from '../raw';
import type { KubeObject } from '../types';
import { flattenObjects } from './dump';
import type { Scenario, ScenarioUser } from './types';

const RBAC_KINDS = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'];

export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

function named(list: unknown, what: string, path: string): void {
  if (!Array.isArray(list)) throw new ScenarioError(`${path}: ${what} must be a list`);
  list.forEach((o, i) => {
    if (!nameOf(o)) {
      throw new ScenarioError(`${path}: ${what}[${i}] has no metadata.name`);
    }
  });
}

function parseUsers(list: unknown, path: string): ScenarioUser[] {
  if (!Array.isArray(list)) throw new ScenarioError(`${path}: users must be a list`);
  const seen = new Set(['admin', 'viewer']);
  return list.map((u: unknown, i) => {
    if (!isObject(u) || typeof u.name !== 'string' || !u.name)
      throw new ScenarioError(`${path}: users[${i}] has no name`);
    if (seen.has(u.name))
      throw new ScenarioError(`${path}: users[${i}]: the user name ${JSON.stringify(u.name)} is already taken`);
    seen.add(u.name);
    if (
      u.groups !== undefined &&
      !(Array.isArray(u.groups) && u.groups.every((g: unknown) => typeof g === 'string' && g))
    )
      throw new ScenarioError(`${path}: users[${i}].groups must be a list of group names`);
    if (u.token !== undefined && (typeof u.token !== 'string' || !/^[A-Za-z0-9._~+/=-]{8,}$/.test(u.token)))
      throw new ScenarioError(`${path}: users[${i}].token must be a string of at least 8 token characters`);
    const out: ScenarioUser = { name: u.name };
    // Both checked above.
    if (u.groups) out.groups = u.groups as string[];
    if (u.token) out.token = u.token as string;
    return out;
  });
}

/** RBAC objects checked as the API server would check them on create. */
function checkRbac(list: unknown, path: string): KubeObject[] {
  if (!Array.isArray(list)) throw new ScenarioError(`${path}: rbac must be a list`);
  named(list, 'rbac', path);
  // named() checked that each has a metadata.name.
  return (list as (JsonObject & { metadata: JsonObject & { name: string } })[]).map((o, i) => {
    const what = `${path}: rbac[${i}] (${o.kind} ${o.metadata.name})`;
    if (typeof o.kind !== 'string' || !RBAC_KINDS.includes(o.kind))
      throw new ScenarioError(
        `${path}: rbac[${i}] is a ${JSON.stringify(o.kind ?? null)}; expected one of ${RBAC_KINDS.join(', ')}`,
      );
    if ((o.kind === 'Role' || o.kind === 'RoleBinding') && typeof o.metadata.namespace !== 'string')
      throw new ScenarioError(`${what} needs metadata.namespace`);
    let causes;
    try {
      causes = validateRbacObject({ ...o, apiVersion: 'rbac.authorization.k8s.io/v1' } as KubeObject);
    } catch (e) {
      throw new ScenarioError(`${what}: ${(e as Error).message}`);
    }
    if (causes.length)
      throw new ScenarioError(`${what} is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}`);
    return { ...o, apiVersion: 'rbac.authorization.k8s.io/v1' } as KubeObject;
  });
}

export function parseScenario(doc: unknown, path: string): Scenario {
  if (
    doc &&
    typeof doc === 'object' &&
    !Array.isArray(doc) &&
    ('machineConfigs' in doc || 'pools' in doc || 'nodes' in doc)
  ) {
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
      s.drift.forEach((d: unknown, i) => {
        if (!isObject(d) || typeof d.node !== 'string' || typeof d.path !== 'string' || !d.path.startsWith('/')) {
          throw new ScenarioError(`${path}: drift[${i}] needs node and an absolute path`);
        }
        if (d.mode !== undefined && (typeof d.mode !== 'number' || !Number.isInteger(d.mode)))
          throw new ScenarioError(`${path}: drift[${i}].mode must be an integer`);
        if (d.append !== undefined && typeof d.append !== 'string')
          throw new ScenarioError(`${path}: drift[${i}].append must be a string`);
      });
      scenario.drift = s.drift as Scenario['drift'];
    }
    if (s.users !== undefined) scenario.users = parseUsers(s.users, path);
    if (s.rbac !== undefined) scenario.rbac = checkRbac(s.rbac, path);
    return scenario;
  }
  const scenario: Scenario = { machineConfigs: [], pools: [], nodes: [] };
  const rbac: unknown[] = [];
  for (const item of doc == null ? [] : flattenObjects(doc)) {
    const kind = field(item, 'kind');
    if (typeof kind === 'string' && RBAC_KINDS.includes(kind)) {
      rbac.push(item);
      continue;
    }
    if (kind === 'MachineConfig') scenario.machineConfigs.push(item as MachineConfig);
    else if (kind === 'MachineConfigPool') scenario.pools.push(item as MachineConfigPool);
    else if (kind === 'Node') scenario.nodes.push(item as Node);
    else
      throw new ScenarioError(
        `${path}: unsupported object of kind ${JSON.stringify(kind ?? null)} (expected MachineConfig, MachineConfigPool, Node or an RBAC kind)`,
      );
  }
  named(scenario.machineConfigs, 'machineConfigs', path);
  named(scenario.pools, 'pools', path);
  named(scenario.nodes, 'nodes', path);
  if (rbac.length) scenario.rbac = checkRbac(rbac, path);
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
    for (const d of list)
      if (d.errors.length > 0) throw new ScenarioError(`${path}: not valid YAML: ${d.errors[0].message}`);
    const values = list.map((d) => d.toJS()).filter((v) => v != null);
    doc = values.length === 1 ? values[0] : values;
  }
  return parseScenario(doc, path);
}
