// One simulated machine-config-daemon per node (MCO pkg/daemon/daemon.go, update.go, writer.go,
// on_disk_validation.go). It is a state machine driven by the node's annotations and its filesystem, so a daemon
// restarted at any point carries on where the last one stopped:
//   - no /etc/machine-config-daemon/currentconfig yet: first boot, write the whole current config, Done;
//   - currentconfig on disk differs from the currentConfig annotation: we booted into a new config, validate it,
//     uncordon, Done;
//   - force file present, or desiredConfig differs: update (preflight, Working, reconcilable, the disruption decision
//     of lib/mco/disruption, drain when it says so, write, then reboot or reload/restart services in place);
//   - otherwise steady: the drift monitor watches the managed files; drift → Degraded; files fixed → Done.
import {
  checkFile,
  poolMembership,
  unitEnablementCheck,
  type ActualFile,
  type MachineConfigPool,
  type Node,
} from '@/lib/mco';
import { ignitionOrigin } from '@/lib/mco/ignition';
import { FORCE_FILE, MCO_API_VERSION as MCN_API, NodeAnnotations as A } from '@/lib/mco/constants';
import { unreconcilableReason, validationReason as wrapped } from '@/lib/mco/reason';
import {
  CRIO_SERVICE,
  UPDATE_CA_TRUST_SERVICE,
  decideDisruption,
  ocpMinor,
  type DisruptionAction,
  type DisruptionDecision,
  type MachineConfiguration,
} from '@/lib/mco/disruption';
import { daemonReconcileError } from '@/lib/mco/reconcile';
import type { MachineConfig } from '@/lib/mco/types';
import { recordEvent } from '../events';
import { asKind, type RawMachineConfigNode } from '../raw';
import { StoreError, type KubeObject, type Store, type StoreEvent } from '../types';
import { configPlan, type ConfigPlan } from './config-plan';
import type { NodeJournal } from './journal';
import { dirname, isNodeFSError, removeTree, type NodeFS, type NodeWatch } from './nodefs';
import { disableUnits, enableUnits, evalSymlinks, removeAll, SYSTEMD_DIR, unitFileState, writeMask } from './systemd';

export const CURRENT_CONFIG_FILE = '/etc/machine-config-daemon/currentconfig';
const COMPONENT = 'machineconfigdaemon';
const MAX_REASON = 2000;
const POLICIES_NOT_READY = 'NodeDisruptionPolicyStatus was not ready';

export interface DaemonTimings {
  /** How long a reboot keeps the node NotReady. */
  rebootMs: number;
  /** Fallback poll while waiting for the drain controller (store events usually wake the daemon first). */
  drainPollMs?: number;
  /**
   * The first retry after a failed sync (default 1 s), doubled per consecutive failure up to `maxRetryMs` (default
   * 60 s): MCO pkg/daemon/daemon.go queues a failed sync with ItemExponentialFailureRateLimiter(1s, maxUpdateBackoff).
   */
  retryMs?: number;
  maxRetryMs?: number;
  /**
   * How long an update waits for the MachineConfiguration's policy status to be ready (default 2 min), polling every
   * `policyPollMs` (default 5 s), before it fails: MCO pkg/daemon/update.go calculatePostConfigChangeNodeDisruptionAction.
   */
  policyWaitMs?: number;
  policyPollMs?: number;
}

export interface DaemonOptions {
  store: Store;
  nodeName: string;
  fs: NodeFS;
  timings: DaemonTimings;
  /** Maintain the node's MachineConfigNode (OpenShift 4.20+). */
  mcn?: boolean;
  /**
   * The OpenShift version the daemon behaves as ("4.14", "4.16", "4.20"): the disruption decision, messages.
   * Defaults to 4.14 (the fixed legacy lists, which need no MachineConfiguration).
   */
  version?: string;
  /** Where the node records the services reloaded or restarted and its boots (none: not recorded). */
  journal?: NodeJournal;
  /**
   * The node folder was made before the simulator kept systemd enablement links: link (and unlink) the units of the
   * config on disk once, as Ignition did at the node's first boot, before anything validates them.
   */
  addUnitLinks?: boolean;
  /** Diagnostics; defaults to console.warn for problems only. */
  log?: (line: string) => void;
}

export interface RunningDaemon {
  stop(): Promise<void>;
  /** Resolves when the daemon has nothing to do right now (no sync queued or running, no reboot in progress). */
  idle(): Promise<void>;
}

// ---- one store subscription for all daemons of a store (thousands of nodes must not mean thousands of listeners)

interface Hub {
  byNode: Map<string, Set<Daemon>>;
  all: Set<Daemon>;
  unsubscribe: () => void;
}
const hubs = new WeakMap<Store, Hub>();

function join(store: Store, d: Daemon) {
  let hub = hubs.get(store);
  if (!hub) {
    const h: Hub = { byNode: new Map(), all: new Set(), unsubscribe: () => {} };
    h.unsubscribe = store.subscribe((e: StoreEvent) => {
      if (e.resource === 'nodes') h.byNode.get(e.object.metadata.name)?.forEach((x) => x.nodeChanged());
      else if (e.resource === 'machineconfigs') h.all.forEach((x) => x.waitingForConfig && x.kick());
      else if (e.resource === 'machineconfigpools') h.all.forEach((x) => x.waitingForPool && x.kick());
      else if (e.resource === 'machineconfignodes' && e.type === 'DELETED')
        h.byNode.get(e.object.metadata.name)?.forEach((x) => x.kick());
      else if (e.resource === 'machineconfigurations') h.all.forEach((x) => x.waitingForPolicies && x.kick());
    });
    hubs.set(store, h);
    hub = h;
  }
  hub.all.add(d);
  if (!hub.byNode.has(d.name)) hub.byNode.set(d.name, new Set());
  hub.byNode.get(d.name)!.add(d);
}

function leave(store: Store, d: Daemon) {
  const hub = hubs.get(store);
  if (!hub) return;
  hub.all.delete(d);
  hub.byNode.get(d.name)?.delete(d);
  if (hub.byNode.get(d.name)?.size === 0) hub.byNode.delete(d.name);
  if (hub.all.size === 0) {
    hub.unsubscribe();
    hubs.delete(store);
  }
}

