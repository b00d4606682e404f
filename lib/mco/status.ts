// MachineConfigPool status (counts and conditions) from the pool's nodes, as the MCO node controller computes
// it (MCO pkg/controller/node/status.go calculateStatus, pkg/controller/common/layered_node_state.go), image-mode
// pools included (MachineOSConfig / MachineOSBuild, pkg/controller/common/mos_state.go).
import {
  NodeAnnotations,
  type Condition,
  type MachineConfigNode,
  type MachineConfigPool,
  type MachineOSBuild,
  type MachineOSConfig,
  type Node,
  type PoolStatusResult,
} from './types';
import { goQuote } from './goquote';

export interface PoolStatusOptions {
  /** The OpenShift version whose controller to imitate, e.g. "4.13", "4.16", "4.20.1". Default 4.16. */
  version?: string;
  /** The pool's MachineConfigNodes (4.20+): their NodeDegraded messages feed the degraded list. */
  machineConfigNodes?: readonly MachineConfigNode[];
  /** RFC 3339 time for conditions whose status changes. Default: the current time, to the second. */
  now?: string;
  /**
   * Image mode (4.19+, where on-cluster layering is on by default): the MachineOSConfig whose
   * spec.machineConfigPool names this pool, and its MachineOSBuild for the pool's config. Either one present
   * makes the pool layered (node_controller.go isLayeredPool). Ignored before 4.19 (OnClusterBuild was Tech Preview).
   */
  machineOSConfig?: MachineOSConfig | null;
  machineOSBuild?: MachineOSBuild | null;
}

/** `[major, minor]` of an OpenShift version string; the default (4.16) when absent or unparsable. */
export function parseOpenShiftVersion(version: string | undefined): [number, number] {
  const m = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  return m ? [Number(m[1]), Number(m[2])] : [4, 16];
}

function atLeast(v: [number, number], major: number, minor: number): boolean {
  return v[0] > major || (v[0] === major && v[1] >= minor);
}

const ann = (n: Node, key: string): string => n.metadata.annotations?.[key] ?? '';

/** current == desired, both set, state Done, and the image annotations agree (both absent for classic pools). */
export function isNodeDone(n: Node): boolean {
  const current = ann(n, NodeAnnotations.currentConfig);
  const desired = ann(n, NodeAnnotations.desiredConfig);
  return (
    current !== '' &&
    desired !== '' &&
    current === desired &&
    ann(n, NodeAnnotations.state) === 'Done' &&
    ann(n, NodeAnnotations.currentImage) === ann(n, NodeAnnotations.desiredImage)
  );
}

/** Done at the pool's target config (and, this being a classic pool, not targeting an image). */
export function isNodeUpdated(n: Node, pool: MachineConfigPool): boolean {
  return (
    isNodeDone(n) &&
    ann(n, NodeAnnotations.currentConfig) === (pool.spec?.configuration?.name ?? '') &&
    ann(n, NodeAnnotations.desiredImage) === ''
  );
}

/** Why the node is not schedulable for updates (the MCO's checkNodeReady), or null when it is ready. */
export function nodeNotReadyReason(n: Node): string | null {
  const name = n.metadata.name;
  for (const c of n.status?.conditions ?? []) {
    if (c.type === 'Ready' && c.status !== 'True') return `node ${name} is reporting NotReady=${c.status}`;
    if (c.type === 'DiskPressure' && c.status !== 'False') return `node ${name} is reporting OutOfDisk=${c.status}`;
    if (c.type === 'NetworkUnavailable' && c.status !== 'False')
      return `node ${name} is reporting NetworkUnavailable=${c.status}`;
  }
  if (n.spec?.unschedulable) return `node ${name} is reporting Unschedulable`;
  return null;
}

const isFailingState = (s: string) => s === 'Degraded' || s === 'Unreconcilable';

/** An update to a different config failed: the controller may retarget such a node, so it is not "unavailable". */
export function isNodeMCDFailing(n: Node): boolean {
  if (ann(n, NodeAnnotations.currentConfig) === ann(n, NodeAnnotations.desiredConfig)) return false;
  return isFailingState(ann(n, NodeAnnotations.state));
}

/** Not ready, or working towards (or not yet started on) a config and not failing. A drifted node is unavailable. */
export function isNodeUnavailable(n: Node): boolean {
  if (nodeNotReadyReason(n) !== null) return true;
  if (isNodeDone(n)) return false;
  return !isNodeMCDFailing(n);
}

