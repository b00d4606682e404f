// Exec over websocket through client-node's Exec, with a fake ExecHandler defined here; edge cases with raw ws.
// SPDY exec has its own tests in exec-spdy.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough, Readable } from 'node:stream';
import { request } from 'node:http';
import WebSocket from 'ws';
import * as k8s from '@kubernetes/client-node';
import type { ExecRequest } from '../types';
import { startHarness, USERS, type Harness } from './test-harness';

let h: Harness;
const calls: ExecRequest[] = [];
const NS = 'openshift-machine-config-operator';

beforeAll(async () => {
  h = await startHarness({
    // Echo stdin to stdout, say something on stderr, exit 3 when asked to fail.
    exec: async (req) => {
      calls.push(req);
      const text = req.stdin ? Buffer.from(req.stdin).toString() : req.command.join(' ');
      return {
        stdout: new TextEncoder().encode(`out:${text}`),
        stderr: new TextEncoder().encode(`err:${req.container}`),
        exitCode: req.command[0] === 'fail' ? 3 : 0,
      };
    },
    server: { stdinTimeoutMs: 1000 },
  });
  const core = h.kc().makeApiClient(k8s.CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: NS } } });
  await core.createNamespacedPod({
    namespace: NS,
    body: {
      metadata: { name: 'mcd-1' },
      spec: {
        nodeName: 'worker-0',
        containers: [
          { name: 'machine-config-daemon', image: 'i' },
          { name: 'kube-rbac-proxy', image: 'i' },
        ],
      },
    },
  });
});
afterAll(() => h?.close());

const WS_HEADERS = {
  Connection: 'Upgrade',
  Upgrade: 'websocket',
  'Sec-WebSocket-Version': '13',
  'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
  'Sec-WebSocket-Protocol': 'v5.channel.k8s.io',
};

/** An upgrade request whose refusal we want to read (fetch cannot send Connection: Upgrade). */
function upgradeRequest(path: string, headers: Record<string, string>, token = USERS[0].token, method = 'GET') {
  return new Promise<{ code: number; contentType?: string; body: any }>((resolve, reject) => {
    const req = request(h.server.url + path, { method, headers: { ...headers, Authorization: `Bearer ${token}` } });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () =>
        resolve({ code: res.statusCode!, contentType: res.headers['content-type'], body: JSON.parse(text) }),
      );
    });
    req.on('upgrade', () => reject(new Error('unexpected upgrade')));
    req.on('error', reject);
    req.end();
  });
}

function collect() {
  const s = new PassThrough();
  let text = '';
  s.on('data', (d) => (text += d));
  return { stream: s, text: () => text };
}

async function run(
  ctx: 'admin' | 'viewer',
  command: string[],
  opts: { stdin?: string; container?: string; pod?: string } = {},
) {
  const out = collect();
  const err = collect();
  let status: k8s.V1Status | undefined;
  const closed = new Promise<void>((resolve, reject) => {
    new k8s.Exec(h.kc(ctx))
      .exec(
        NS,
        opts.pod ?? 'mcd-1',
        opts.container ?? 'machine-config-daemon',
        command,
        out.stream,
        err.stream,
        opts.stdin === undefined ? null : Readable.from([Buffer.from(opts.stdin)]),
        false,
        (s) => (status = s),
      )
      .then((ws) => ws.on('close', () => resolve()), reject);
  });
  await closed;
  return { stdout: out.text(), stderr: err.text(), status };
}

