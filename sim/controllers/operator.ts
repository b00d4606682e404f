// The operator's part of NodeDisruptionPolicy: the MachineConfiguration `cluster` (operator.openshift.io/v1) gets
// status.nodeDisruptionPolicyStatus.clusterPolicies (the release's defaults merged with spec.nodeDisruptionPolicy)
// and status.observedGeneration, which the daemons wait for before deciding by policy (MCO pkg/operator/sync.go
// syncMachineConfiguration, pkg/apihelpers/apihelpers.go MergeClusterPolicies). The CRD's validation of the spec is
// the API server's (sim/apiserver/validation.ts evaluates the CRD's CEL rules).
import { machineConfigurationStatus, type MachineConfiguration } from '@/lib/mco/disruption';
import { asKind, type RawMachineConfiguration } from '../raw';
import { deepEqual } from '../store';
import { type Controller, type ControllerOptions, errorMessage } from './common';
import { createWorkQueue } from './queue';

export const MACHINE_CONFIGURATION = 'cluster';

/** The status the operator writes for `mc` on `version` (only the fields it owns). */
export function operatorStatus(
  version: string,
  mc: Pick<MachineConfiguration, 'metadata' | 'spec'>,
): Record<string, unknown> {
  const computed = machineConfigurationStatus(version, mc);
  return {
    observedGeneration: mc.metadata.generation ?? 1,
    ...(computed ? { nodeDisruptionPolicyStatus: computed.nodeDisruptionPolicyStatus } : {}),
  };
}

export function startOperatorController(opts: ControllerOptions & { debounceMs?: number }): Controller {
  const { store, version } = opts;
  const log = opts.log ?? (() => {});

  const sync = () => {
    const mc = store.get('machineconfigurations', MACHINE_CONFIGURATION) as unknown as MachineConfiguration | undefined;
    if (!mc) return;
    const want = operatorStatus(version, mc);
    const status = (mc.status ?? {}) as Record<string, unknown>;
    if (Object.entries(want).every(([k, v]) => deepEqual(status[k], v))) return;
    store.update('machineconfigurations', MACHINE_CONFIGURATION, undefined, (raw) => {
      const o = asKind<RawMachineConfiguration>(raw);
      o.status = { ...(o.status ?? {}), ...operatorStatus(version, o) };
    });
  };

  const queue = createWorkQueue(
    opts.debounceMs ?? 20,
    () => {
      try {
        sync();
      } catch (err) {
        log(`operator: MachineConfiguration ${MACHINE_CONFIGURATION}: ${errorMessage(err)}`);
      }
    },
    (err) => log(`operator: ${errorMessage(err)}`),
  );
  const unsubscribe = store.subscribe((e) => {
    if (
      e.resource === 'machineconfigurations' &&
      e.type !== 'DELETED' &&
      e.object.metadata.name === MACHINE_CONFIGURATION
    )
      queue.add(MACHINE_CONFIGURATION);
  });
  queue.add(MACHINE_CONFIGURATION);
  return {
    idle: () => queue.idle(),
    stop() {
      unsubscribe();
      queue.stop();
    },
  };
}