export function isNodeDegraded(n: Node): boolean {
  return ann(n, NodeAnnotations.desiredConfig) !== '' && isFailingState(ann(n, NodeAnnotations.state));
}

// ---- image mode (release-4.19 and later: LayeredNodeState.IsDone / IsUnavailableForUpdate, mos_state.go)

const hasAnn = (n: Node, key: string) => Object.prototype.hasOwnProperty.call(n.metadata.annotations ?? {}, key);

/** isNodeImageDone: no image annotations at all is done; otherwise both set, non-empty and equal. */
function isNodeImageDone(n: Node): boolean {
  const d = NodeAnnotations.desiredImage;
  const c = NodeAnnotations.currentImage;
  if (!hasAnn(n, d) && !hasAnn(n, c)) return true;
  return ann(n, d) !== '' && ann(n, c) !== '' && ann(n, d) === ann(n, c);
}

/** LayeredNodeState.IsNodeDone: configs set and equal, images done, state Done. */
function isNodeDoneLayered(n: Node): boolean {
  const current = ann(n, NodeAnnotations.currentConfig);
  return (
    current !== '' &&
    current === ann(n, NodeAnnotations.desiredConfig) &&
    isNodeImageDone(n) &&
    ann(n, NodeAnnotations.state) === 'Done'
  );
}

