// What both exec transports (websocket in exec.ts, SPDY in exec-spdy.ts) share: the options, the planned request,
// and running the command through the daemon pod's ExecHandler with the kubelet's v4 Status.
import type { ExecHandler, Store } from '../types';
import type { SimUser } from './auth';

export const MAX_STDIN = 64 * 1024 * 1024;

export interface ExecOptions {
  store: Store;
  users: SimUser[];
  exec?: ExecHandler;
  stdinTimeoutMs?: number;
}

export interface Plan {
  transport: 'websocket' | 'spdy';
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** The v4 Status of stdin that never ends or is too large (both transports collect stdin before running). */
export function stdinFailure(why: 'timeout' | 'too-large'): Record<string, unknown> {
  return why === 'timeout'
    ? {
        metadata: {},
        status: 'Failure',
        message: 'timed out waiting for the client to close stdin',
        reason: 'Timeout',
        code: 504,
      }
    : {
        metadata: {},
        status: 'Failure',
        message: `stdin is larger than ${MAX_STDIN} bytes`,
        reason: 'RequestEntityTooLarge',
        code: 413,
      };
}

/**
 * Runs the planned command through the ExecHandler (the daemon pod's commands): the output of the requested streams
 * and the v4 Status, as the kubelet writes it (kubelet pkg/kubelet/cri/streaming/remotecommand/httpstream.go
 * v4WriteStatusFunc): Success, or NonZeroExitCode with the code in details.causes[ExitCode], or InternalError.
 */
export async function runExec(
  o: ExecOptions,
  plan: Plan,
  stdin: Uint8Array | null,
): Promise<{ stdout: Uint8Array; stderr: Uint8Array; status: Record<string, unknown> }> {
  const none = new Uint8Array();
  // The kubelet's answer when the exec itself fails: no output, a 500 InternalError Status.
  const internalError = (message: string) => ({
    stdout: none,
    stderr: none,
    status: {
      metadata: {},
      status: 'Failure',
      message: `Internal error occurred: ${message}`,
      reason: 'InternalError',
      code: 500,
    },
  });
  if (!o.exec) return internalError('exec is not available in this simulated cluster');
  try {
    const r = await o.exec({
      namespace: plan.namespace,
      pod: plan.pod,
      container: plan.container,
      command: plan.command,
      stdin,
    });
    return {
      stdout: plan.stdout && r.stdout ? r.stdout : none,
      stderr: plan.stderr && r.stderr ? r.stderr : none,
      status:
        r.exitCode === 0
          ? { metadata: {}, status: 'Success' }
          : {
              metadata: {},
              status: 'Failure',
              message: `command terminated with non-zero exit code: command '${plan.command.join(' ')}' exited with ${r.exitCode}`,
              reason: 'NonZeroExitCode',
              details: { causes: [{ reason: 'ExitCode', message: String(r.exitCode) }] },
            },
    };
  } catch (e) {
    return internalError((e as Error).message);
  }
}
