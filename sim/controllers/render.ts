// The render controller (MCO pkg/controller/render/render_controller.go): for each pool, select its
// MachineConfigs, merge them, name the result, create `rendered-<pool>-<hash>` when missing, and point
// pool.spec.configuration at it. From 4.16 a result that the nodes could not apply in place over the pool's current
// config is refused here (RenderDegraded), as render_controller.go generateAndValidateRenderedMachineConfig does.
import { isEmptySelector, MCO_API_VERSION } from '@/lib/mco';
import { renderPool as renderPoolConfig } from '@/lib/mco/plan/render-pool';
import {
  GENERATED_BY_ANNOTATION,
  RELEASE_IMAGE_VERSION_ANNOTATION,
  type MachineConfig,
  type MachineConfigPool,
} from '@/lib/mco/types';
import { recordEvent } from '../events';
import { asKind, type RawPool } from '../raw';
import type { KubeObject } from '../types';
import {
  Components,
  CONTROLLER_VERSION,
  type Controller,
  type ControllerOptions,
  errorMessage,
  involvedPool,
  nowTimestamp,
  setCondition,
} from './common';
import { createWorkQueue } from './queue';

const ALL = '*';

function ownedByPool(mc: KubeObject): boolean {
  const refs = (mc.metadata.ownerReferences as { kind?: string }[] | undefined) ?? [];
  return refs.some((r) => r.kind === 'MachineConfigPool');
}

export function startRenderController(opts: ControllerOptions & { debounceMs?: number }): Controller {
  const { store, version } = opts;
  const log = opts.log ?? (() => {});
  const warnedSelectingAll = new Set<string>();

  const setRenderDegraded = (pool: KubeObject, message: string | null) => {
    const now = nowTimestamp();
    store.update('machineconfigpools', pool.metadata.name, undefined, (raw) => {
      const p = asKind<RawPool>(raw);
      p.status = p.status ?? {};
      const next =
        message === null
          ? { type: 'RenderDegraded', status: 'False', reason: '', message: '' }
          : { type: 'RenderDegraded', status: 'True', reason: '', message };
      p.status.conditions = setCondition(p.status.conditions, next, now);
    });
  };

  const renderPool = (pool: MachineConfigPool, configs: MachineConfig[]) => {
    const name = pool.metadata.name;
    if (isEmptySelector(pool.spec.machineConfigSelector)) {
      if (!warnedSelectingAll.has(name)) {
        warnedSelectingAll.add(name);
        recordEvent(store, {
          ...involvedPool(pool as unknown as KubeObject),
          type: 'Warning',
          reason: 'SelectingAll',
          message: 'This machineconfigpool is selecting all machineconfigs. A non-empty selector is required.',
          component: Components.render,
        });
      }
      return;
    }
    warnedSelectingAll.delete(name);
    const currentName = pool.spec.configuration?.name;
    const current = currentName
      ? (store.get('machineconfigs', currentName) as unknown as MachineConfig | undefined)
      : undefined;
    const result = renderPoolConfig(pool, configs, version, current);
    if (result.kind !== 'rendered') {
      if (result.kind === 'refused') setRenderDegraded(pool as unknown as KubeObject, result.message);
      return;
    }
    const { name: renderedName, spec } = result;
    const merged = { spec, order: result.order };
    if (!store.get('machineconfigs', renderedName)) {
      store.create('machineconfigs', {
        apiVersion: MCO_API_VERSION,
        kind: 'MachineConfig',
        metadata: {
          name: renderedName,
          annotations: {
            [GENERATED_BY_ANNOTATION]: CONTROLLER_VERSION,
            [RELEASE_IMAGE_VERSION_ANNOTATION]: version,
          },
          ownerReferences: [
            {
              apiVersion: MCO_API_VERSION,
              kind: 'MachineConfigPool',
              name,
              uid: pool.metadata.uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: merged.spec as Record<string, unknown>,
      });
      recordEvent(store, {
        ...involvedPool(pool as unknown as KubeObject),
        type: 'Normal',
        reason: 'RenderedConfigGenerated',
        message: `${renderedName} successfully generated (release version: ${version}, controller version: ${CONTROLLER_VERSION})`,
        component: Components.render,
      });
      log(`rendered ${renderedName} for pool ${name}`);
    }
    const configuration = {
      name: renderedName,
      source: merged.order.map((n: string) => ({ apiVersion: MCO_API_VERSION, kind: 'MachineConfig', name: n })),
    };
    store.update('machineconfigpools', name, undefined, (raw) => {
      asKind<RawPool>(raw).spec.configuration = configuration;
    });
    // Never undefined: the update above throws NotFound for a pool that is gone.
    const fresh = store.get('machineconfigpools', name);
    if (!fresh) return;
    const rd = asKind<RawPool>(fresh).status?.conditions?.find((c) => c.type === 'RenderDegraded');
    if (!rd || rd.status !== 'False') setRenderDegraded(fresh, null);
  };

  const queue = createWorkQueue(
    opts.debounceMs ?? 50,
    (keys) => {
      const configs = store.list('machineconfigs') as unknown as MachineConfig[];
      const pools = keys.has(ALL)
        ? store.list('machineconfigpools')
        : [...keys].map((k) => store.get('machineconfigpools', k)).filter((p): p is KubeObject => !!p);
      for (const pool of pools) {
        try {
          renderPool(pool as unknown as MachineConfigPool, configs);
        } catch (err) {
          log(`render of pool ${pool.metadata.name} failed: ${errorMessage(err)}`);
        }
      }
    },
    (err) => log(`render controller: ${errorMessage(err)}`),
  );

  const unsubscribe = store.subscribe((e) => {
    if (e.resource === 'machineconfigs') {
      // A rendered config the controller made only matters when it disappears (it is then made again).
      if (!ownedByPool(e.object) || e.type === 'DELETED') queue.add(ALL);
    } else if (e.resource === 'machineconfigpools') {
      if (e.type === 'DELETED') return;
      if (e.type === 'ADDED' || JSON.stringify(e.previous?.spec) !== JSON.stringify(e.object.spec))
        queue.add(e.object.metadata.name);
    }
  });
  queue.add(ALL);

  return {
    idle: () => queue.idle(),
    stop() {
      unsubscribe();
      queue.stop();
    },
  };
}