// ---- helpers

const errMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));
const trunc = (s: string) => (s.length > MAX_REASON ? s.slice(0, MAX_REASON) : s);
const nowIso = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

const MCN_TYPES = [
  'UpdatePrepared',
  'UpdateExecuted',
  'UpdatePostActionComplete',
  'UpdateComplete',
  'Updated',
  'Resumed',
  'Drained',
  'AppliedFilesAndOS',
  'Cordoned',
  'Uncordoned',
  'RebootedNode',
  'NodeDegraded',
  'PinnedImageSetsProgressing',
  'PinnedImageSetsDegraded',
] as const;

interface CondUpdate {
  type: (typeof MCN_TYPES)[number];
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

class Daemon implements RunningDaemon {
  readonly name: string;
  waitingForConfig = false;
  waitingForPool = false;
  waitingForPolicies = false;

  private store: Store;
  private fs: NodeFS;
  private timings: Required<DaemonTimings>;
  private mcn: boolean;
  private version: string;
  private journal: NodeJournal | undefined;
  private addUnitLinks: boolean;
  private log: (line: string) => void;

  private running = false;
  private dirty = false;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  /** Name of the config in /etc/machine-config-daemon/currentconfig; undefined until read, null when absent. */
  private diskConfig: string | null | undefined = undefined;
  /** False until the first validation after the daemon (re)started, like checkStateOnFirstRun. */
  private bootValidated = false;
  private rebooting = false;
  private bootDue = false;
  private driftPending = false;
  private monitor: { config: string; watch: NodeWatch } | null = null;
  /** Watches /run for the force file, which an admin may create at any time (`touch /rootfs/run/...`). */
  private forceWatch: NodeWatch | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timerAt = 0;
  private rebootTimer: ReturnType<typeof setTimeout> | null = null;
  private missingLogged = new Set<string>();
  /** The monitor was stopped for an update: its restart is announced (ConfigDriftMonitorStarted). */
  private monitorRestartPending = false;
  /** Consecutive failed syncs (the backoff exponent); a sync that does not fail resets it, like the queue's Forget. */
  private failures = 0;
  private failedNow = false;
  /** The update (`current→desired`) waiting for the policy status, and when its wait ends. */
  private policyWait: { update: string; until: number } | null = null;
  /** This pass only waited for the policy status: the failure backoff carries on (the MCD's sync was blocked). */
  private waitedNow = false;
  /** Set while the daemon writes its own Node, whose store event must not cut a failure backoff short. */
  private selfWrite = false;
  private selfDirty = false;

  constructor(opts: DaemonOptions) {
    this.store = opts.store;
    this.name = opts.nodeName;
    this.fs = opts.fs;
    this.mcn = opts.mcn ?? false;
    this.version = opts.version ?? '4.14';
    this.journal = opts.journal;
    this.addUnitLinks = opts.addUnitLinks ?? false;
    this.timings = {
      drainPollMs: 1000,
      retryMs: 1000,
      maxRetryMs: 60_000,
      policyWaitMs: 120_000,
      policyPollMs: 5000,
      ...opts.timings,
    };
    this.log = opts.log ?? ((line) => console.warn(`[mcd ${this.name}] ${line}`));
    join(this.store, this);
    this.kick();
  }

  // ---- scheduling

  /** A store event for this node: re-sync, unless it is the daemon's own write (see loop). */
  nodeChanged() {
    if (this.selfWrite) this.selfDirty = true;
    else this.kick();
  }

  kick() {
    if (this.stopped) return;
    this.dirty = true;
    if (this.running) return;
    this.running = true;
    setImmediate(() => void this.loop());
  }

  private async loop() {
    while (this.dirty && !this.stopped) {
      this.dirty = false;
      this.selfDirty = false;
      this.failedNow = false;
      this.waitedNow = false;
      try {
        await this.sync();
      } catch (err) {
        this.log(`sync failed, retrying: ${errMessage(err)}`);
        this.retryAfterFailure();
      }
      // The daemon's own Node writes re-sync it as before, except after a failure: then only the backoff does.
      if (!this.failedNow && !this.waitedNow) this.failures = 0;
      else this.selfDirty = false;
      if (this.selfDirty) this.dirty = true;
    }
    this.running = false;
    this.settle();
  }

  private busy() {
    return !this.stopped && (this.running || this.dirty || this.rebooting);
  }

