// A proposed MachineConfig change (objects to create or replace, names to delete) -> what the MCO would do with it,
// per pool: the rendered config it would generate (renderPool, the simulator's own render step), the diff against
// the pool's current config, the daemon's disruption decision (lib/mco/disruption), a refusal where the render
// controller refuses, and the rollout order of the pool's nodes (planRollout, the simulator's own order).
import { MCO_API_VERSION as MC_API_VERSION } from '../constants';
import { diffConfigs } from '../diff';
import {
  decideDisruption,
  describeDecision,
  describeFileDecision,
  describeSshKey,
  describeUnitDecision,
  type DisruptionAction,
  type DisruptionDecision,
  type LegacyAction,
  type MachineConfiguration,
} from '../disruption';
import { poolMembership, matchesSelector } from '../pools';
import { isEmptySelector } from '../pools';
import {
  RELEASE_IMAGE_VERSION_ANNOTATION,
  ROLE_LABEL,
  type ConfigDiff,
  type MachineConfig,
  type MachineConfigPool,
  type Node,
} from '../types';
import { estimateRollout, type PlanEvent, type RolloutEstimate } from './estimate';
import { renderPool } from './render-pool';
import { planRollout, type RolloutPlan } from './rollout';

export { MC_API_VERSION };

export interface ProposedChange {
  /** MachineConfigs to create, or to replace when one of that name exists. */
  apply: MachineConfig[];
  /** Names of MachineConfigs to delete. */
  delete: string[];
}

export interface PlanInput {
  /** The cluster's OpenShift version ("4.16.0", "4.20.3"): merge rules, reconcile refusal, disruption rules. */
  version: string;
  machineConfigs: MachineConfig[];
  pools: MachineConfigPool[];
  nodes: Node[];
  /** The MachineConfiguration `cluster` (its status.nodeDisruptionPolicyStatus), where the cluster has one. */
  machineConfiguration?: MachineConfiguration | null;
  /** 4.16 only: the NodeDisruptionPolicy feature gate is on. */
  techPreview?: boolean;
  /** Recent Events (for the time estimate). */
  events?: PlanEvent[];
  /** The ControllerConfig's images (spec.baseOSContainerImage, spec.baseOSExtensionsContainerImage), where readable. */
  images?: { osImageURL?: string; baseOSExtensionsContainerImage?: string };
  change: ProposedChange;
}

/** A problem with the proposed objects themselves: where (`apply[1]`, `delete[0]`) and what. */
export class PlanInputError extends Error {
  constructor(
    public where: string,
    message: string,
  ) {
    super(`${where}: ${message}`);
    this.name = 'PlanInputError';
  }
}

/** An action as the MCO writes it in the policy status, flattened: `{type: 'Reload', serviceName: 'crio.service'}`. */
export interface PlanAction {
  type: string;
  serviceName?: string;
}

export interface PlanItem {
  kind: 'file' | 'unit' | 'sshkey';
  /** The file path or unit name ('' for sshkey). */
  name: string;
  change: string;
  /** What the daemon does for this item, in words ("Reload crio.service", "Reboot (no policy)"). */
  action: string;
}

export interface PoolPlan {
  pool: string;
  /** pool.spec.configuration.name: what the pool's nodes run or move to now. */
  currentConfig: string | null;
  /** The rendered config the MCO would generate; null when refused. Equal to currentConfig when nothing changes. */
  newConfig: string | null;
  unchanged: boolean;
  /** The render controller's RenderDegraded message, or null. Nothing reaches a node when refused. */
  refused: string | null;
  /** The new render's source MachineConfigs in merge order. */
  sources: string[];
  /** The diff of the rendered configs (files with line diffs, kernel arguments, extensions, image, kernel type, FIPS). */
  changes: ConfigDiff | null;
  /** The daemon's post-config actions in execution order (policy mode), or its legacy action as one entry. */
  actions: PlanAction[];
  drain: boolean;
  reboot: boolean;
  mode: 'policy' | 'legacy' | null;
  /** describeDecision: "Reboot, drains each node", "Reload crio.service on each node, no drain, no reboot". */
  summary: string;
  /** Why the node would fail the update instead (policy status not ready), or null. */
  updateError: string | null;
  items: PlanItem[];
  nodeCount: number;
  rollout: RolloutPlan;
  estimate: RolloutEstimate | null;
}

export interface Plan {
  version: string;
  pools: PoolPlan[];
  /** Notes on the whole change (e.g. a deleted name that no pool selected). */
  notes: string[];
}