describe('exec', () => {
  it('runs a command: stdout, stderr and the Success status', async () => {
    const r = await run('admin', ['cat', '/rootfs/etc/hostname']);
    expect(r.stdout).toBe('out:cat /rootfs/etc/hostname');
    expect(r.stderr).toBe('err:machine-config-daemon');
    expect(r.status).toEqual({ metadata: {}, status: 'Success' });
    expect(calls.at(-1)).toMatchObject({
      namespace: NS,
      pod: 'mcd-1',
      container: 'machine-config-daemon',
      stdin: null,
    });
  });

  it('passes stdin (closed by the client) and reports a non-zero exit code', async () => {
    const r = await run('admin', ['fail'], { stdin: 'expected file bytes' });
    expect(r.stdout).toBe('out:expected file bytes');
    expect(r.status?.status).toBe('Failure');
    expect(r.status?.reason).toBe('NonZeroExitCode');
    expect(r.status?.details?.causes).toEqual([{ reason: 'ExitCode', message: '3' }]);
  });

  it('refuses unknown pods and containers, and a missing container in a multi-container pod, before the upgrade', async () => {
    await expect(run('admin', ['ls'], { pod: 'nosuch' })).rejects.toThrow(/404/);
    await expect(run('admin', ['ls'], { container: 'nosuch' })).rejects.toThrow(/400/);
    const raw = (query: string) => upgradeRequest(`/api/v1/namespaces/${NS}/pods/mcd-1/exec?${query}`, WS_HEADERS);
    const bad = await raw('command=ls&stdout=true&container=nosuch');
    expect(bad.code).toBe(400);
    expect(bad.body.message).toBe('container nosuch is not valid for pod mcd-1');
    const none = await raw('command=ls&stdout=true');
    expect(none.body.message).toBe(
      'a container name must be specified for pod mcd-1, choose one of: [machine-config-daemon kube-rbac-proxy]',
    );
  });

  it('answers an exec request without an upgrade with a 400 Status', async () => {
    const plain = await h.fetch(
      `/api/v1/namespaces/${NS}/pods/mcd-1/exec?command=ls&stdout=true&container=machine-config-daemon`,
      { method: 'POST' },
    );
    expect(plain.status).toBe(400);
    expect((await plain.json()).message).toBe('Upgrade request required');
  });

  it('refuses exec to the viewer with the real Forbidden message', async () => {
    const r = await upgradeRequest(
      `/api/v1/namespaces/${NS}/pods/mcd-1/exec?command=ls&stdout=true&container=machine-config-daemon`,
      WS_HEADERS,
      USERS[1].token,
    );
    expect(r.code).toBe(403);
    expect(r.body.message).toBe(
      'pods "mcd-1" is forbidden: User "viewer" cannot create resource "pods/exec" in API group "" in the namespace "openshift-machine-config-operator"',
    );
    await expect(run('viewer', ['ls'])).rejects.toThrow(/403/);
  });

  it('speaks v4.channel.k8s.io too, sends only binary frames and only requested channels', async () => {
    const url =
      h.server.url.replace('http', 'ws') +
      `/api/v1/namespaces/${NS}/pods/mcd-1/exec?command=hi&stdout=true&stderr=false&container=machine-config-daemon`;
    const ws = new WebSocket(url, ['v4.channel.k8s.io'], { headers: { Authorization: `Bearer ${USERS[0].token}` } });
    const frames: { binary: boolean; data: Buffer }[] = [];
    ws.on('message', (data, binary) => frames.push({ binary, data: data as Buffer }));
    await new Promise((r) => ws.on('close', r));
    expect(ws.protocol).toBe('v4.channel.k8s.io');
    expect(frames.every((f) => f.binary)).toBe(true);
    expect(frames.map((f) => f.data[0])).toEqual([1, 1, 3]);
    expect(frames[0].data.length).toBe(1);
    expect(frames[1].data.subarray(1).toString()).toBe('out:hi');
    expect(JSON.parse(frames[2].data.subarray(1).toString())).toEqual({ metadata: {}, status: 'Success' });
  });

  it('gives up on stdin that is never closed', async () => {
    const url =
      h.server.url.replace('http', 'ws') +
      `/api/v1/namespaces/${NS}/pods/mcd-1/exec?command=cat&stdin=true&stdout=true&container=machine-config-daemon`;
    const ws = new WebSocket(url, ['v5.channel.k8s.io'], { headers: { Authorization: `Bearer ${USERS[0].token}` } });
    const frames: Buffer[] = [];
    ws.on('message', (data) => frames.push(data as Buffer));
    ws.on('open', () => ws.send(Buffer.from([0, 104, 105])));
    await new Promise((r) => ws.on('close', r));
    const last = frames.at(-1)!;
    expect(last[0]).toBe(3);
    expect(JSON.parse(last.subarray(1).toString()).status).toBe('Failure');
  });
});