  private settle() {
    if (this.busy()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    waiters.forEach((w) => w());
  }

  idle(): Promise<void> {
    if (!this.busy()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Schedules the retry of a failed sync with exponential backoff. */
  private retryAfterFailure() {
    this.failedNow = true;
    const ms = Math.min(this.timings.maxRetryMs, this.timings.retryMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    this.retryIn(ms);
  }

  private retryIn(ms: number) {
    if (this.stopped) return;
    const at = Date.now() + ms;
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.kick();
    }, ms);
  }

  async stop() {
    this.stopped = true;
    leave(this.store, this);
    this.stopMonitor();
    this.forceWatch?.close();
    this.forceWatch = null;
    if (this.timer) clearTimeout(this.timer);
    if (this.rebootTimer) clearTimeout(this.rebootTimer);
    this.timer = this.rebootTimer = null;
    while (this.running) await new Promise((r) => setTimeout(r, 5));
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    waiters.forEach((w) => w());
  }

  // ---- the state machine

  private async sync() {
    if (this.bootDue) await this.finishBoot();
    if (this.rebooting) return;
    const node = this.store.get('nodes', this.name);
    if (!node) {
      this.logOnce('node', `node ${this.name} not found; waiting for it`);
      return;
    }
    const ann = node.metadata.annotations ?? {};
    const annCurrent = ann[A.currentConfig];
    if (!annCurrent) return; // the MCS/node controller has not annotated the node yet
    if (ann[A.postConfigAction] === 'Rebooting') {
      // A reboot interrupted by a simulator restart: the node has come back.
      await this.finishBoot();
      return this.kick();
    }
    if (this.diskConfig === undefined) this.diskConfig = await this.readDiskConfig();
    await this.ensureForceWatch();
    if (this.mcn) this.ensureMCN(node);
    if (this.diskConfig === null) return this.firstBoot(annCurrent);
    if (this.addUnitLinks) await this.linkUnits(this.diskConfig);

    const current = this.diskConfig;
    const desired = ann[A.desiredConfig] || annCurrent;
    if (current !== annCurrent) {
      if (!this.bootValidated)
        this.log(`Disk currentConfig "${current}" overrides node's currentConfig annotation "${annCurrent}"`);
      return this.completeUpdate(current);
    }
    // Booted after a drained re-apply of the same config (the force file): updateConfigAndState still uncordons.
    if (!this.bootValidated && (ann[A.desiredDrain] ?? '').startsWith('drain-')) return this.completeUpdate(current);
    const force = await this.fs.exists(FORCE_FILE);
    if (force || desired !== current) return this.update(current, desired, force);
    return this.steady(current);
  }

  /** A folder from before enablement links: the disk config's `systemctl enable|disable`, once. */
  private async linkUnits(config: string) {
    const plan = this.plan(config);
    if (!plan) return;
    this.addUnitLinks = false;
    try {
      if (plan.enable.length) await enableUnits(this.fs, plan.enable, true);
      if (plan.disable.length) await disableUnits(this.fs, plan.disable, true);
    } catch (err) {
      this.log(`could not add the enablement links of ${config}: ${errMessage(err)}`);
    }
  }

  /** First start on an empty node: write every file and unit of the current config, then Done. */
  private async firstBoot(config: string) {
    const plan = this.plan(config);
    if (!plan) return;
    try {
      await this.apply(plan, null);
      await this.writeDiskConfig(plan);
    } catch (err) {
      this.setDegraded(errMessage(err));
      return this.retryAfterFailure();
    }
    this.bootValidated = true;
    await this.ensureMonitor(plan); // armed before Done is visible, so an edit right after is seen
    this.setDone(config, false);
    this.kick();
  }

  /** current == desired, no force file: validate when needed, keep the drift monitor running. */
  private async steady(current: string) {
    const plan = this.plan(current);
    if (!plan) return;
    const ann = this.annotations();
    const state = ann[A.state];
    const afterBoot = !this.bootValidated;
    const fromMonitor = this.driftPending;
    this.driftPending = false;
    if (state === 'Done' && !afterBoot && !fromMonitor) return await this.ensureMonitor(plan);

    const leaf = await this.validate(plan);
    this.bootValidated = true;
    if (leaf === null) {
      if (state !== 'Done' || ann[A.reason]) {
        // The sync loop's empty update (current == desired): nothing to apply, so no reboot; the node is uncordoned
        // and Done, and the drift monitor restarts (MCO pkg/daemon/daemon.go syncNode → update → finishRebootlessUpdate).
        // Re-arm before announcing Done (an edit may have removed a watched directory), so no later edit is missed.
        if (!afterBoot && state === 'Degraded') {
          this.stopMonitor(true);
          this.skippedReboot();
          this.event('Normal', 'Uncordon', `Update completed for config ${current} and node has been uncordoned`);
        } else this.stopMonitor();
        await this.ensureMonitor(plan);
        this.setDone(current, true);
      }
      return await this.ensureMonitor(plan);
    }
    const prevReason = ann[A.reason] ?? '';
    let reason: string;
    if (afterBoot) {
      reason = wrapped(current, leaf);
      if (reason !== prevReason || state !== 'Degraded') this.event('Warning', 'OnDiskStateValidationFailed', reason);
    } else if (fromMonitor) {
      // The Config Drift Monitor's error is the bare leaf; a Degraded node keeps its existing wording.
      reason = state === 'Degraded' && prevReason.startsWith(wrapped(current, '')) ? wrapped(current, leaf) : leaf;
      this.event('Warning', 'ConfigDriftDetected', leaf);
    } else if (state === 'Degraded') {
      // The sync loop's next pass on the Degraded node, queued by the monitor's own Node write or by the failure
      // backoff (1 s doubling to 60 s), finds state != Done and runs the update path: the preflight drift check fails
      // and its error replaces the monitor's bare one (MCO pkg/daemon/daemon.go syncNode → prepUpdateFromCluster →
      // runPreflightConfigDriftCheck, handleErr → AddRateLimited).
      // Each failed check records the event, as upstream does; repeats aggregate into one Event's count.
      reason = this.preflightReason(current, leaf);
      this.event('Warning', 'PreflightConfigDriftCheckFailed', reason);
    } else {
      reason = prevReason.startsWith(wrapped(current, '')) ? wrapped(current, leaf) : leaf;
    }
    this.setDegraded(reason);
    await this.ensureMonitor(plan);
    this.retryAfterFailure();
  }

  /**
   * An update from `current` to `desired` (equal when forced), as MCO pkg/daemon/update.go update() does it:
   * preflight, reconcilable, the post-config actions and drain decision (lib/mco/disruption), drain unless already
   * drained, write the files, then reboot or perform the actions in place (None, Reload, Restart, DaemonReload,
   * Special) and finish without a reboot.
   */
  private async update(current: string, desired: string, force: boolean) {
    this.stopMonitor(true);
    const oldPlan = this.plan(current);
    const newPlan = this.plan(desired);
    if (!oldPlan || !newPlan) return;
    const ann = this.annotations();
    const drainKey = `drain-${desired}`;
    // Mid-update: the drain was requested by an earlier pass (the preparation already ran).
    const drainRequested = ann[A.desiredDrain] === drainKey;
    if (drainRequested && ann[A.lastAppliedDrain] !== drainKey) return this.retryIn(this.timings.drainPollMs);

    let decision: DisruptionDecision;
    try {
      decision = decideDisruption({
        version: this.version,
        oldConfig: oldPlan.mc as unknown as MachineConfig,
        newConfig: newPlan.mc as unknown as MachineConfig,
        machineConfiguration: this.machineConfiguration(),
        forceFile: force,
      });
    } catch (err) {
      this.setDegraded(errMessage(err));
      return this.retryAfterFailure();
    }

    if (!drainRequested) {
      if (!force) {
        const leaf = await this.validate(oldPlan);
        if (leaf !== null) {
          const reason = this.preflightReason(current, leaf);
          this.event('Warning', 'PreflightConfigDriftCheckFailed', reason);
          this.setDegraded(reason);
          return this.retryAfterFailure();
        }
      } else {
        this.log(`Skipping preflight config drift check; ${FORCE_FILE} present`);
      }
      const state = ann[A.state];
      // update() never marks a Degraded or Unreconcilable node Working (it stays so until Done).
      if (state !== 'Degraded' && state !== 'Unreconcilable') this.annotate({ [A.state]: 'Working' });
      // update() checks reconcilable() even when current == desired (a force-file re-apply), so a config whose new
      // side alone is refused (a file with `append`) is refused there too (MCO pkg/daemon/update.go update).
      {
        let err: string | null;
        try {
          err = daemonReconcileError(
            ocpMinor(this.version),
            oldPlan.mc as unknown as MachineConfig,
            newPlan.mc as unknown as MachineConfig,
          );
        } catch (e) {
          err = `parsing new Ignition config failed: ${errMessage(e)}`;
        }
        if (err) {
          const reason = trunc(unreconcilableReason(current, desired, err));
          if (ann[A.state] !== 'Unreconcilable' || ann[A.reason] !== reason) {
            this.event('Warning', 'FailedToReconcile', reason);
            this.annotate({ [A.state]: 'Unreconcilable', [A.reason]: reason });
            this.setConditions([
              {
                type: 'UpdatePrepared',
                status: 'Unknown',
                reason: 'UpdatePrepared',
                message: `Update Failed compatibility validation. MachineConfigs ${current} and ${desired} are not compatible. Err: ${err}`,
              },
              {
                type: 'NodeDegraded',
                status: 'True',
                reason: 'NodeDegraded',
                message: `Node ${this.name} upgrade failure. ${reason}`,
              },
            ]);
          }
          return;
        }
      }
      this.setConditions(
        [{ type: 'Updated', status: 'False', reason: 'Updated', message: `Node ${this.name} needs an update` }],
        desired,
      );
      // The policy status is not ready (MachineConfiguration missing, or its status behind its generation): the
      // update waits for it (Working, nothing degraded yet) and fails only when the wait runs out; 4.16 (Tech
      // Preview) then falls back to the legacy decision instead of failing.
      const notReady =
        decision.legacyFallback ?? (decision.error?.startsWith(POLICIES_NOT_READY) ? decision.error : null);
      if (notReady && this.waitForPolicies(`${current}→${desired}`)) return;
      if (decision.error) {
        this.waitingForPolicies = decision.error.startsWith(POLICIES_NOT_READY);
        this.setConditions([
          {
            type: 'UpdatePrepared',
            status: 'Unknown',
            reason: 'UpdatePrepared',
            message: `Update Failed compatibility validation. MachineConfigs ${current} and ${desired} are not available for update. Error calculating post config change actions: ${decision.error}`,
          },
        ]);
        this.setDegraded(decision.error);
        return this.retryAfterFailure();
      }
      this.waitingForPolicies = false;
      this.policyWait = null;
      const legacy = decision.mode === 'legacy' ? `[${(decision.legacyActions ?? []).join(' ')}]` : '[]';
      this.setConditions(
        [
          {
            type: 'UpdatePrepared',
            status: 'True',
            reason: 'UpdatePrepared',
            message: `Update Compatible. Post Cfg Actions: ${legacy} Drain Required: ${decision.drain}`,
          },
        ],
        desired,
      );
      if (decision.drain && ann[A.lastAppliedDrain] !== drainKey) {
        // performDrain: the daemon announces the cordon and drain and asks the drain controller by annotation.
        this.event('Normal', 'Cordon', 'Cordoned node to apply update');
        this.event('Normal', 'Drain', 'Draining node to update config.');
        this.annotate({ [A.desiredDrain]: drainKey });
        this.setConditions([
          {
            type: 'UpdateExecuted',
            status: 'Unknown',
            reason: 'Drained',
            message:
              'Draining node. The drain will not be complete until desired drainer drain-' +
              desired +
              ' matches current drainer ' +
              (ann[A.lastAppliedDrain] ?? ''),
          },
          {
            type: 'Drained',
            status: 'Unknown',
            reason: 'UpdateExecutedDrained',
            message:
              'Draining node. The drain will not be complete until desired drainer drain-' +
              desired +
              ' matches current drainer ' +
              (ann[A.lastAppliedDrain] ?? ''),
          },
        ]);
        return this.retryIn(this.timings.drainPollMs);
      }
    }

    if (decision.drain) {
      const node = this.store.get('nodes', this.name);
      const unschedulable = Boolean((node?.spec as { unschedulable?: boolean } | undefined)?.unschedulable);
      this.setConditions([
        {
          type: 'Cordoned',
          status: 'True',
          reason: 'UpdateExecutedCordoned',
          message: `Cordoned node. The node is reporting Unschedulable = ${unschedulable}`,
        },
        {
          type: 'Drained',
          status: 'True',
          reason: 'UpdateExecutedDrained',
          message: `Drained node. The drain is complete as the desired drainer matches current drainer: ${drainKey}`,
        },
      ]);
    } else {
      this.setConditions([
        {
          type: 'UpdateExecuted',
          status: 'Unknown',
          reason: 'Drained',
          message: 'Node Drain Not required for this update.',
        },
        {
          type: 'Drained',
          status: 'False',
          reason: 'UpdateExecutedDrained',
          message: 'Node Drain Not required for this update.',
        },
      ]);
    }
    const os =
      decision.changes.osImageURL || decision.changes.extensions.changed || decision.changes.kernelType ? '' : 'not';
    const ssh = decision.changes.passwd ? '' : 'not';
    this.setConditions([
      {
        type: 'UpdateExecuted',
        status: 'Unknown',
        reason: 'AppliedFilesAndOS',
        message: 'Updating the Files and OS on disk as a part of the in progress phase',
      },
      {
        type: 'AppliedFilesAndOS',
        status: 'Unknown',
        reason: 'UpdateExecutedAppliedFilesAndOS',
        message: `Applying files and new OS config to node. OS will ${os} need an update. SSH Keys will ${ssh} need an update`,
      },
    ]);
    try {
      await this.apply(newPlan, current !== desired ? oldPlan : null);
      if (decision.forceFileConsumed || force)
        await this.fs.unlink(FORCE_FILE).catch((err) => {
          if (!isNodeFSError(err, 'ENOENT'))
            throw new Error(`failed to remove force validation file: ${errMessage(err)}`);
        });
      await this.writeDiskConfig(newPlan);
    } catch (err) {
      this.setDegraded(errMessage(err));
      return this.retryAfterFailure();
    }
    this.setConditions([
      {
        type: 'UpdateExecuted',
        status: 'True',
        reason: 'AppliedFilesAndOS',
        message: 'Updated the Files and OS on disk as a part of the in progress phase',
      },
      {
        type: 'AppliedFilesAndOS',
        status: 'True',
        reason: 'UpdateExecutedAppliedFilesAndOS',
        message: `Applied files and new OS config to node. OS did ${os} need an update. SSH Keys did ${ssh} need an update`,
      },
    ]);
    if (decision.reboot) {
      this.setConditions([
        { type: 'RebootedNode', status: 'Unknown', reason: 'RebootedNode', message: 'Upgrade requires a reboot.' },
      ]);
      return this.reboot(desired);
    }
    if (decision.mode === 'policy') this.performNodeDisruptionActions(decision.actions, desired);
    else this.performLegacyActions(decision.legacyActions ?? ['none'], desired);
    // finishRebootlessUpdate: the disk now names `desired`; the next pass completes the update (uncordon, Done).
    this.kick();
  }

  /**
   * calculatePostConfigChangeNodeDisruptionAction's wait (PollUntilContextTimeout, 5 s for 2 min) for the policy
   * status: true while it lasts (a later pass, a MachineConfiguration change or the poll looks again); false once it
   * has run out, and the update goes on to fail. A new wait starts with every new attempt, as each update() polls.
   */
  private waitForPolicies(update: string): boolean {
    const now = Date.now();
    if (this.policyWait?.update !== update) this.policyWait = { update, until: now + this.timings.policyWaitMs };
    if (now >= this.policyWait.until) {
      this.policyWait = null;
      return false;
    }
    this.waitingForPolicies = true;
    this.waitedNow = true;
    this.retryIn(Math.min(this.timings.policyPollMs, this.policyWait.until - now));
    return true;
  }

  /** performPostConfigChangeNodeDisruptionAction, for actions other than Reboot (Drain is done by then). */
  private performNodeDisruptionActions(actions: DisruptionAction[], config: string) {
    for (const a of actions) {
      switch (a.type) {
        case 'None':
          this.skippedReboot();
          break;
        case 'Restart': {
          const unit = a.restart?.serviceName ?? '';
          this.journal?.record({ action: 'restart', unit, config });
          this.event(
            'Normal',
            'ServiceRestart',
            `Config changes do not require reboot. Service ${unit} was restarted.`,
          );
          break;
        }
        case 'Reload':
        case 'Special': {
          // Special (registries.conf) reloads crio.
          const unit = a.type === 'Reload' ? (a.reload?.serviceName ?? '') : CRIO_SERVICE;
          this.journal?.record({ action: 'reload', unit, config });
          this.serviceReloaded(unit);
          break;
        }
        case 'DaemonReload':
          this.journal?.record({ action: 'daemon-reload', config });
          this.serviceReloaded('daemon-reload');
          break;
        default:
          break;
      }
    }
  }

  /** Nothing to do after the update (action None): the event and condition the MCO writes for it. */
  private skippedReboot() {
    this.event('Normal', 'SkipReboot', 'Config changes do not require reboot.');
    this.setConditions([
      { type: 'UpdatePostActionComplete', status: 'True', reason: 'None', message: 'Changes do not require a reboot' },
    ]);
  }

  /** executeReloadServiceNodeDisruptionAction after a successful reload. */
  private serviceReloaded(name: string) {
    this.setConditions([
      {
        type: 'UpdatePostActionComplete',
        status: 'True',
        reason: 'UpdatePostActionComplete',
        message: `Node has reloaded service ${name}`,
      },
    ]);
    this.event('Normal', 'ServiceReload', `Config changes do not require reboot. Service ${name} was reloaded.`);
  }

  /** performPostConfigChangeAction: the fixed lists of releases before NodeDisruptionPolicy (and first boot). */
  private performLegacyActions(actions: string[], config: string) {
    if (actions.includes('none')) {
      this.skippedReboot();
    }
    if (actions.includes('reload crio')) {
      this.journal?.record({ action: 'reload', unit: CRIO_SERVICE, config });
      this.setConditions([
        {
          type: 'UpdatePostActionComplete',
          status: 'True',
          reason: 'UpdatePostActionComplete',
          message: 'Node has reloaded CRIO',
        },
      ]);
      this.event('Normal', 'SkipReboot', 'Config changes do not require reboot. Service crio was reloaded.');
    }
    if (actions.includes('restart crio')) {
      this.journal?.record({ action: 'restart', unit: UPDATE_CA_TRUST_SERVICE, config });
      this.journal?.record({ action: 'restart', unit: CRIO_SERVICE, config });
    }
  }

  /** Booted into `current` (the disk config) while the annotation still names the old one: steps 8-10. */
  private async completeUpdate(current: string) {
    const plan = this.plan(current);
    if (!plan) return;
    const ann = this.annotations();
    const leaf = await this.validate(plan);
    this.bootValidated = true;
    if (leaf !== null) {
      const reason = wrapped(current, leaf);
      if (reason !== ann[A.reason] || ann[A.state] !== 'Degraded')
        this.event('Warning', 'OnDiskStateValidationFailed', reason);
      this.setDegraded(reason);
      await this.ensureMonitor(plan);
      return this.retryAfterFailure();
    }
    const key = `uncordon-${current}`;
    if (ann[A.desiredDrain] !== key) this.annotate({ [A.desiredDrain]: key });
    const node = this.store.get('nodes', this.name);
    if (node?.metadata.annotations?.[A.lastAppliedDrain] !== key) return this.retryIn(this.timings.drainPollMs);
    const unschedulable = Boolean((node.spec as { unschedulable?: boolean } | undefined)?.unschedulable);
    this.setConditions([
      {
        type: 'UpdateComplete',
        status: 'Unknown',
        reason: 'Uncordoned',
        message: 'Uncordoned Node as part of completing upgrade phase',
      },
      {
        type: 'Uncordoned',
        status: 'True',
        reason: 'UpdateCompleteUncordoned',
        message: `UnCordoned node. The node is reporting Unschedulable = ${unschedulable}`,
      },
    ]);
    this.event('Normal', 'Uncordon', `Update completed for config ${current} and node has been uncordoned`);
    this.stopMonitor();
    await this.ensureMonitor(plan);
    this.setDone(current, true);
  }

  private reboot(config: string) {
    this.rebooting = true;
    this.annotate({ [A.postConfigAction]: 'Rebooting' });
    this.event('Normal', 'Reboot', `Node will reboot into config ${config}`);
    this.setReady(false);
    this.rebootTimer = setTimeout(() => {
      this.rebootTimer = null;
      this.bootDue = true;
      this.kick();
    }, this.timings.rebootMs);
  }

  /** The node is back: /run (tmpfs) is empty, kubelet Ready, post-config-action cleared. */
  private async finishBoot() {
    this.bootDue = false;
    try {
      if (await this.fs.exists('/run')) {
        for (const name of await this.fs.readdir('/run')) await removeTree(this.fs, `/run/${name}`);
      }
    } catch (err) {
      this.log(`emptying /run after reboot: ${errMessage(err)}`);
    }
    this.setReady(true);
    this.journal?.record({ action: 'boot', config: this.annotations()[A.desiredConfig] ?? '' });
    this.annotate({ [A.postConfigAction]: '' });
    this.bootValidated = false;
    this.diskConfig = undefined;
    this.rebooting = false;
    this.setConditions([
      {
        type: 'UpdatePostActionComplete',
        status: 'True',
        reason: 'UpdatePostActionComplete',
        message: 'Node has rebooted',
      },
      {
        type: 'RebootedNode',
        status: 'True',
        reason: 'UpdatePostActionCompleteRebootedNode',
        message: 'Node has rebooted',
      },
    ]);
  }

  // ---- files

  private plan(config: string): ConfigPlan | null {
    const mc = this.store.get('machineconfigs', config);
    if (!mc) {
      this.waitingForConfig = true;
      this.logOnce(`mc:${config}`, `MachineConfig ${config} not found; waiting for it`);
      return null;
    }
    this.waitingForConfig = false;
    return configPlan(mc);
  }

  /**
   * runPreflightConfigDriftCheck's error: wrapped by validateOnDiskStateOrImage from release-4.14 (MCO b36f45110);
   * release-4.13 called validateOnDiskState, whose leaf went into the reason bare.
   */
  private preflightReason(current: string, leaf: string) {
    return ocpMinor(this.version) >= 14 ? wrapped(current, leaf) : leaf;
  }

  /** validateOnDiskState: the first mismatch in the daemon's order, or null. */
  private async validate(plan: ConfigPlan): Promise<string | null> {
    if (!plan.managed) return `failed to parse Ignition for validation: ${plan.parseError}`;
    // checkUnitEnabled follows a unit's content check from release-4.18 (spec 3 configs only: checkV2Unit has none).
    const enablement = ocpMinor(this.version) >= 18 && ignitionOrigin(plan.ignition!)?.spec !== 2;
    for (const expected of plan.managed) {
      const check = checkFile(expected, await this.readActual(expected.path, expected.masked === true));
      if (check.status !== 'ok') return check.reason ?? `validation failed for file "${expected.path}"`;
      if (enablement && expected.kind === 'unit' && !expected.masked && expected.enabled != null) {
        const unit = expected.unit!;
        const reason = unitEnablementCheck(unit, expected.enabled, await unitFileState(this.fs, unit));
        if (reason) return reason;
      }
    }
    return null;
  }

  /** lstat + read of `path`; `follow`: also EvalSymlinks of it (a masked unit's check follows the whole chain). */
  private async readActual(path: string, follow = false): Promise<ActualFile | null> {
    let st;
    try {
      st = await this.fs.lstat(path);
    } catch (err) {
      if (isNodeFSError(err, 'ENOENT') || isNodeFSError(err, 'ENOTDIR')) return null;
      throw err;
    }
    const evaluated = follow ? { evaluated: await evalSymlinks(this.fs, path) } : {};
    if (st.type === 'symlink')
      return {
        type: 'symlink',
        mode: st.mode,
        contents: null,
        linkTarget: await this.fs.readlink(path),
        ...evaluated,
      };
    if (follow) return { type: st.type, mode: st.mode, contents: null, ...evaluated };
    if (st.type !== 'file')
      return { type: st.type, mode: st.mode, contents: null, readError: `read ${path}: is a directory` };
    try {
      return { type: 'file', mode: st.mode, contents: await this.fs.readFile(path) };
    } catch (err) {
      return {
        type: 'file',
        mode: st.mode,
        contents: null,
        readError: `open ${path}: ${isNodeFSError(err) ? err.text.toLowerCase() : errMessage(err)}`,
      };
    }
  }

  /** Writes every file, unit and dropin of `plan`; removes what `old` managed and `plan` no longer does. */
  private async apply(plan: ConfigPlan, old: ConfigPlan | null) {
    if (!plan.ignition) throw new Error(`failed to parse Ignition: ${plan.parseError}`);
    const bad = plan.writes.find((w) => w.action === 'error');
    if (bad && bad.action === 'error') throw new Error(bad.error);
    const fs = this.fs;
    for (const w of plan.writes) {
      switch (w.action) {
        case 'write':
          // An enabled unit is disabled before it is rewritten, since its WantedBy= may change (OCPBUGS-33694);
          // the enable below links it again as the config says.
          if (w.unit && (await unitFileState(fs, w.unit)) === 'enabled') await disableUnits(fs, [w.unit]);
          await fs.mkdirp(dirname(w.path));
          await fs.writeFile(w.path, w.contents, w.mode);
          break;
        case 'mask':
          await writeMask(fs, w.path);
          break;
        case 'unmask':
          await removeAll(fs, w.path);
          break;
        case 'remove':
          await fs.unlink(w.path).catch((err) => {
            if (!isNodeFSError(err, 'ENOENT') && !isNodeFSError(err, 'ENOTDIR')) throw err;
          });
          break;
      }
    }
    // writeUnits: one `systemctl enable` for every enabled unit, then one `disable`; a failure fails the update.
    if (plan.enable.length) {
      const r = await enableUnits(fs, plan.enable, true);
      if (r.code !== 0) throw new Error(`error enabling units: ${r.messages.join('\n')}`);
    }
    if (plan.disable.length) {
      const r = await disableUnits(fs, plan.disable, true);
      if (r.code !== 0) throw new Error(`error disabling unit: ${r.messages.join('\n')}`);
    }
    if (old) {
      const keep = new Set(plan.writes.filter((w) => w.action === 'write' || w.action === 'mask').map((w) => w.path));
      // deleteStaleData removes a unit's file only when the new config no longer names the unit at all, after a
      // `systemctl preset` that (no preset naming a unit of a MachineConfig) disables it: its links go too.
      const units = new Set((plan.ignition.systemd?.units ?? []).map((u) => u.name));
      for (const u of units) keep.add(`${SYSTEMD_DIR}/${u}`);
      const gone = (old.ignition?.systemd?.units ?? []).filter((u) => !units.has(u.name) && u.contents);
      if (gone.length)
        await disableUnits(
          fs,
          gone.map((u) => u.name),
          true,
        );
      for (const w of old.writes) {
        if ((w.action === 'write' || w.action === 'mask') && !keep.has(w.path)) {
          await fs.unlink(w.path).catch(() => {});
        }
      }
    }
  }

  private async readDiskConfig(): Promise<string | null> {
    let bytes: Uint8Array;
    try {
      bytes = await this.fs.readFile(CURRENT_CONFIG_FILE);
    } catch (err) {
      if (isNodeFSError(err, 'ENOENT') || isNodeFSError(err, 'ENOTDIR')) return null;
      throw err;
    }
    const text = new TextDecoder().decode(bytes).trim();
    try {
      const name = (JSON.parse(text) as KubeObject)?.metadata?.name;
      if (typeof name === 'string' && name) return name;
    } catch {
      // fall through
    }
    this.log(`${CURRENT_CONFIG_FILE} is not a MachineConfig; treating the node as new`);
    return null;
  }

  private async writeDiskConfig(plan: ConfigPlan) {
    await this.fs.mkdirp(dirname(CURRENT_CONFIG_FILE));
    await this.fs.writeFile(CURRENT_CONFIG_FILE, plan.currentConfigBytes, 0o644);
    this.diskConfig = plan.name;
  }

  // ---- drift monitor

  /** Arms the Config Drift Monitor for `plan` (awaited, so `idle()` means edits from now on are seen). */
  private async ensureMonitor(plan: ConfigPlan) {
    if (this.monitor?.config === plan.name) return;
    this.stopMonitor();
    // Only paths that exist when the monitor starts are watched (MCO pkg/daemon/config_drift_monitor.go).
    const paths: string[] = [];
    for (const m of plan.managed ?? []) if (await this.fs.exists(m.path)) paths.push(m.path);
    if (this.stopped) return;
    const monitor = { config: plan.name, watch: { close() {} } as NodeWatch };
    monitor.watch = this.fs.watch(paths, () => {
      if (this.monitor !== monitor) return;
      this.driftPending = true;
      this.kick();
    });
    this.monitor = monitor;
    if (this.monitorRestartPending) {
      this.monitorRestartPending = false;
      this.event('Normal', 'ConfigDriftMonitorStarted', `Config Drift Monitor started, watching against ${plan.name}`);
    }
  }

  private async ensureForceWatch() {
    if (this.forceWatch || this.stopped) return;
    // A real node always has /run (tmpfs); make sure ours does, so `touch /rootfs/run/...` works.
    await this.fs.mkdirp('/run');
    if (this.stopped) return;
    this.forceWatch = this.fs.watch([FORCE_FILE], () => this.kick());
  }

  /** Stops the drift monitor; `announce` (for an update) records ConfigDriftMonitorStopped and its later restart. */
  private stopMonitor(announce = false) {
    const m = this.monitor;
    this.monitor = null;
    m?.watch.close();
    if (m && announce) {
      this.event('Normal', 'ConfigDriftMonitorStopped', 'Config Drift Monitor stopped');
      this.monitorRestartPending = true;
    }
  }

  /** The MachineConfiguration `cluster` (its status carries the merged NodeDisruptionPolicy). */
  private machineConfiguration(): MachineConfiguration | null {
    return (this.store.get('machineconfigurations', 'cluster') as unknown as MachineConfiguration | undefined) ?? null;
  }

  // ---- the Node object

  private annotations(): Record<string, string> {
    return this.store.get('nodes', this.name)?.metadata.annotations ?? {};
  }

  /** Writes only the given annotation keys (null deletes). */
  private annotate(changes: Record<string, string | null>) {
    this.updateNode((n) => {
      const ann = (n.metadata.annotations ??= {});
      for (const [k, v] of Object.entries(changes)) {
        if (v === null) delete ann[k];
        else ann[k] = v;
      }
    });
  }

  private updateNode(mutate: (n: KubeObject) => void) {
    this.selfWrite = true;
    try {
      this.store.update('nodes', this.name, undefined, (n) => {
        mutate(n);
      });
    } catch (err) {
      if (err instanceof StoreError && err.reason === 'NotFound') this.log(`node ${this.name} disappeared`);
      else throw err;
    } finally {
      this.selfWrite = false;
    }
  }

  private setDone(config: string, announce: boolean) {
    const ann = this.annotations();
    const changes: Record<string, string | null> = { [A.state]: 'Done', [A.currentConfig]: config, [A.reason]: '' };
    for (const k of [A.currentImage, A.desiredImage]) if (k in ann && !ann[k]) changes[k] = null;
    this.annotate(changes);
    if (announce) this.event('Normal', 'NodeDone', `Setting node ${this.name}, currentConfig ${config} to Done`);
    this.setConditions(
      [
        {
          type: 'Resumed',
          status: 'True',
          reason: 'Resumed',
          message: `In desired config ${config}. Resumed normal operations.`,
        },
        {
          type: 'UpdateComplete',
          status: 'True',
          reason: 'UpdateComplete',
          message: `In desired config ${config}. Resumed normal operations.`,
        },
        { type: 'Updated', status: 'True', reason: 'Updated', message: `Node ${this.name} Updated` },
        {
          type: 'NodeDegraded',
          status: 'False',
          reason: 'NodeDegraded',
          message: `Node ${this.name} upgrade succeeded`,
        },
      ],
      config,
      config,
    );
  }

  private setDegraded(reason: string) {
    const r = trunc(reason);
    const ann = this.annotations();
    if (ann[A.state] !== 'Degraded' || ann[A.reason] !== r) this.log(`Marking Degraded due to: ${JSON.stringify(r)}`);
    this.annotate({ [A.state]: 'Degraded', [A.reason]: r });
    this.setConditions([
      {
        type: 'NodeDegraded',
        status: 'True',
        reason: 'NodeDegraded',
        message: `Node ${this.name} upgrade failure. ${r}`,
      },
    ]);
  }

  private setReady(ready: boolean) {
    this.updateNode((n) => {
      const status = ((n as { status?: Record<string, unknown> }).status ??= {}) as {
        conditions?: Record<string, unknown>[];
      };
      const conditions = (status.conditions ??= []);
      let c = conditions.find((x) => x.type === 'Ready');
      if (!c) {
        c = { type: 'Ready' };
        conditions.push(c);
      }
      const now = nowIso();
      const want = ready ? 'True' : 'False';
      if (c.status !== want) c.lastTransitionTime = now;
      c.status = want;
      c.lastHeartbeatTime = now;
      c.reason = ready ? 'KubeletReady' : 'KubeletNotReady';
      c.message = ready ? 'kubelet is posting ready status' : 'node is rebooting';
    });
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string) {
    const node = this.store.get('nodes', this.name);
    try {
      recordEvent(this.store, {
        kind: 'Node',
        name: this.name,
        ...(node?.metadata.uid ? { uid: node.metadata.uid } : {}),
        type,
        reason,
        message,
        component: COMPONENT,
        host: this.name,
      });
    } catch (err) {
      this.log(`event ${reason}: ${errMessage(err)}`);
    }
  }

  private logOnce(key: string, line: string) {
    if (this.missingLogged.has(key)) return;
    this.missingLogged.add(key);
    this.log(line);
  }

  // ---- MachineConfigNode (4.20+)

  private ensureMCN(node: KubeObject) {
    const pools = this.store.list('machineconfigpools') as unknown as MachineConfigPool[];
    const { byPool } = poolMembership(pools, [node as unknown as Node]);
    const pool = Object.keys(byPool).find((p) => byPool[p].length > 0);
    if (!pool) {
      this.waitingForPool = true;
      this.logOnce('pool', `node ${this.name} is in no MachineConfigPool; MachineConfigNode not created yet`);
      return;
    }
    this.waitingForPool = false;
    const ann = node.metadata.annotations ?? {};
    const existing = this.store.get('machineconfignodes', this.name);
    try {
      if (!existing) {
        const now = nowIso();
        this.store.create('machineconfignodes', {
          apiVersion: MCN_API,
          kind: 'MachineConfigNode',
          metadata: {
            name: this.name,
            ownerReferences: node.metadata.uid
              ? [{ apiVersion: 'v1', kind: 'Node', name: this.name, uid: node.metadata.uid }]
              : undefined,
          },
          spec: {
            node: { name: this.name },
            pool: { name: pool },
            configVersion: { desired: ann[A.desiredConfig] || ann[A.currentConfig] || '' },
          },
          status: {
            conditions: MCN_TYPES.map((type) => ({
              type,
              status: 'False',
              reason: 'NotYetOccurred',
              message: `This node has not yet entered the ${type} phase`,
              lastTransitionTime: now,
            })),
            configVersion: {
              current: ann[A.currentConfig] ?? '',
              desired: ann[A.desiredConfig] || ann[A.currentConfig] || '',
            },
            observedGeneration: 1,
          },
        });
      } else if ((existing.spec as { pool?: { name?: string } } | undefined)?.pool?.name !== pool) {
        this.store.update('machineconfignodes', this.name, undefined, (m) => {
          asKind<RawMachineConfigNode>(m).spec.pool = { name: pool };
        });
      }
    } catch (err) {
      this.log(`MachineConfigNode: ${errMessage(err)}`);
    }
  }

  private setConditions(updates: CondUpdate[], desired?: string, current?: string) {
    if (!this.mcn || !this.store.get('machineconfignodes', this.name)) return;
    const now = nowIso();
    try {
      this.store.update('machineconfignodes', this.name, undefined, (raw) => {
        const m = asKind<RawMachineConfigNode>(raw);
        const status = (m.status ??= {});
        const conditions = (status.conditions ??= []);
        for (const u of updates) {
          const c = conditions.find((x) => x.type === u.type);
          if (!c) {
            conditions.push({
              type: u.type,
              lastTransitionTime: now,
              status: u.status,
              reason: u.reason,
              message: u.message,
            });
            continue;
          }
          if (c.status !== u.status) c.lastTransitionTime = now;
          Object.assign(c, { status: u.status, reason: u.reason, message: u.message });
        }
        status.configVersion ??= {};
        if (desired) status.configVersion.desired = desired;
        if (current) status.configVersion.current = current;
        status.observedGeneration = m.metadata.generation ?? 1;
      });
    } catch (err) {
      this.log(`MachineConfigNode: ${errMessage(err)}`);
    }
  }
}

/** Starts one simulated machine-config-daemon for `nodeName` on its filesystem. */
export function startDaemon(opts: DaemonOptions): RunningDaemon {
  return new Daemon(opts);
}
