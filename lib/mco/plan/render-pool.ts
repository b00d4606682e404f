// One pass of the render controller for one pool, as a pure function: select the pool's MachineConfigs, merge them,
// name the result, and (from 4.16) refuse a result the nodes could not apply in place over the pool's current config
// (MCO pkg/controller/render/render_controller.go syncGeneratedMachineConfig / generateAndValidateRenderedMachineConfig).
// The simulator's render controller and the console's plans both call this, so a plan and what the simulator then
// renders cannot disagree.
import { MCO_API_VERSION } from '../constants';
import { ocpMinor } from '../disruption/version';
import { isEmptySelector } from '../pools';
import { renderReconcileError } from '../reconcile';
import { mergeMachineConfigs, renderedConfigName, selectMachineConfigs, type RenderDefaults } from '../render';
import type { LabelSelector, MachineConfig, MachineConfigPool, MachineConfigSpec } from '../types';

export type PoolRender =
  /** An empty machineConfigSelector: the MCO renders nothing and records the SelectingAll event. */
  | { kind: 'selectingAll' }
  /** The render controller's RenderDegraded message, with its `Failed to render configuration for pool <p>: ` prefix. */
  | { kind: 'refused'; message: string; stage: 'select' | 'render' | 'reconcile' }
  | { kind: 'rendered'; name: string; spec: MachineConfigSpec; order: string[]; sources: MachineConfig[] };

/** labels.Selector String() of a LabelSelector, as Go formats it inside MCO error messages. */
export function selectorString(sel: LabelSelector | undefined): string {
  if (!sel) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.sort().join(',');
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Renders `pool` from `configs` (every MachineConfig of the cluster; rendered ones carry no role label and are not
 * selected). `current`: the MachineConfig named by pool.spec.configuration, when it exists. `version`: the cluster's
 * OpenShift version (merge rules and whether the reconcile refusal applies). `images`: the ControllerConfig's
 * osImageURL and baseOSExtensionsContainerImage where known (the simulator has none).
 */
export function renderPool(
  pool: MachineConfigPool,
  configs: MachineConfig[],
  version: string,
  current?: MachineConfig,
  images: Pick<RenderDefaults, 'osImageURL' | 'baseOSExtensionsContainerImage'> = {},
): PoolRender {
  const name = pool.metadata.name;
  if (isEmptySelector(pool.spec?.machineConfigSelector)) return { kind: 'selectingAll' };
  const fail = (stage: 'select' | 'render' | 'reconcile', err: string): PoolRender => ({
    kind: 'refused',
    stage,
    message: `Failed to render configuration for pool ${name}: ${err}`,
  });
  const selected = selectMachineConfigs(pool, configs);
  if (selected.length === 0) {
    return fail(
      'select',
      `no MachineConfigs found matching selector ${selectorString(pool.spec.machineConfigSelector)}`,
    );
  }
  let merged;
  let renderedName: string;
  try {
    merged = mergeMachineConfigs(selected, { ...images, ocpVersion: version });
    renderedName = renderedConfigName(name, merged.spec);
  } catch (err) {
    return fail('render', `could not generate rendered MachineConfig: ${message(err)}`);
  }
  let minor = 0;
  try {
    minor = ocpMinor(version);
  } catch {
    // An unknown version string: no reconcile refusal (the pre-4.16 behaviour).
  }
  // Checked even when the result is the current config: the new side alone can be refused (a file with `append`,
  // the force file), as render_controller.go getRenderedMachineConfig validates whenever the pool has a config.
  if (current && minor >= 16) {
    let refusal: string | null;
    try {
      const generated = {
        apiVersion: MCO_API_VERSION,
        kind: 'MachineConfig',
        metadata: { name: renderedName },
        spec: merged.spec,
      } as MachineConfig;
      refusal = renderReconcileError(current, generated, selected);
    } catch (err) {
      refusal = message(err);
    }
    // syncGeneratedMachineConfig wraps every error of getRenderedMachineConfig, the reconcile refusal included.
    if (refusal) return fail('reconcile', `could not generate rendered MachineConfig: ${refusal}`);
  }
  return { kind: 'rendered', name: renderedName, spec: merged.spec, order: merged.order, sources: selected };
}
