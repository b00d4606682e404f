// Running a service action on a node through its machine-config-daemon pod, as an administrator would by hand: the
// daemon container has no systemd of its own, so the host's is reached with `chroot /rootfs systemctl …` (what
// `oc debug node/x -- chroot /host systemctl reload crio` does; the daemon itself runs chrooted into /rootfs).
import 'server-only';
import type * as k8s from '@kubernetes/client-node';
import type { PostRestoreAction } from '../lib/api/types';
import type { DaemonPod } from './cache';
import { HOST_ROOT as ROOT } from '../lib/mco/constants';
import { execInPod } from './exec';

/** The argv that runs `a` on the host. */
export function systemctlArgv(a: PostRestoreAction): string[] {
  if (a.type === 'DaemonReload') return ['chroot', ROOT, 'systemctl', 'daemon-reload'];
  return ['chroot', ROOT, 'systemctl', a.type === 'Reload' ? 'reload' : 'restart', a.serviceName ?? ''];
}

/** Run `a`; resolves with null on success, else systemctl's own error text (and exit code). */
export async function runServiceAction(
  kc: k8s.KubeConfig,
  pod: DaemonPod,
  a: PostRestoreAction,
): Promise<string | null> {
  const r = await execInPod(kc, pod, systemctlArgv(a));
  if (r.exitCode === 0) return null;
  return `${r.stderr.trim().slice(0, 300) || 'no output'} (exit ${r.exitCode})`;
}