/** A MachineOSBuild condition (Prepared, Building, Succeeded, Failed, Interrupted) is True. */
export function buildConditionTrue(mosb: MachineOSBuild | null | undefined, type: string): boolean {
  return (mosb?.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

/**
 * LayeredNodeState.IsDone (4.19+): Done at the pool's config; for a layered pool also running the
 * MachineOSConfig's current image (a node without a desired image, or a config without an image yet, is not)
 * and targeting the MachineOSBuild's config; for a classic pool, with no desired image annotation at all.
 */
function isNodeUpdatedLayered(
  n: Node,
  pool: MachineConfigPool,
  layered: boolean,
  mosc: MachineOSConfig | null,
  mosb: MachineOSBuild | null,
): boolean {
  const desired = ann(n, NodeAnnotations.desiredConfig);
  if (!isNodeDoneLayered(n) || desired !== (pool.spec?.configuration?.name ?? '')) return false;
  if (!layered) return !hasAnn(n, NodeAnnotations.desiredImage);
  const image = ann(n, NodeAnnotations.desiredImage);
  const target = mosc?.status?.currentImagePullSpec ?? '';
  return (
    !!mosc && image !== '' && target !== '' && image === target && !!mosb && desired === mosb.spec?.machineConfig?.name
  );
}

/**
 * The pool's MachineOSConfig (the first whose spec.machineConfigPool names it) and that config's MachineOSBuild for
 * the pool's target config, as node_controller.go getConfigAndBuild picks them; both null for a classic pool.
 */
export function poolImageBuild(
  pool: MachineConfigPool,
  configs: readonly MachineOSConfig[],
  builds: readonly MachineOSBuild[],
): { machineOSConfig: MachineOSConfig | null; machineOSBuild: MachineOSBuild | null } {
  const mosc = configs.find((c) => c.spec?.machineConfigPool?.name === pool.metadata.name) ?? null;
  if (!mosc) return { machineOSConfig: null, machineOSBuild: null };
  const target = pool.spec?.configuration?.name ?? '';
  const mosb =
    builds.find(
      (b) => b.spec?.machineOSConfig?.name === mosc.metadata.name && b.spec?.machineConfig?.name === target,
    ) ?? null;
  return { machineOSConfig: mosc, machineOSBuild: mosb };
}

function nowSeconds(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * SetMachineConfigPoolCondition: an identical condition (status, reason, message) leaves the list untouched;
 * otherwise the old one is removed and the new one appended, keeping lastTransitionTime when only reason or
 * message changed.
 */
export function setPoolCondition(conditions: Condition[], next: Condition): Condition[] {
  const current = conditions.find((c) => c.type === next.type);
  if (
    current &&
    current.status === next.status &&
    (current.reason ?? '') === (next.reason ?? '') &&
    (current.message ?? '') === (next.message ?? '')
  ) {
    return conditions;
  }
  const cond = { ...next };
  if (current && current.status === next.status) cond.lastTransitionTime = current.lastTransitionTime;
  return [...conditions.filter((c) => c.type !== next.type), cond];
}

/**
 * The pool's status as the controller would write it, from its nodes (use poolNodes) and its current status.
 * Counts: updated (Done at the target), ready (updated and schedulable), unavailable, degraded. Conditions
 * Updated, Updating, NodeDegraded, Degraded are set in that order onto the existing list (RenderDegraded and
 * others carried over), with the message format of the given OpenShift version:
 * - before 4.14 the update line is the bare rendered name, from 4.14 `MachineConfig <name>`;
 * - from 4.19 the Degraded message repeats the NodeDegraded message (before: "");
 * - from 4.20, with MachineConfigNodes, each MCN reporting NodeDegraded=True adds `Node <n> is reporting: "<MCN
 *   message>"` before the annotation-based entries, so a degraded node appears twice.
 * Image-mode pools (a MachineOSConfig or MachineOSBuild given, 4.19+): a node counts as updated only on the
 * MachineOSConfig's current image and the build's config; the update line adds ` / Image <pullspec>`; Updating
 * tells a pending or running build; from 4.20 a failed build stops Updating, ImageBuildDegraded makes the pool
 * Degraded ("Custom OS image build failed") and is cleared by a new or successful build. PinnedImageSetsDegraded
 * never makes a 4.19/4.20 pool Degraded (status.go declares the flag and never sets it); 4.20 pauses an image-mode
 * pool's Updating for it.
 */
export function calculatePoolStatus(
  pool: MachineConfigPool,
  nodes: readonly Node[],
  opts: PoolStatusOptions = {},
): PoolStatusResult {
  const version = parseOpenShiftVersion(opts.version);
  const now = opts.now ?? nowSeconds();
  const target = pool.spec?.configuration?.name ?? '';

  const imageMode = atLeast(version, 4, 19);
  const mosc = imageMode ? (opts.machineOSConfig ?? null) : null;
  const mosb = imageMode ? (opts.machineOSBuild ?? null) : null;
  const layered = mosc !== null || mosb !== null;

  const updated = imageMode
    ? nodes.filter((n) => isNodeUpdatedLayered(n, pool, layered, mosc, mosb))
    : nodes.filter((n) => isNodeUpdated(n, pool));
  const ready = updated.filter((n) => nodeNotReadyReason(n) === null);
  const unavailable = imageMode
    ? nodes.filter((n) => nodeNotReadyReason(n) !== null || (!isNodeDoneLayered(n) && !isNodeMCDFailing(n)))
    : nodes.filter(isNodeUnavailable);
  const degraded = nodes.filter(isNodeDegraded);

  const degradedReasons: string[] = [];
  if (atLeast(version, 4, 20) && opts.machineConfigNodes) {
    // The controller walks the pool's nodes' MCNs and takes the message of a NodeDegraded=True condition.
    for (const node of nodes) {
      const mcn = opts.machineConfigNodes.find(
        (m) => m.metadata.name === node.metadata.name || m.spec?.node?.name === node.metadata.name,
      );
      const cond = mcn?.status?.conditions?.find((c) => c.type === 'NodeDegraded' && c.status === 'True');
      if (cond) degradedReasons.push(`Node ${node.metadata.name} is reporting: ${goQuote(cond.message ?? '')}`);
    }
  }
  for (const n of degraded) {
    const reason = ann(n, NodeAnnotations.reason);
    if (reason !== '') degradedReasons.push(`Node ${n.metadata.name} is reporting: ${goQuote(reason)}`);
  }

  const machineCount = nodes.length;
  const allUpdated = updated.length === machineCount && ready.length === machineCount && unavailable.length === 0;
  const image = layered ? (mosc?.status?.currentImagePullSpec ?? '') : '';
  const updateLine = !atLeast(version, 4, 14)
    ? target
    : image !== ''
      ? `MachineConfig ${target} / Image ${image}` // getPoolUpdateLine
      : `MachineConfig ${target}`;
  const cond = (type: string, status: string, reason: string, message: string): Condition => ({
    type,
    status,
    reason,
    message,
    lastTransitionTime: now,
  });

  let conditions: Condition[] = (pool.status?.conditions ?? []).map((c) => ({ ...c }));
  let configuration = pool.status?.configuration;
  if (allUpdated) {
    conditions = setPoolCondition(conditions, cond('Updated', 'True', '', `All nodes are updated with ${updateLine}`));
    conditions = setPoolCondition(conditions, cond('Updating', 'False', '', ''));
    if (pool.spec?.configuration) configuration = structuredClone(pool.spec.configuration);
  } else {
    conditions = setPoolCondition(conditions, cond('Updated', 'False', '', ''));
    conditions = setPoolCondition(
      conditions,
      pool.spec?.paused
        ? cond('Updating', 'False', '', `Pool is paused; will not update to ${updateLine}`)
        : cond('Updating', 'True', '', `All nodes are updating to ${updateLine}`),
    );
  }

  // Image mode: while the pool waits for a build, Updating says so (4.19); from 4.20 a build failure stops it and a
  // pool degraded for another reason (by its incoming conditions) is paused instead.
  const incoming = (type: string) =>
    (pool.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
  const building = buildConditionTrue(mosb, 'Building') || buildConditionTrue(mosb, 'Prepared');
  if (mosc && !pool.spec?.paused) {
    const v420 = atLeast(version, 4, 20);
    if (v420 && (incoming('RenderDegraded') || incoming('NodeDegraded') || incoming('PinnedImageSetsDegraded'))) {
      conditions = setPoolCondition(
        conditions,
        cond('Updating', 'False', '', 'Pool update paused due to degraded condition'),
      );
    } else if (!mosb) {
      conditions = setPoolCondition(
        conditions,
        cond('Updating', 'True', '', `Pool is waiting for a new OS image build to start (mosc: ${mosc.metadata.name})`),
      );
    } else if (building) {
      conditions = setPoolCondition(
        conditions,
        cond('Updating', 'True', '', `Pool is waiting for OS image build to complete (mosb: ${mosb.metadata.name})`),
      );
    } else if (v420 && buildConditionTrue(mosb, 'Failed')) {
      conditions = setPoolCondition(
        conditions,
        cond(
          'Updating',
          'False',
          '',
          `Pool update stopped due to OS image build failure (mosb: ${mosb.metadata.name})`,
        ),
      );
    }
  }

  const nodeDegraded = degraded.length > 0;
  const nodeDegradedMessage = degradedReasons.join(', ');
  conditions = setPoolCondition(
    conditions,
    nodeDegraded
      ? cond(
          'NodeDegraded',
          'True',
          `${degraded.length} nodes are reporting degraded status on sync`,
          nodeDegradedMessage,
        )
      : cond('NodeDegraded', 'False', '', ''),
  );

  const renderDegraded = (pool.status?.conditions ?? []).some(
    (c) => c.type === 'RenderDegraded' && c.status === 'True',
  );
  // ImageBuildDegraded (set by the build controller) counts from 4.20, and the node controller clears it when a
  // new build runs or succeeded, when only the MachineOSConfig is left (a retry) or when neither object is.
  let buildDegraded = false;
  if (atLeast(version, 4, 20)) {
    buildDegraded = incoming('ImageBuildDegraded');
    const clear = (reason: string, message: string) => {
      conditions = setPoolCondition(conditions, cond('ImageBuildDegraded', 'False', reason, message));
      buildDegraded = false;
    };
    if (mosb) {
      if (building) clear('Building', 'New build started');
      else if (buildConditionTrue(mosb, 'Succeeded')) clear('BuildSuccess', 'Build completed successfully');
    } else if (buildDegraded) {
      if (mosc) clear('BuildPending', 'MachineOSConfig updated/created, waiting for MachineOSBuild');
      else clear('NoLayeredObjects', 'No layered pool objects found, clearing stale build degraded condition');
    }
  }

  if (nodeDegraded || renderDegraded || buildDegraded) {
    const message =
      nodeDegraded && atLeast(version, 4, 19)
        ? nodeDegradedMessage
        : buildDegraded
          ? 'Custom OS image build failed'
          : '';
    conditions = setPoolCondition(conditions, cond('Degraded', 'True', '', message));
  } else {
    conditions = setPoolCondition(conditions, cond('Degraded', 'False', '', ''));
  }

  const result: PoolStatusResult = {
    machineCount,
    updatedMachineCount: updated.length,
    readyMachineCount: ready.length,
    unavailableMachineCount: unavailable.length,
    degradedMachineCount: degraded.length,
    conditions,
  };
  if (configuration) result.configuration = configuration;
  if (pool.metadata.generation !== undefined) result.observedGeneration = pool.metadata.generation;
  return result;
}
