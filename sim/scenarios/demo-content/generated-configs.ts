// The MachineConfigs the MCO's controllers and the installer create for a built-in role (master or worker):
// 00-<role>, 01-<role>-container-runtime, 01-<role>-kubelet, 97-/98-<role>-generated-kubelet,
// 99-<role>-generated-registries and 99-<role>-ssh.
import type { MachineConfig } from '@/lib/mco/types';
import { base64DataUrl } from './encode';
import {
  controllerConfigOwner,
  encodedFile,
  ignition,
  imageConfigOwner,
  machineConfig,
  MODE,
  templateFile,
  unit,
} from './ignition';
import { cloudConf, kubeletCleanupService, kubeletJson, kubeletService, kubeletYaml } from './kubelet';
import { crioDefault, crioMetricsProxy, policyJson, registriesGenerated, registriesTemplate } from './runtime';
import { kubensWrapper } from './scripts';
import { templateFiles } from './template-files';
import { templateUnits } from './template-units';

/** The MCO's internal Ignition version in 4.14-4.18. */
const MCO_IGNITION = '3.4.0';

/** Cgroup v2 arguments the node config controller adds (97-<role>-generated-kubelet). */
export const CGROUP_KARGS = ['systemd.unified_cgroup_hierarchy=1', 'cgroup_no_v1="all"', 'psi=1'];

/** The installer's key for user core (made up; not a usable key). */
export const DEMO_SSH_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPlumbDemoKeyNotRealXq7Rk2c9WzT4vYhN3mE8sLdJ0fGa admin@bastion.demo.plumb.example.com';

export function builtInRoleConfigs(role: 'master' | 'worker'): MachineConfig[] {
  const template = { generated: true, ownerReferences: [controllerConfigOwner], fullSpec: true, osImages: true };
  const generatedKubelet = (name: string, kernelArguments: string[] | null) =>
    machineConfig({
      name,
      role,
      generated: true,
      fullSpec: true,
      kernelArguments,
      config: ignition({
        version: MCO_IGNITION,
        files: [encodedFile('/etc/kubernetes/kubelet.conf', MODE.rw_r_r, base64DataUrl(kubeletJson(role)), '')],
      }),
    });

  return [
    machineConfig({
      ...template,
      name: `00-${role}`,
      role,
      config: ignition({ version: MCO_IGNITION, files: templateFiles(role), units: templateUnits(role) }),
    }),
    machineConfig({
      ...template,
      name: `01-${role}-container-runtime`,
      role,
      config: ignition({
        version: MCO_IGNITION,
        files: [
          templateFile('/etc/containers/registries.conf', MODE.rw_r_r, registriesTemplate),
          templateFile('/etc/crio/crio.conf.d/00-default', MODE.rw_r_r, crioDefault),
          templateFile('/etc/containers/policy.json', MODE.rw_r_r, policyJson),
        ],
      }),
    }),
    machineConfig({
      ...template,
      name: `01-${role}-kubelet`,
      role,
      config: ignition({
        version: MCO_IGNITION,
        files: [
          templateFile('/etc/kubernetes/cloud.conf', MODE.rw_r_r, cloudConf),
          templateFile('/etc/kubernetes/crio-metrics-proxy.cfg', MODE.rw_r_r, crioMetricsProxy),
          templateFile('/etc/kubernetes/kubelet.conf', MODE.rw_r_r, kubeletYaml),
          templateFile('/usr/local/bin/kubenswrapper', MODE.rwx_rx_rx, kubensWrapper),
        ],
        units: [
          unit('kubelet-cleanup.service', { contents: kubeletCleanupService, enabled: true }),
          unit('kubelet.service', { contents: kubeletService(role), enabled: true }),
        ],
      }),
    }),
    generatedKubelet(`97-${role}-generated-kubelet`, CGROUP_KARGS),
    generatedKubelet(`98-${role}-generated-kubelet`, null),
    machineConfig({
      name: `99-${role}-generated-registries`,
      role,
      generated: true,
      ownerReferences: [imageConfigOwner],
      fullSpec: true,
      config: ignition({
        version: MCO_IGNITION,
        files: [encodedFile('/etc/containers/registries.conf', MODE.rw_r_r, base64DataUrl(registriesGenerated), '')],
      }),
    }),
    machineConfig({
      name: `99-${role}-ssh`,
      role,
      fullSpec: true,
      // The installer writes this one at Ignition 3.2.0 and it stays so for the cluster's life.
      config: ignition({ version: '3.2.0', users: [{ name: 'core', sshAuthorizedKeys: [DEMO_SSH_KEY] }] }),
    }),
  ];
}
