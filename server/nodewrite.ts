// Writing on a node through exec into its machine-config-daemon pod: restore a file atomically, create the force file.
import 'server-only';
import { randomBytes } from 'node:crypto';
import type * as k8s from '@kubernetes/client-node';
import type { DaemonPod } from './cache';
import { FORCE_FILE, HOST_ROOT as ROOT } from '../lib/mco/constants';
import { octalMode } from '../lib/mco/mode';
import { nodeUnreachable } from './errors';
import { execInPod, semaphore } from './exec';

function dirname(p: string): string {
  return p.slice(0, p.lastIndexOf('/')) || '/';
}

async function mustSucceed(kc: k8s.KubeConfig, pod: DaemonPod, argv: string[], stdin?: Uint8Array): Promise<void> {
  const r = await execInPod(kc, pod, argv, stdin);
  if (r.exitCode !== 0) {
    throw nodeUnreachable(`${argv[0]} failed on the node (exit ${r.exitCode}): ${r.stderr.trim().slice(0, 300)}`);
  }
}

/**
 * Write `bytes` with `mode` at `path` atomically: tee to a temporary file beside it, chmod, then mv over the target,
 * so the daemon never sees half a file.
 */
export async function writeNodeFile(
  kc: k8s.KubeConfig,
  pod: DaemonPod,
  path: string,
  bytes: Uint8Array,
  mode: number,
): Promise<void> {
  const dir = dirname(path);
  const base = path.slice(dir.length + (dir === '/' ? 0 : 1));
  const tmp = `${dir === '/' ? '' : dir}/.${base}.plumb-${randomBytes(4).toString('hex')}`;
  await semaphore().run(async () => {
    await mustSucceed(kc, pod, ['mkdir', '-p', ROOT + dir]);
    await mustSucceed(kc, pod, ['tee', ROOT + tmp], bytes);
    try {
      await mustSucceed(kc, pod, ['chmod', octalMode(mode), ROOT + tmp]);
      await mustSucceed(kc, pod, ['mv', ROOT + tmp, ROOT + path]);
    } catch (err) {
      await execInPod(kc, pod, ['rm', '-f', ROOT + tmp]).catch(() => {});
      throw err;
    }
  });
}

export async function touchForceFile(kc: k8s.KubeConfig, pod: DaemonPod): Promise<void> {
  await semaphore().run(() => mustSucceed(kc, pod, ['touch', ROOT + FORCE_FILE]));
}
