// MachineConfigs written by the cluster's administrators, the way they are usually written (Butane output
// applied with `oc apply`): only the spec fields they set, no controller annotation, no owner.
import type { IgnitionFile, MachineConfig } from '@/lib/mco/types';
import { dataUrl } from './encode';
import { ignition, machineConfig, MODE } from './ignition';
import { crioCrunDropin } from './runtime';

/** A file as Butane emits it: inline contents with an empty compression, no overwrite (the MCO sets it). */
function butaneFile(path: string, text: string, mode?: number): IgnitionFile {
  return { contents: { compression: '', source: dataUrl(text) }, ...(mode === undefined ? {} : { mode }), path };
}

export const INOTIFY_WORKER_TEXT =
  '# Raised for the CI runners: each build pod watches its whole checkout.\n' +
  'fs.inotify.max_user_watches = 524288\nfs.inotify.max_user_instances = 8192\n';

export const INOTIFY_INFRA_TEXT =
  '# Infra nodes run the log collectors, which watch every container log file on the node.\n' +
  'fs.inotify.max_user_watches = 1048576\nfs.inotify.max_user_instances = 16384\n';

export const WORKER_KARGS = ['audit=1', 'audit_backlog_limit=8192'];

/** Worker configs: crun as CRI-O's default runtime, audit kernel arguments, and a raised inotify limit. */
export function workerUserConfigs(): MachineConfig[] {
  return [
    machineConfig({
      name: '99-worker-crun-runtime',
      role: 'worker',
      config: ignition({
        version: '3.4.0',
        files: [butaneFile('/etc/crio/crio.conf.d/99-crun-runtime', crioCrunDropin, MODE.rw_r_r)],
      }),
    }),
    machineConfig({
      name: '99-worker-kargs',
      role: 'worker',
      kernelArguments: WORKER_KARGS,
      config: ignition({ version: '3.2.0' }),
    }),
    // No mode: the merge keeps 00-worker's mode while this config's contents win (a field-wise override).
    machineConfig({
      name: '99-worker-sysctl-inotify',
      role: 'worker',
      config: ignition({ version: '3.2.0', files: [butaneFile('/etc/sysctl.d/inotify.conf', INOTIFY_WORKER_TEXT)] }),
    }),
  ];
}

/**
 * The infra pool's own config. Its inotify file wins over 99-worker-sysctl-inotify although it sorts first by
 * name: the MCO merges the worker-role configs first and the custom role's after them.
 */
export function infraUserConfigs(): MachineConfig[] {
  return [
    machineConfig({
      name: '99-infra-sysctl',
      role: 'infra',
      config: ignition({
        version: '3.4.0',
        files: [
          butaneFile(
            '/etc/sysctl.d/99-infra-router.conf',
            '# Router and ingress tuning for the infra nodes (HAProxy handles many short connections).\n' +
              'net.core.somaxconn = 32768\nnet.ipv4.ip_local_port_range = 10240 65000\n' +
              'net.ipv4.tcp_tw_reuse = 1\nnet.netfilter.nf_conntrack_max = 1048576\n',
            MODE.rw_r_r,
          ),
          butaneFile('/etc/sysctl.d/inotify.conf', INOTIFY_INFRA_TEXT, MODE.rw_r_r),
        ],
      }),
    }),
  ];
}