const nameOf = (mc: MachineConfig) => mc?.metadata?.name ?? '';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const DNS1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Shape checks the console makes before planning (the API server's dry run checks the rest). */
export function checkProposed(
  change: ProposedChange,
  pools: MachineConfigPool[],
  existing: Map<string, MachineConfig>,
): void {
  if (!Array.isArray(change.apply)) throw new PlanInputError('apply', 'expected a list of MachineConfigs');
  if (!Array.isArray(change.delete)) throw new PlanInputError('delete', 'expected a list of MachineConfig names');
  if (change.apply.length === 0 && change.delete.length === 0)
    throw new PlanInputError('apply', 'nothing to plan: no MachineConfig to apply or delete');
  const seen = new Set<string>();
  change.apply.forEach((mc, i) => {
    const at = `apply[${i}]`;
    if (!isObject(mc)) throw new PlanInputError(at, 'expected an object');
    const kind = (mc as { kind?: unknown }).kind;
    if (kind !== 'MachineConfig')
      throw new PlanInputError(
        at,
        `kind ${JSON.stringify(kind ?? null)} is not MachineConfig (only MachineConfigs can be planned)`,
      );
    const apiVersion = (mc as { apiVersion?: unknown }).apiVersion;
    if (apiVersion !== MC_API_VERSION)
      throw new PlanInputError(at, `apiVersion ${JSON.stringify(apiVersion ?? null)} is not ${MC_API_VERSION}`);
    const name = isObject(mc.metadata) ? mc.metadata.name : undefined;
    if (typeof name !== 'string' || !DNS1123.test(name) || name.length > 253) {
      throw new PlanInputError(
        `${at}.metadata.name`,
        `${JSON.stringify(name ?? null)} is not a valid name (lower-case DNS-1123 subdomain)`,
      );
    }
    if (seen.has(name)) throw new PlanInputError(`${at}.metadata.name`, `MachineConfig ${name} appears twice`);
    seen.add(name);
    const old = existing.get(name);
    if (old && (old.metadata.ownerReferences ?? []).some((r) => r.kind === 'MachineConfigPool')) {
      throw new PlanInputError(
        at,
        `${name} is a rendered config the render controller owns; change the source MachineConfigs instead`,
      );
    }
    const labels = mc.metadata.labels;
    if (labels !== undefined && labels !== null && !isObject(labels))
      throw new PlanInputError(`${at}.metadata.labels`, 'expected an object');
    const selecting = pools.filter(
      (p) =>
        !isEmptySelector(p.spec?.machineConfigSelector) && matchesSelector(p.spec.machineConfigSelector, labels ?? {}),
    );
    if (selecting.length === 0) {
      const role = labels?.[ROLE_LABEL];
      const known = pools
        .map((p) => p.metadata.name)
        .sort()
        .join(', ');
      throw new PlanInputError(
        `${at}.metadata.labels`,
        role !== undefined
          ? `${ROLE_LABEL}=${role} selects no MachineConfigPool (pools: ${known})`
          : `MachineConfig ${name} has no ${ROLE_LABEL} label and its labels select no MachineConfigPool (pools: ${known})`,
      );
    }
  });
  change.delete.forEach((name, i) => {
    const at = `delete[${i}]`;
    if (typeof name !== 'string' || !existing.has(name))
      throw new PlanInputError(at, `MachineConfig ${JSON.stringify(name)} not found`);
    if (seen.has(name)) throw new PlanInputError(at, `MachineConfig ${name} is both applied and deleted`);
    if ((existing.get(name)!.metadata.ownerReferences ?? []).some((r) => r.kind === 'MachineConfigPool')) {
      throw new PlanInputError(
        at,
        `${name} is a rendered config: the render controller recreates it; delete its sources instead`,
      );
    }
  });
}

function flatten(a: DisruptionAction): PlanAction {
  const serviceName = a.reload?.serviceName ?? a.restart?.serviceName;
  return serviceName ? { type: a.type, serviceName } : { type: a.type };
}

const LEGACY: Record<LegacyAction, PlanAction> = {
  none: { type: 'None' },
  'reload crio': { type: 'Reload', serviceName: 'crio.service' },
  'restart crio': { type: 'Restart', serviceName: 'crio.service' },
  reboot: { type: 'Reboot' },
};

function itemsOf(d: DisruptionDecision): PlanItem[] {
  const out: PlanItem[] = [];
  for (const f of d.files)
    out.push({ kind: 'file', name: f.path, change: f.change, action: describeFileDecision(f, d.mode) });
  for (const u of d.units)
    out.push({ kind: 'unit', name: u.name, change: u.change, action: describeUnitDecision(u, d.mode) });
  if (d.sshkey.changed) out.push({ kind: 'sshkey', name: '', change: 'changed', action: describeSshKey(d) });
  return out;
}

const selects = (pool: MachineConfigPool, mc: MachineConfig | undefined) =>
  !!mc &&
  !isEmptySelector(pool.spec?.machineConfigSelector) &&
  matchesSelector(pool.spec.machineConfigSelector, mc.metadata?.labels ?? {});

/** The plan of `input.change`. Throws PlanInputError for proposed objects that cannot be planned at all. */
export function planChange(input: PlanInput): Plan {
  const existing = new Map(input.machineConfigs.map((mc) => [nameOf(mc), mc]));
  checkProposed(input.change, input.pools, existing);
  const next = new Map(existing);
  for (const name of input.change.delete) next.delete(name);
  for (const mc of input.change.apply) next.set(nameOf(mc), mc);
  const after = [...next.values()];
  const notes: string[] = [];

  const touched = input.pools.filter(
    (pool) =>
      input.change.apply.some((mc) => selects(pool, mc) || selects(pool, existing.get(nameOf(mc)))) ||
      input.change.delete.some((name) => selects(pool, existing.get(name))),
  );
  for (const name of input.change.delete) {
    if (!input.pools.some((p) => selects(p, existing.get(name))))
      notes.push(`${name} is selected by no pool: deleting it changes no rendered config`);
  }
  const { byPool } = poolMembership(input.pools, input.nodes);

  const pools = touched.map((pool): PoolPlan => {
    const currentName = pool.spec.configuration?.name ?? null;
    const current = currentName ? existing.get(currentName) : undefined;
    const members = byPool[pool.metadata.name] ?? [];
    const base = {
      pool: pool.metadata.name,
      currentConfig: currentName,
      nodeCount: members.length,
    };
    const nothing = {
      changes: null,
      actions: [],
      drain: false,
      reboot: false,
      mode: null,
      updateError: null,
      items: [],
      estimate: null,
    };
    const r = renderPool(pool, after, input.version, current, input.images);
    if (r.kind !== 'rendered') {
      const refused =
        r.kind === 'refused'
          ? r.message
          : 'This machineconfigpool is selecting all machineconfigs. A non-empty selector is required.';
      return {
        ...base,
        ...nothing,
        newConfig: null,
        unchanged: false,
        refused,
        sources: [],
        summary: 'Refused by the render controller: nothing changes on any node',
        rollout: { ...planRollout(pool, members, currentName ?? ''), batches: [], waiting: [] },
      };
    }
    const rollout = planRollout(pool, members, r.name);
    if (r.name === currentName) {
      return {
        ...base,
        ...nothing,
        newConfig: r.name,
        unchanged: true,
        refused: null,
        sources: r.order,
        summary: `No change: the pool still renders ${r.name}`,
        rollout: { ...rollout, batches: [] },
      };
    }
    const newMc: MachineConfig = {
      apiVersion: MC_API_VERSION,
      kind: 'MachineConfig',
      metadata: { name: r.name },
      spec: r.spec,
    };
    // Without a current config (a pool not rendered yet) every node gets the config at first boot: no update.
    const oldMc: MachineConfig = current ?? {
      apiVersion: MC_API_VERSION,
      kind: 'MachineConfig',
      metadata: { name: currentName ?? '' },
      spec: {},
    };
    let changes: ConfigDiff | null = null;
    try {
      changes = diffConfigs(oldMc, newMc);
    } catch (err) {
      notes.push(`pool ${pool.metadata.name}: no diff: ${(err as Error).message}`);
    }
    const d = decideDisruption({
      version: input.version,
      oldConfig: oldMc,
      newConfig: newMc,
      machineConfiguration: input.machineConfiguration ?? null,
      techPreview: input.techPreview,
    });
    const actions = d.mode === 'policy' ? d.actions.map(flatten) : (d.legacyActions ?? []).map((a) => LEGACY[a]);
    return {
      ...base,
      newConfig: r.name,
      unchanged: false,
      refused: null,
      sources: r.order,
      changes,
      actions,
      drain: d.drain,
      reboot: d.reboot,
      mode: d.mode,
      summary: describeDecision(d),
      updateError: d.error,
      items: itemsOf(d),
      rollout,
      estimate: rollout.paused ? null : estimateRollout(pool, members.length, rollout, input.events ?? []),
    };
  });
  return { version: input.version, pools, notes };
}

/**
 * The cluster's OpenShift version as its render controller last wrote it: the release-image-version annotation of
 * the rendered configs the pools target (the newest when they differ), or null.
 */
export function clusterVersionOf(machineConfigs: MachineConfig[], pools: MachineConfigPool[]): string | null {
  const byName = new Map(machineConfigs.map((mc) => [nameOf(mc), mc]));
  let best: string | null = null;
  const key = (v: string) =>
    v
      .split(/[.-]/)
      .slice(0, 3)
      .map((n) => Number(n) || 0);
  for (const p of pools) {
    const v = byName.get(p.spec?.configuration?.name ?? '')?.metadata.annotations?.[RELEASE_IMAGE_VERSION_ANNOTATION];
    if (!v) continue;
    if (best === null) best = v;
    else {
      const [a, b] = [key(v), key(best)];
      const i = a.findIndex((x, j) => x !== b[j]);
      if (i >= 0 && a[i] > b[i]) best = v;
    }
  }
  return best;
}
