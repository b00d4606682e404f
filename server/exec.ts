// The exec transport: run an argv (no shell) in a node's machine-config-daemon container through the API server's
// pods/exec, with a timeout per call and a semaphore bounding how many run at once across nodes.
import 'server-only';
import { Readable, Writable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import type { DaemonPod } from './cache';
import { config } from './config';
import { DAEMON_CONTAINER } from '../lib/mco/constants';
import { forbidden, nodeUnreachable } from './errors';
import { processSingleton } from './singleton';

export interface ExecResult {
  stdout: Buffer;
  stderr: string;
  exitCode: number;
}

class Semaphore {
  private waiting: (() => void)[] = [];
  private active = 0;
  constructor(private limit: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/** Bounded exec concurrency across nodes, one per process. */
export function semaphore(): Semaphore {
  return processSingleton('execSemaphore', () => new Semaphore(config().execConcurrency));
}

/**
 * Nodes read at once by pool drift scans, one bound per process for all scans (PLUMB_SCAN_CONCURRENCY). A scan's
 * reads only stat, hash and cat; they are bounded apart from the semaphore above so that a 500-node scan, whose time
 * is mostly exec round trips (API server to kubelet and back, for each of a node's two or three execs), keeps enough
 * of them in flight without queueing a person's single-node read or restore behind it.
 */
export function scanSemaphore(): Semaphore {
  return processSingleton('scanSemaphore', () => new Semaphore(config().scanConcurrency));
}

function collector(chunks: Buffer[]): Writable {
  return new Writable({
    write(chunk, _enc, cb) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      cb();
    },
  });
}

/** Run argv (no shell) in the daemon container of `pod`; resolves with the exit code (non-zero is not an error). */
export async function execInPod(
  kc: k8s.KubeConfig,
  pod: DaemonPod,
  argv: string[],
  stdin?: Uint8Array,
): Promise<ExecResult> {
  const timeoutMs = config().execTimeoutMs;
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const input = stdin ? Readable.from([Buffer.from(stdin)]) : null;
  return new Promise<ExecResult>((resolve, reject) => {
    let settled = false;
    let socket: { close(): void } | null = null;
    const finish = (e: Error | null, r?: ExecResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      try {
        socket?.close();
      } catch {
        // already closed
      }
      if (e) reject(e);
      else resolve(r!);
    };
    const timer = setTimeout(
      () =>
        finish(nodeUnreachable(`exec of ${argv[0]} in ${pod.namespace}/${pod.name} timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
    new k8s.Exec(kc)
      .exec(pod.namespace, pod.name, DAEMON_CONTAINER, argv, collector(out), collector(err), input, false, (status) => {
        let exitCode = 0;
        if (status?.status !== 'Success') {
          const cause = status?.details?.causes?.find((c) => c.reason === 'ExitCode');
          exitCode = cause ? Number(cause.message) : -1;
          if (exitCode === -1) {
            return finish(nodeUnreachable(`exec in ${pod.name} failed: ${status?.message ?? 'unknown error'}`));
          }
        }
        finish(null, { stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), exitCode });
      })
      .then((ws) => {
        socket = ws;
        if (settled) ws.close();
        ws.on('close', () =>
          setTimeout(() => finish(nodeUnreachable(`exec in ${pod.name} ended without a status`)), 50),
        );
        ws.on('error', (e: Error) => finish(nodeUnreachable(`exec in ${pod.name} failed: ${e.message}`)));
      })
      .catch((e: Error) => {
        const m = /Unexpected server response: (\d+)/.exec(e?.message ?? '');
        if (m?.[1] === '403')
          return finish(
            forbidden(`the cluster does not allow you to exec into ${pod.namespace}/${pod.name} (pods/exec)`),
          );
        if (m?.[1] === '401') return finish(forbidden('the cluster rejected the credentials for exec'));
        if (m?.[1] === '404') return finish(nodeUnreachable(`the daemon pod ${pod.name} is gone`));
        finish(nodeUnreachable(`cannot exec into ${pod.namespace}/${pod.name}: ${e?.message ?? e}`));
      });
  });
}

/**
 * Each exec argument travels in the request URL (`?command=...` per argument): keep every URL far below the
 * limits of API servers and the proxies in front of them (commonly 8 KiB to 16 KiB for the request line).
 */
export const MAX_ARGV_URL_BYTES = 6 * 1024;

/** Split `args` into runs whose URL-encoded `command=` parameters fit in `limit` bytes beside `fixed`. */
export function argBatches(fixed: string[], args: string[], limit = MAX_ARGV_URL_BYTES): string[][] {
  const cost = (a: string) => '&command='.length + encodeURIComponent(a).length;
  const base = fixed.reduce((n, a) => n + cost(a), 0);
  const out: string[][] = [];
  let cur: string[] = [];
  let size = base;
  for (const a of args) {
    if (cur.length && size + cost(a) > limit) {
      out.push(cur);
      cur = [];
      size = base;
    }
    cur.push(a);
    size += cost(a);
  }
  if (cur.length) out.push(cur);
  return out;
}

/**
 * `argv` followed by `args`, run as several execs when the arguments would make a long URL. Outputs are joined in
 * order; the exit code is the first non-zero one.
 */
export async function execBatched(
  kc: k8s.KubeConfig,
  pod: DaemonPod,
  argv: string[],
  args: string[],
): Promise<ExecResult> {
  const out: Buffer[] = [];
  let stderr = '';
  let exitCode = 0;
  for (const batch of argBatches(argv, args)) {
    const r = await execInPod(kc, pod, [...argv, ...batch]);
    out.push(r.stdout);
    stderr += r.stderr;
    if (r.exitCode !== 0 && exitCode === 0) exitCode = r.exitCode;
  }
  return { stdout: Buffer.concat(out), stderr, exitCode };
}
