// Whether a node can move from one MachineConfig to another in place, or only by reprovisioning: the MCO's
// "reconcilable" checks (MCO pkg/controller/common/reconcile.go isConfigReconcilable / IsComponentConfigsReconcilable
// on release-4.16+, pkg/daemon/update.go reconcilable() on release-4.14). From 4.16 the render controller refuses such
// a config before any node sees it (pkg/controller/render/render_controller.go generateAndValidateRenderedMachineConfig);
// before that the daemon refuses it and the node goes Unreconcilable.
import { FORCE_FILE } from './constants';
import { parseIgnition } from './ignition';
import { componentNotReconcilableReason, notReconcilableReason } from './reason';
import type { IgnitionConfig, MachineConfig } from './types';

/** reflect.DeepEqual on decoded structs: absent, null and empty lists/objects compare equal; key order ignored. */
function canon(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) return v.length ? v.map((x) => canon(x) ?? null) : undefined;
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) {
      const c = canon((v as Record<string, unknown>)[k]);
      if (c !== undefined) out[k] = c;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v;
}
const same = (a: unknown, b: unknown) => JSON.stringify(canon(a)) === JSON.stringify(canon(b));

function ignitionOf(mc: MachineConfig): IgnitionConfig {
  return parseIgnition(mc.spec?.config ?? { ignition: { version: '3.4.0' } });
}

/** validatePasswdChanges / verifyUserFields: only the core user's SSH keys and password hash may change. */
function passwdError(o: IgnitionConfig, n: IgnitionConfig): string | null {
  if (!same(o.passwd?.groups, n.passwd?.groups)) return 'ignition Passwd Groups section contains changes';
  const users = n.passwd?.users ?? [];
  if (same(o.passwd?.users, users)) return null;
  if (users.some((u) => u.name !== 'core'))
    return 'ignition passwd user section contains unsupported changes: non-core user';
  const last = users[users.length - 1] as (Record<string, unknown> & { name: string }) | undefined;
  if (!last) return null;
  const keys = (last.sshAuthorizedKeys as unknown[] | undefined) ?? [];
  if (last.passwordHash == null && keys.length === 0) {
    return 'ignition passwd user section contains unsupported changes: user must be core and have 1 or more sshKeys';
  }
  const { name: _n, sshAuthorizedKeys: _k, passwordHash: _p, ...rest } = last;
  if (canon(rest) !== undefined) return 'SSH keys and password hash are not reconcilable';
  return null;
}

/**
 * isConfigReconcilable: why `newConfig` cannot be applied in place over `oldConfig` (the bare reason, e.g.
 * `ignition disks section contains changes`), or null. Throws McoError when an Ignition config cannot be parsed.
 */
export function reconcileReason(oldConfig: MachineConfig, newConfig: MachineConfig): string | null {
  const o = ignitionOf(oldConfig);
  const n = ignitionOf(newConfig);
  if (!same(o.passwd, n.passwd)) {
    const err = passwdError(o, n);
    if (err) return `invalid passwd change(s): ${err}`;
  }
  if (!same(o.kernelArguments, n.kernelArguments)) return 'ignition kargs section contains changes';
  for (const section of ['disks', 'filesystems', 'raid', 'directories'] as const) {
    if (!same(o.storage?.[section], n.storage?.[section])) return `ignition ${section} section contains changes`;
  }
  // Removing links is allowed (old configs shipped some); adding or changing them is not.
  if (!same(o.storage?.links, n.storage?.links) && (n.storage?.links ?? []).length > 0)
    return 'ignition links section contains changes';
  for (const f of n.storage?.files ?? []) {
    if ((f.append ?? []).length > 0) return `ignition file ${f.path} includes append`;
    if (f.path === FORCE_FILE) return `cannot create ${f.path} via Ignition`;
  }
  if (Boolean(oldConfig.spec?.fips) !== Boolean(newConfig.spec?.fips)) {
    return 'detected change to FIPS flag; refusing to modify FIPS on a running cluster';
  }
  return null;
}

/** isReconcilable for one component config: `new machineconfig "<old>" is not reconcilable against "<new>": <reason>`. */
export function componentReconcileError(current: MachineConfig, component: MachineConfig): string | null {
  const reason = reconcileReason(current, component);
  return reason === null
    ? null
    : componentNotReconcilableReason(current.metadata.name, component.metadata.name, reason);
}

/**
 * The render controller's refusal (4.16+), without the `Failed to render configuration for pool <p>: ` prefix:
 * `reconciliation failed between current config "<rendered>" and base config "<mc>": <reason>` naming the first
 * source config whose own reason appears in the whole config's error; else the fallback `render reconciliation
 * error: …; component errors: …`. Null when `generated` can be applied in place over `current`.
 */
export function renderReconcileError(
  current: MachineConfig,
  generated: MachineConfig,
  sources: MachineConfig[],
): string | null {
  const full = componentReconcileError(current, generated);
  if (full === null) return null;
  for (const cfg of sources) {
    const single = componentReconcileError(current, cfg);
    if (single === null) continue;
    const i = single.indexOf(': ');
    const reason = i >= 0 ? single.slice(i + 2) : '';
    if (i >= 0 && full.includes(reason)) {
      return `reconciliation failed between current config ${JSON.stringify(current.metadata.name)} and base config ${JSON.stringify(cfg.metadata.name)}: ${reason}`;
    }
  }
  let comp: string | null = null;
  for (const cfg of sources) if ((comp = componentReconcileError(current, cfg))) break;
  return `render reconciliation error: ${full}; component errors: ${comp ?? '<nil>'}`;
}

/**
 * The daemon's reason after `can't reconcile config <old> with <new>: `: the bare reason before 4.16 (update.go
 * reconcilable()), the wrapped `configs A, B are not reconcilable: new machineconfig "A" is not reconcilable against
 * "B": <reason>` from 4.16 (where the render controller normally refuses first). Null when reconcilable.
 */
export function daemonReconcileError(minor: number, oldConfig: MachineConfig, newConfig: MachineConfig): string | null {
  const reason = reconcileReason(oldConfig, newConfig);
  if (reason === null) return null;
  if (minor < 16) return reason;
  const a = oldConfig.metadata.name;
  const b = newConfig.metadata.name;
  return notReconcilableReason(a, b, componentNotReconcilableReason(a, b, reason));
}
