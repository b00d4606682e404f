// Small builders for lib/mco tests (not used by the application).
import { ROLE_LABEL, type MachineConfig, type MachineConfigSpec } from './types';

export function mc(
  name: string,
  role: string | null,
  config: Record<string, unknown> | null,
  spec: Omit<MachineConfigSpec, 'config'> = {},
  annotations?: Record<string, string>,
): MachineConfig {
  return {
    apiVersion: 'machineconfiguration.openshift.io/v1',
    kind: 'MachineConfig',
    metadata: {
      name,
      ...(role === null ? {} : { labels: { [ROLE_LABEL]: role } }),
      ...(annotations ? { annotations } : {}),
    },
    spec: { ...(config ? { config } : {}), ...spec },
  };
}

export const ign = (extra: Record<string, unknown> = {}, version = '3.4.0') => ({ ignition: { version }, ...extra });

export const file = (path: string, fields: Record<string, unknown> = {}) => ({ path, ...fields });

export const dataUrl = (text: string) => `data:,${encodeURIComponent(text)}`;
