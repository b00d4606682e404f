// Builders for the Ignition pieces and MachineConfig objects of the demo cluster, in the shapes a real
// 4.16 cluster serves (field sets and defaults as `oc get mc -o yaml` shows them).
import type {
  IgnitionDropin,
  IgnitionFile,
  IgnitionUnit,
  MachineConfig,
  MachineConfigSpec,
  OwnerReference,
} from '@/lib/mco/types';
import { GENERATED_BY_ANNOTATION, ROLE_LABEL } from '@/lib/mco/types';
import { dataUrl } from './encode';

/** Octal permission bits as Ignition's decimal numbers. */
export const MODE = { rw_r_r: 0o644, rwx_rx_rx: 0o755, rw_only: 0o600, rwx_r_r: 0o744 } as const;

/** The MCO's version string on the demo's generated configs (a made-up commit, same length as the real ones). */
export const CONTROLLER_VERSION = '6c1f2e0b9d4a7853e21f0c9b8a6d5e4f3a2b1c0d';

/** The release payload's RHCOS image and extensions image (made-up digests). */
export const OS_IMAGE_URL =
  'quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:4f1c9e8b2d7a6053c1e9f8a7b6d5c4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7';
export const EXTENSIONS_IMAGE =
  'quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:a3b9d1c7e5f20486b1d3c5e7f9a2b4c6d8e0f1a3b5c7d9e2f4a6b8c0d1e3f5a7';

/** Fixed uids of the objects the generated configs point at (stable so the demo looks the same on every run). */
const CONTROLLER_CONFIG_UID = '5e0f3a8c-2b71-4d9e-a6c4-81f7d2b93e05';
const IMAGE_CONFIG_UID = 'c47d1b92-6e3a-4f08-9b5d-2a1e8c7f6d34';

export const controllerConfigOwner: OwnerReference = {
  apiVersion: 'machineconfiguration.openshift.io/v1',
  blockOwnerDeletion: true,
  controller: true,
  kind: 'ControllerConfig',
  name: 'machine-config-controller',
  uid: CONTROLLER_CONFIG_UID,
};

export const imageConfigOwner: OwnerReference = {
  apiVersion: 'config.openshift.io/v1',
  kind: 'Image',
  name: 'cluster',
  uid: IMAGE_CONFIG_UID,
};

/** A file as the controller templates write it: contents, mode, overwrite true, path. */
export function templateFile(path: string, mode: number, text: string): IgnitionFile {
  return { contents: { source: dataUrl(text) }, mode, overwrite: true, path };
}

/** A file with an already-built source (base64 or gzip data URL); compression given explicitly. */
export function encodedFile(path: string, mode: number, source: string, compression: string): IgnitionFile {
  return { contents: { compression, source }, mode, overwrite: true, path };
}

export function unit(name: string, fields: Omit<IgnitionUnit, 'name'>): IgnitionUnit {
  return { ...fields, name };
}

export function dropin(name: string, contents: string): IgnitionDropin {
  return { contents, name };
}

export interface ConfigBody {
  version: string;
  files?: IgnitionFile[];
  units?: IgnitionUnit[];
  users?: { name: string; sshAuthorizedKeys: string[] }[];
}

/** The raw Ignition JSON stored in spec.config (only the sections that have content, as the MCO marshals it). */
export function ignition(body: ConfigBody): Record<string, unknown> {
  const config: Record<string, unknown> = { ignition: { version: body.version } };
  if (body.users) config.passwd = { users: body.users };
  if (body.files?.length) config.storage = { files: body.files };
  if (body.units?.length) config.systemd = { units: body.units };
  return config;
}

export interface MachineConfigOptions {
  name: string;
  role: string;
  config: Record<string, unknown>;
  /** Set by MCO controllers; installer and user configs have none. */
  generated?: boolean;
  ownerReferences?: OwnerReference[];
  /** The full spec field set the Go structs serialise (controller and installer configs); users write less. */
  fullSpec?: boolean;
  osImages?: boolean;
  kernelArguments?: string[] | null;
}

export function machineConfig(o: MachineConfigOptions): MachineConfig {
  const spec: MachineConfigSpec = o.fullSpec
    ? {
        baseOSExtensionsContainerImage: o.osImages ? EXTENSIONS_IMAGE : '',
        config: o.config,
        fips: false,
        kernelArguments: o.kernelArguments ?? null,
        kernelType: '',
        osImageURL: o.osImages ? OS_IMAGE_URL : '',
      }
    : { config: o.config, ...(o.kernelArguments ? { kernelArguments: o.kernelArguments } : {}) };
  return {
    apiVersion: 'machineconfiguration.openshift.io/v1',
    kind: 'MachineConfig',
    metadata: {
      name: o.name,
      labels: { [ROLE_LABEL]: o.role },
      ...(o.generated ? { annotations: { [GENERATED_BY_ANNOTATION]: CONTROLLER_VERSION } } : {}),
      ...(o.ownerReferences ? { ownerReferences: o.ownerReferences } : {}),
    },
    spec,
  };
}
